"""choice_inputs writes exactly what WTForms' own option rendering writes."""

from markupsafe import Markup
from wtforms import Form, RadioField, SelectChoice
from wtforms.fields import SelectFieldBase
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, RadioInput

from webapp.form_markup import choice_inputs
from webapp.journal.forms import MultiCheckboxField

from .test_security import all_flask_forms, unbound_fields


def wtforms_own(field, **attrs):
    return [(option.id, option.label.text, option(**attrs)) for option in field]


def choice_fields():
    """Every radio and checkbox group of every form, bound alone to a plain Form."""
    found = []
    for form in all_flask_forms():
        for name, unbound in unbound_fields(form):
            if not issubclass(unbound.field_class, SelectFieldBase):
                continue
            widget = unbound.kwargs.get("option_widget") or unbound.field_class.option_widget
            if isinstance(widget, (RadioInput, CheckboxInput)):
                found.append((f"{form.__name__}.{name}", type("Single", (Form,), {"field": unbound})))
    return found


def test_every_choice_group_of_every_form_is_written_as_wtforms_writes_it():
    fields = choice_fields()
    assert len(fields) >= 10
    for label, form_class in fields:
        blank = form_class().field
        if blank.choices is None:
            blank.choices = [SelectChoice("one", "One"), SelectChoice("two", "Two & more")]
        values = [None] + [choice.value for choice in blank.iter_choices()]
        for value in values:
            form = form_class(data={"field": [value] if isinstance(blank, MultiCheckboxField) and value else value})
            field = form.field
            if field.choices is None:
                field.choices = blank.choices
            for attrs in ({}, {"aria-invalid": "true"}, {"class_": "chip", "data_x": 'a"b<&'}, {"title": Markup('x"y')}, {"disabled": False, "required": True}):
                assert choice_inputs(field, **attrs) == wtforms_own(field, **attrs), (label, value, attrs)


def test_flags_render_kw_and_several_checked_boxes_match():
    class Example(Form):
        required = RadioField(
            "Pick", choices=[SelectChoice("a", "A"), SelectChoice("b", "<b>")], validators=[InputRequired()],
            render_kw={"data_role": "chips"},
        )
        optional = RadioField("Maybe", choices=[SelectChoice("", "Not said"), SelectChoice("x", "X")], validators=[Optional()])
        several = MultiCheckboxField("Several", choices=[SelectChoice("p", "P"), SelectChoice("q", "Q"), SelectChoice("r", "R")])

    form = Example(data={"required": "b", "several": ["p", "r"]})
    for field in form:
        assert choice_inputs(field) == wtforms_own(field)
    written = choice_inputs(form.required)
    assert 'required' in written[0][2] and 'data-role="chips"' in written[0][2]
    assert written[1][1] == "<b>"  # escaped where the template writes it
    assert [bool("checked" in markup) for _, _, markup in choice_inputs(form.several)] == [True, False, True]
