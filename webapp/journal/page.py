"""Journal pages: the page's own content rendered per request, in a kept frame.

The frame around a journal page (the site header, the journal's navigation with its section
marked, the time-zone offer, the footer) holds nothing about the person's journal, yet
rendering it was a fifth of a page. It is rendered once per (endpoint, marked section, demo
account or not, account time zone) and kept on the app as text cut at slots (webapp.frames);
a request renders only the page template's ``journal_content`` block, with everything a
template normally sees, and puts that, its CSRF token and its path into the frame.

The frame is rendered with stand-ins that know only what is in its key (and guards for the
session, flash messages and CSRF token), so nothing personal can end up in it. A page with a
flash message waiting, or a template that overrides any block but ``journal_content`` or does
not extend the journal layout, is rendered the ordinary way.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import current_app, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import nodes
from markupsafe import escape

from ..frames import Frame, StandInReader, StandInRequest, guarded, new_slot, run_top_level
from .templating import NAVIGATION, day_section, section_of

LAYOUT = "journal/_layout.html"
CONTENT = "journal_content"
EXTENSION_KEY = "seedling.journal_frames"
MAX_FRAMES = 512
SLOTS = {name: new_slot(name) for name in ("content", "csrf-token", "path")}


class JournalFrames:
    """Kept frames (least recently used dropped past ``MAX_FRAMES``) and, per template name,
    whether it can be framed."""

    def __init__(self, max_frames: int = MAX_FRAMES):
        self.max_frames = max_frames
        self.frames: OrderedDict[tuple, Frame] = OrderedDict()
        self.frameable: dict[str, bool] = {}
        self._lock = threading.Lock()  # threaded servers share one app

    def frame(self, key: tuple, render: Any) -> Frame:
        with self._lock:
            found = self.frames.get(key)
            if found is not None:
                self.frames.move_to_end(key)
                return found
        made = render()  # outside the lock: two threads may both render a new frame, alike
        with self._lock:
            self.frames[key] = made
            while len(self.frames) > self.max_frames:
                self.frames.popitem(last=False)
        return made


def _extends_layout_only(template_name: str) -> bool:
    """True for a template that extends the journal layout and defines only its content."""
    environment = current_app.jinja_env
    source, _, _ = environment.loader.get_source(environment, template_name)  # type: ignore[union-attr]
    tree = environment.parse(source)
    parents = [node.template for node in tree.find_all(nodes.Extends)]
    if len(parents) != 1 or not isinstance(parents[0], nodes.Const) or parents[0].value != LAYOUT:
        return False
    return {block.name for block in tree.find_all(nodes.Block)} == {CONTENT}


def _render_frame(section: str | None) -> Frame:
    reader = StandInReader(
        True, is_demo=bool(getattr(current_user, "is_demo", False)), time_zone=current_user.time_zone
    )
    values = guarded(
        reader,
        request=StandInRequest(request.endpoint, path=SLOTS["path"]),
        csrf_token=lambda: SLOTS["csrf-token"],
        get_flashed_messages=lambda **_: [],
        journal_sections=NAVIGATION,
        journal_section=section,
    )
    layout = current_app.jinja_env.get_template(LAYOUT)
    jinja_context = layout.new_context(values)
    jinja_context.blocks[CONTENT] = [lambda _context: iter((SLOTS["content"],))]
    return Frame("".join(layout.root_render_func(jinja_context)), SLOTS)


def render_journal_page(template_name: str, **context: Any) -> str:
    """``render_template(template_name, **context)``, with the frame kept (see the module)."""
    frames: JournalFrames | None = current_app.extensions.get(EXTENSION_KEY)
    if frames is None or "_flashes" in session:
        return render_template(template_name, **context)
    frameable = frames.frameable.get(template_name)
    if frameable is None:
        frameable = frames.frameable[template_name] = _extends_layout_only(template_name)
    if not frameable:
        return render_template(template_name, **context)

    template = current_app.jinja_env.get_template(template_name)
    values = dict(context)
    current_app.update_template_context(values)
    jinja_context = template.new_context(values)
    run_top_level(template, jinja_context)
    content = "".join(template.blocks[CONTENT](jinja_context))

    # A day's page names its date in the context or at its top ({% set journal_day = ... %}).
    if "journal_day" in jinja_context:
        section = day_section(jinja_context["journal_day"])
    else:
        section = section_of(request.endpoint)
    key = (request.endpoint, section, bool(getattr(current_user, "is_demo", False)), current_user.time_zone)
    frame = frames.frame(key, lambda: _render_frame(section))
    return frame.fill({
        "content": content,
        "csrf-token": generate_csrf(),
        "path": str(escape(request.path)),
    })


def init_journal_frames(app: Any) -> None:
    if app.config.get("JOURNAL_FRAMES_ENABLED", True):
        app.extensions[EXTENSION_KEY] = JournalFrames()
