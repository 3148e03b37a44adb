"""parse_export: tell which app wrote a file (by its content), and read it whole or refuse it."""

from __future__ import annotations

import json
from datetime import date

from . import limits
from .checks import ImportFormatError
from .clue import (
    looks_like_clue_backup,
    looks_like_clue_measurements,
    parse_clue_backup,
    parse_clue_measurements,
)
from .drip import looks_like_drip, parse_drip_csv
from .flo import looks_like_flo, parse_flo
from .records import ImportResult

SUPPORTED = "drip (CSV), Clue (measurements.json or an old .cluedata backup) or Flo (JSON)"


def parse_export(filename: str, data: bytes, *, today: date) -> ImportResult:
    """Read an export of drip, Clue or Flo; raise ImportFormatError naming what is wrong.

    ``today`` is the journal's today (no date after it, bar the journal's grace day, is
    accepted). Nothing partial: either every day of the file or an error.
    """
    shown_name = _shown_name(filename)
    try:
        result = _parse(filename, data, today)
        if not result.days:
            raise ImportFormatError(
                "the file holds no day with anything recorded: there is nothing to import.",
                kind="empty",
            )
    except ImportFormatError as error:
        raise error.in_file(shown_name) from None
    return result


def _parse(filename: str, data: bytes, today: date) -> ImportResult:
    if len(data) > limits.MAX_FILE_BYTES:
        raise ImportFormatError(
            f"the file is larger than {limits.MAX_FILE_BYTES // 1_000_000} MB; an export of "
            f"{SUPPORTED} is far smaller. Is it the right file?",
            kind="too-large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"this is not a text file (byte {error.start + 1} is not UTF-8). Please choose the "
            f"file exported by {SUPPORTED}.",
            kind="not-text",
        ) from None
    stripped = text.lstrip()
    if not stripped:
        raise ImportFormatError("the file is empty.", kind="empty")
    if stripped[0] in "[{":
        return _parse_json(filename, text, today)
    if looks_like_drip(stripped.splitlines()[0]):
        return parse_drip_csv(text, today)
    raise ImportFormatError(
        f"this is not an export of {SUPPORTED}: its first line is not drip's header and it "
        "is not JSON.",
        kind="unknown-format", where="line 1",
    )


def _parse_json(filename: str, text: str, today: date) -> ImportResult:
    try:
        data = json.loads(text, parse_constant=_not_json)
    except ValueError as error:
        app = _app_named(filename, text)
        detail = (
            f" (line {error.lineno}, column {error.colno}: {error.msg})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise ImportFormatError(
            f"this is not valid JSON{detail}; the {app} file may be cut off. Please export it again.",
            kind="invalid-json",
        ) from None
    if looks_like_flo(data):
        return parse_flo(data, today)
    if looks_like_clue_backup(data):
        return parse_clue_backup(data, today)
    if looks_like_clue_measurements(data):
        return parse_clue_measurements(data, today)
    if isinstance(data, dict) and data.get("format") == "seedling-export":
        raise ImportFormatError(
            "this is a Seedling data file: restore it with “Import my data” instead.",
            kind="unknown-format",
        )
    if data == []:
        raise ImportFormatError("the file holds no records: there is nothing to import.", kind="empty")
    raise ImportFormatError(
        f"this JSON is not an export of {SUPPORTED}.", kind="unknown-format"
    )


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


def _app_named(filename: str, text: str) -> str:
    """Which app a file that does not parse probably came from, for the message."""
    head = text[:2000]
    name = filename.lower()
    if "operationalData" in head or "flo" in name:
        return "Flo"
    if '"day"' in head or name.endswith(".cluedata") or '"type"' in head or "clue" in name:
        return "Clue"
    return "exported"


def _shown_name(filename: str) -> str:
    """The file's own name (no folders, no control characters), short enough for a message."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name if len(name) <= 80 else name[:79] + "…"
