"""Article files (YAML front matter + Markdown) into clean, ready-to-store values.

Pure functions: no Flask, no database. The importer stores what `parse_article` returns.
"""

import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, overload

import nh3
import yaml
from markdown_it import MarkdownIt

WORDS_PER_MINUTE = 220
MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_CORRECTION = 500
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
# No style attributes: the Content-Security-Policy would block them anyway.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|td|th|blockquote|pre)>|<br\s*/?>")

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
    ["table", "replacements", "smartquotes"]
)


class ArticleFormatError(ValueError):
    """An article file that cannot be imported; the message names the file and the field."""


@dataclass(frozen=True)
class Correction:
    """One entry in an article's public correction log: when its advice changed, and how."""

    corrected_on: date
    text: str


@dataclass(frozen=True)
class ArticleContent:
    slug: str
    title: str
    summary: str
    category: str
    tags: tuple[str, ...]
    published_on: date
    updated_on: date | None
    body_markdown: str
    body_html: str
    body_text: str
    word_count: int
    reading_minutes: int
    references: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    medical_reviewer: str | None = None
    video_url: str | None = None
    video_title: str | None = None
    featured: bool = False
    extra: dict = field(default_factory=dict)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def render_markdown(markdown_text: str) -> str:
    """Markdown to HTML that is safe to insert as is: raw HTML is off and the result sanitised."""
    rendered = _markdown.render(markdown_text)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def html_to_text(safe_html: str) -> str:
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + "\n", safe_html)
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()


def count_words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def split_front_matter(source: str, name: str) -> tuple[dict, str]:
    lines = source.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ArticleFormatError(f"{name}: the file must start with a '---' front matter block")
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
    else:
        raise ArticleFormatError(f"{name}: the front matter block is not closed with '---'")
    try:
        meta = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise ArticleFormatError(f"{name}: the front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise ArticleFormatError(f"{name}: the front matter must be a mapping of fields")
    return meta, "".join(lines[end + 1 :])


@overload
def _text(meta: dict, key: str, name: str, limit: int, required: Literal[True] = True) -> str: ...
@overload
def _text(meta: dict, key: str, name: str, limit: int, required: bool) -> str | None: ...
def _text(meta: dict, key: str, name: str, limit: int, required: bool = True) -> str | None:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ArticleFormatError(f"{name}: '{key}' is required")
        return None
    if not isinstance(value, str):
        raise ArticleFormatError(f"{name}: '{key}' must be text")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ArticleFormatError(f"{name}: '{key}' is longer than {limit} characters")
    return value


@overload
def _date(meta: dict, key: str, name: str, required: Literal[True] = True) -> date: ...
@overload
def _date(meta: dict, key: str, name: str, required: bool) -> date | None: ...
def _date(meta: dict, key: str, name: str, required: bool = True) -> date | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise ArticleFormatError(f"{name}: '{key}' is required (YYYY-MM-DD)")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ArticleFormatError(f"{name}: '{key}' must be a date (YYYY-MM-DD)") from exc


def _text_list(meta: dict, key: str, name: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ArticleFormatError(f"{name}: '{key}' must be a list of text")
    return tuple(" ".join(v.split()) for v in value)


def _corrections(
    meta: dict, name: str, published_on: date, updated_on: date | None
) -> tuple[Correction, ...]:
    """`corrections: [{date: YYYY-MM-DD, text: "..."}]`, oldest first as written."""
    value = meta.get("corrections") or []
    if not isinstance(value, list):
        raise ArticleFormatError(f"{name}: 'corrections' must be a list of {{date, text}} entries")
    corrections = []
    for number, entry in enumerate(value, start=1):
        where = f"correction {number}"
        if not isinstance(entry, dict) or set(entry) - {"date", "text"}:
            raise ArticleFormatError(f"{name}: {where} must have only a 'date' and a 'text'")
        corrected_on = _date(entry, "date", f"{name}: {where}")
        text = _text(entry, "text", f"{name}: {where}", MAX_CORRECTION)
        if corrected_on < published_on:
            raise ArticleFormatError(f"{name}: {where} is dated before 'published'")
        # The page shows 'updated' as the last change, so a correction must not come after it.
        if updated_on is None:
            raise ArticleFormatError(f"{name}: an article with corrections needs an 'updated' date")
        if corrected_on > updated_on:
            raise ArticleFormatError(f"{name}: {where} is dated after 'updated'")
        corrections.append(Correction(corrected_on=corrected_on, text=text))
    return tuple(corrections)


def parse_article(source: str, slug: str) -> ArticleContent:
    """Parse one article file's text; `slug` comes from the file name."""
    name = f"{slug}.md"
    if not SLUG_PATTERN.match(slug):
        raise ArticleFormatError(f"{name}: the file name must be a slug (a-z, 0-9, hyphens)")
    meta, body = split_front_matter(source, name)
    if not body.strip():
        raise ArticleFormatError(f"{name}: the article has no body")

    tags = tuple(slugify(tag) for tag in _text_list(meta, "tags", name))
    if any(not tag or len(tag) > 40 for tag in tags):
        raise ArticleFormatError(f"{name}: each tag must be 1 to 40 letters, digits or hyphens")
    published_on = _date(meta, "published", name)
    updated_on = _date(meta, "updated", name, required=False)
    if updated_on and updated_on < published_on:
        raise ArticleFormatError(f"{name}: 'updated' is before 'published'")

    video = meta.get("video") or {}
    if not isinstance(video, dict):
        raise ArticleFormatError(f"{name}: 'video' must have a url and a title")
    video_url = _text(video, "url", name, 500, required=False)
    if video_url and not video_url.startswith("https://"):
        raise ArticleFormatError(f"{name}: the video url must start with https://")

    body_html = render_markdown(body)
    body_text = html_to_text(body_html)
    words = count_words(body_text)
    return ArticleContent(
        slug=slug,
        title=_text(meta, "title", name, MAX_TITLE),
        summary=_text(meta, "summary", name, MAX_SUMMARY),
        category=_text(meta, "category", name, 80),
        tags=tuple(dict.fromkeys(tags)),
        published_on=published_on,
        updated_on=updated_on,
        body_markdown=body,
        body_html=body_html,
        body_text=body_text,
        word_count=words,
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        references=_text_list(meta, "references", name),
        corrections=_corrections(meta, name, published_on, updated_on),
        medical_reviewer=_text(meta, "medical_reviewer", name, 200, required=False),
        video_url=video_url,
        video_title=_text(video, "title", name, 200, required=bool(video_url)),
        featured=bool(meta.get("featured", False)),
    )


def read_article_files(directory: Path) -> list[ArticleContent]:
    """Every `*.md` in a folder, parsed; the first bad file stops the import with its reason."""
    return [
        parse_article(path.read_text(encoding="utf-8"), path.stem)
        for path in sorted(directory.glob("*.md"))
    ]
