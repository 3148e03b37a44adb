"""The inputs of a radio or checkbox group, written without building WTForms' option fields.

Iterating a RadioField builds a bound sub-field per choice and rendering each one walks its
flags with ``dir()``: about 90 microseconds an option, so the journal home's morning log (twelve
chips) spent a third of the page there. :func:`choice_inputs` writes the same markup (the
same attributes, in WTForms' sorted order, escaped the same way) from the field's choices;
tests compare the two for every choice field of every form. WTForms' ``html_params`` formats
each attribute through ``Markup.format`` (string.Formatter, escaping twice): :func:`_attributes`
writes the same text with plain string operations.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms.fields import SelectFieldBase
from wtforms.widgets import CheckboxInput, RadioInput
from wtforms.widgets.core import clean_key  # type: ignore[attr-defined]  # missing from types-WTForms 3.2.1

_FAST_WIDGETS = (RadioInput, CheckboxInput)


def choice_inputs(field: SelectFieldBase, **attrs: Any) -> list[tuple[str, str, Markup]]:
    """``(id, label text, <input>)`` for each choice of ``field``, as iterating the field and
    calling each option with ``attrs`` would give them."""
    widget: Any = field.option_widget
    if type(widget) not in _FAST_WIDGETS or field.has_groups():
        return [(option.id, option.label.text, option(**attrs)) for option in field]
    shared = {clean_key(key): value for key, value in (field.render_kw or {}).items()}
    shared.update({clean_key(key): value for key, value in attrs.items()})
    flags: dict[str, Any] = {}
    for validator in field.validators:
        flags.update(getattr(validator, "field_flags", {}))
    for name in widget.validation_attrs:
        if name in flags and name not in shared:
            value = flags[name]
            shared[name] = value() if callable(value) else value
    shared.setdefault("type", widget.input_type)
    out = []
    for index, choice in enumerate(field.iter_choices()):
        value, label, selected, *_ = choice  # a Choice (a named tuple)
        option_id = f"{field.id}-{index}"
        params = {"id": option_id, **shared, "name": field.name}
        params.setdefault("value", str(value))
        if selected:
            params.setdefault("checked", True)
        text = label or value
        # _attributes escapes every value.
        out.append((option_id, text, Markup(f"<input {_attributes(params)}>")))  # nosec B704
    return out


def _attributes(params: dict[str, Any]) -> str:
    """What ``wtforms.widgets.html_params(**params)`` writes: sorted by name, ``True`` as a bare
    name, ``False`` left out, values escaped (a double quote inside Markup as ``&quot;``)."""
    written = []
    for key, value in sorted(params.items()):
        key = clean_key(key)
        if value is True:
            written.append(str(escape(key)))
        elif value is not False:
            written.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(written)
