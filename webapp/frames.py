"""Page frames kept between requests, with nothing personal in them.

A page is a frame (header, navigation, the sign-out form with its CSRF token, the footer)
around what the page is about. The frame is the same for every reader of one kind, so it is
rendered once and kept as text cut at *slots*: random markers where a request's own values go
(its CSRF token, the page's content, its path). Filling a frame is a join, not a render.

A kept frame is rendered with stand-ins for the reader and the request that know only what the
caller put in its key, and with the session, flash messages and anything else personal replaced
by guards that raise: a template that tried to put something personal into a shared frame fails
loudly instead of showing it to the next reader.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any


class PersonalDataInSharedFragment(RuntimeError):
    """A shared block or frame asked for something that belongs to one person."""


class Refuse:
    """Stands in for the session, flash messages, the CSRF token (or anything personal) while
    something shared renders: any use raises."""

    def __init__(self, what: str):
        self._what = what

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise PersonalDataInSharedFragment(f"{self._what} in a block shared between readers")

    __call__ = __getitem__ = __getattr__ = __iter__ = __contains__ = __len__ = __bool__ = _refuse


class StandInReader:
    """All a shared block may know about the reader: signed in or not, whether it is the demo
    account (whose banner the frame shows), and any setting the caller keys the frame by."""

    def __init__(self, signed_in: bool, is_demo: bool = False, **settings: Any):
        self.is_authenticated = signed_in
        self.is_anonymous = not signed_in
        self.is_active = signed_in
        self.is_demo = is_demo
        self.__dict__.update(settings)

    def __getattr__(self, name: str) -> Any:
        raise PersonalDataInSharedFragment(f"current_user.{name} in a block shared between readers")


class StandInRequest:
    """The request as a shared frame sees it: its endpoint and blueprint (in the frame's key)
    and whatever the caller passes (slots, for values that differ per request)."""

    def __init__(self, endpoint: str | None, **known: Any):
        self.endpoint = endpoint
        self.blueprint = endpoint.rpartition(".")[0] or None if endpoint else None
        self.__dict__.update(known)

    def __getattr__(self, name: str) -> Any:
        raise PersonalDataInSharedFragment(f"request.{name} in a frame shared between requests")


def new_slot(name: str) -> str:
    """A marker for one value of a request; random, so no page text can contain it."""
    return f"slot-{name}-{secrets.token_hex(16)}"


def guarded(reader: StandInReader, **values: Any) -> dict[str, Any]:
    """A template context holding nothing personal: the stand-in reader, guards for the
    session, flash messages and CSRF token (unless ``values`` gives them) and ``values``."""
    return {
        "current_user": reader,
        "csrf_token": Refuse("a CSRF token"),
        "session": Refuse("the session"),
        "g": Refuse("the request's globals"),
        "get_flashed_messages": Refuse("flash messages"),
        **values,
    }


def run_top_level(template: Any, jinja_context: Any) -> None:
    """Runs what a page template does outside its blocks ({% from ... import %}, {% set %}),
    which its blocks may use. A child template does that before its parent writes anything, so
    its render is started and stopped at the first output (the parent's first text)."""
    render = template.root_render_func(jinja_context)
    try:
        next(render, None)
    finally:
        render.close()


class Frame:
    """Rendered text cut at its slots: ``fill`` puts each request's values in."""

    __slots__ = ("_parts", "_names")

    def __init__(self, text: str, slots: Mapping[str, str]):
        names_by_marker = {marker: name for name, marker in slots.items()}
        if not names_by_marker:
            self._parts, self._names = [text], []
            return
        pieces = re.split("(" + "|".join(map(re.escape, names_by_marker)) + ")", text)
        self._parts = pieces[0::2]
        self._names = [names_by_marker[marker] for marker in pieces[1::2]]

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self._parts[0]]
        for name, part in zip(self._names, self._parts[1:]):
            out.append(values[name])
            out.append(part)
        return "".join(out)

    @property
    def slot_names(self) -> Iterable[str]:
        return tuple(self._names)

