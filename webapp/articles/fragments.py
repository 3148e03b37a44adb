"""The public parts of library pages, rendered once per library version for every reader.

A library page is the site's frame (the nav, the sign-out form with its CSRF token, flash
messages) around blocks that are the same for everyone: title, meta and content. Those blocks
are rendered once per (address, signed in or not) and library version and kept on the app, and
so is the frame around them for each kind of reader; a request then only puts its reader's CSRF
token in (or, with a flash message waiting, renders the frame). Unlike the anonymous page cache
this also serves signed-in readers and works with the page cache off.

The blocks are rendered with a stand-in for the reader that knows only whether someone is signed
in, and with the CSRF token, the session and flash messages replaced by guards that raise: a
template that tried to put anything personal into a shared block fails loudly instead.
"""

from collections.abc import Callable

from flask import current_app, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..frames import PersonalDataInSharedFragment, StandInReader, guarded, new_slot, run_top_level
from ..search import get_index
from ..search.versioned import VersionedCache

EXTENSION_KEY = "seedling.fragments"
SHELL = "_partials/public_page.html"
MAX_PAGES = 2048
# Where a reader's CSRF token goes in a kept frame.
TOKEN_SLOT = new_slot("csrf-token")

__all__ = ["PersonalDataInSharedFragment", "StandInReader", "public_page", "init_fragments"]


class FragmentCache(VersionedCache):
    """Rendered blocks for one library version."""

    def __init__(self, max_entries: int = MAX_PAGES):
        super().__init__(max_entries)


def _guarded_context(context: dict, reader: StandInReader, **overrides) -> dict:
    values = guarded(reader, **context, **overrides)
    current_app.update_template_context(values)  # what is passed here wins over context processors
    return values


def render_blocks(template_name: str, context: dict, signed_in: bool) -> dict[str, Markup]:
    """The blocks a page template defines, rendered with nothing personal in reach."""
    template = current_app.jinja_env.get_template(template_name)
    jinja_context = template.new_context(_guarded_context(context, StandInReader(signed_in)))
    run_top_level(template, jinja_context)
    return {
        # Jinja escaped every value in the block already.
        name: Markup("".join(block(jinja_context)))  # nosec B704
        for name, block in template.blocks.items()
    }


def render_frame(blocks: dict[str, Markup], reader: StandInReader) -> list[str]:
    """The whole page for every reader like `reader`, cut where the reader's CSRF token goes.

    Rendered with the stand-in reader and no flash messages (pages with a message waiting are
    rendered in full), so it holds nothing personal either.
    """
    template = current_app.jinja_env.get_template(SHELL)
    context = _guarded_context(
        {"blocks": blocks}, reader, csrf_token=lambda: TOKEN_SLOT, get_flashed_messages=lambda **_: []
    )
    return template.render(context).split(TOKEN_SLOT)


def public_page(template_name: str, build_context: Callable[[], dict]) -> str:
    """The page: shared blocks from the cache (or rendered now), the frame for this reader.

    `build_context` runs only when the blocks are not cached; it may abort (404). The frame
    (header, footer) is kept too, per kind of reader (signed in or not, demo account or not),
    with only the reader's CSRF token put in per request.
    """
    cache: FragmentCache | None = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        return render_template(template_name, **build_context())
    signed_in = bool(current_user.is_authenticated)
    index = get_index()
    index.sync()
    generation = index.seen_generation
    # Without SITE_URL absolute links follow the host, so it is part of the page (as in the
    # page cache).
    host = None if current_app.config.get("SITE_URL") else request.host_url
    key = (template_name, host, request.full_path, signed_in)
    entry = cache.get(key, generation)
    if entry is None:
        entry = {"blocks": render_blocks(template_name, build_context(), signed_in)}
        cache.put(key, generation, entry)
    if "_flashes" in session:
        return render_template(SHELL, blocks=entry["blocks"])
    reader = StandInReader(signed_in, is_demo=bool(signed_in and getattr(current_user, "is_demo", False)))
    frame_key = ("frame", reader.is_demo)
    if frame_key not in entry:
        entry[frame_key] = render_frame(entry["blocks"], reader)
    frame = entry[frame_key]
    if len(frame) == 1:
        return frame[0]
    return generate_csrf().join(frame)


def init_fragments(app) -> None:
    if app.config.get("FRAGMENT_CACHE_ENABLED", True):
        app.extensions[EXTENSION_KEY] = FragmentCache()
