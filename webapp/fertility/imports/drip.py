"""drip's CSV export (drip-data.csv): one row per date, one column per drip field.

The columns are drip's schema flattened ("temperature.value", "pain.backache" …, see
lib/import-export/get-csv-column-names.js in drip). drip writes all of them, newest date first,
with "\\n" line ends and every string lowercased. Like drip's own importer this reads any subset
of those columns in any order; unlike it, it also checks every date and value, refuses a date
given twice, and never lets a value slip through unread.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from .checks import (
    DayDrafts,
    ImportFormatError,
    Unmapped,
    add_symptom,
    add_word,
    celsius_centi,
    clock_time,
    free_text,
    iso_date,
)
from .records import EXCLUDED_IN_DRIP, ImportResult

FORMAT = "drip-csv"
SOURCE = "drip"

CONTRACEPTIVES = ("condom", "pill", "iud", "patch", "ring", "implant", "diaphragm", "other")
# drip's pain toggles: the journal's symptom word, or None with the plain name kept aside.
PAINS = {
    "cramps": ("cramps", None),
    "ovulationPain": (None, "ovulation pain"),
    "headache": ("headache", None),
    "backache": (None, "backache"),
    "nausea": ("nausea", None),
    "tenderBreasts": ("breast_tenderness", None),
    "migraine": (None, "migraine"),
    "other": ("other", None),
}
MOODS = ("happy", "sad", "stressed", "balanced", "fine", "anxious", "energetic", "fatigue",
         "angry", "other")
COLUMNS = (
    "date",
    "temperature.value", "temperature.exclude", "temperature.time", "temperature.note",
    "bleeding.value", "bleeding.exclude",
    "mucus.feeling", "mucus.texture", "mucus.value", "mucus.exclude",
    "cervix.opening", "cervix.firmness", "cervix.position", "cervix.exclude",
    "note.value",
    "desire.value",
    "sex.solo", "sex.partner", *(f"sex.{c}" for c in CONTRACEPTIVES[:-1]), "sex.none", "sex.other",
    "sex.note",
    *(f"pain.{p}" for p in PAINS), "pain.note",
    *(f"mood.{m}" for m in MOODS), "mood.note",
)

BLEEDING = ("spotting", "light", "medium", "heavy")
MUCUS_FEELING = ("dry", "nothing", "wet", "slippery")
MUCUS_TEXTURE = ("nothing", "creamy", "egg_white")
CERVIX_OPENING = ("closed", "medium", "open")
CERVIX_FIRMNESS = ("firm", "soft")  # drip's 0 "hard" is the journal's "firm"
CERVIX_POSITION = ("low", "medium", "high")


def looks_like_drip(first_line: str) -> bool:
    """A first line that names drip's columns (with commas, or re-saved with semicolons)."""
    names = {name.strip().strip('"').lower() for name in re.split(r"[,;]", first_line)}
    return len(names & {c.lower() for c in COLUMNS}) >= 2


def parse_drip_csv(text: str, today: date) -> ImportResult:
    records = _records(text)
    if not records:
        raise ImportFormatError("the file is empty.", kind="empty")
    header_line, header = records[0]
    columns = _columns(header)
    drafts = DayDrafts()
    unmapped = Unmapped()
    seen: dict[date, int] = {}
    rows = records[1:]
    for number, (line, cells) in enumerate(rows, start=1):
        if len(cells) != len(columns):
            _refuse_width(line, cells, len(columns), last=number == len(rows))
        row = _Row(line, dict(zip(columns, cells)))
        day = iso_date(row.text("date"), f"line {line}", today)
        if day in seen:
            raise ImportFormatError(
                f"{day.isoformat()} is there twice, on lines {seen[day]} and {line}. "
                "drip writes each date once: was the file edited or joined with another?",
                kind="duplicate-date", where=f"line {line}",
            )
        seen[day] = line
        _read_row(row, drafts(day), unmapped)
    return ImportResult(
        source=SOURCE, format=FORMAT, days=drafts.days(), not_mapped=unmapped.items()
    )


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on; blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise ImportFormatError(
                    "the file ends inside a quoted text that starts on this line: "
                    "it looks cut off. Please export it from drip again.",
                    kind="truncated", where=f"line {line}",
                ) from None
            raise ImportFormatError(
                "a quoted text is not closed properly (a stray quote mark?).",
                kind="invalid-value", where=f"line {line}",
            ) from None
        if cells:
            records.append((line, cells))
        line = reader.line_num + 1


def _columns(header: list[str]) -> list[str]:
    if len(header) == 1 and ";" in header[0]:
        raise ImportFormatError(
            "the columns are separated by semicolons; drip writes commas. Was the file re-saved "
            "by a spreadsheet? Please use the file exactly as drip exported it.",
            kind="unknown-columns", where="line 1",
        )
    canonical = {name.lower(): name for name in COLUMNS}
    found = [canonical.get(name.strip().lower()) for name in header]
    unknown = [name for name, column in zip(header, found) if column is None]
    if unknown:
        shown = ", ".join(f"'{name[:40]}'" for name in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise ImportFormatError(
            f"drip does not write the column{'s' if len(unknown) > 1 else ''} {shown}{more}. "
            "Is this a drip export?",
            kind="unknown-columns", where="line 1",
        )
    columns = [column for column in found if column is not None]  # all of them, by now
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise ImportFormatError(
            f"the column '{twice[0]}' is there twice.", kind="unknown-columns", where="line 1"
        )
    if "date" not in columns:
        raise ImportFormatError(
            "there is no 'date' column; drip writes one first.", kind="unknown-columns",
            where="line 1",
        )
    return columns


def _refuse_width(line: int, cells: list[str], width: int, last: bool) -> None:
    if last and len(cells) < width:
        raise ImportFormatError(
            f"this last line has {len(cells)} values where the header has {width} columns: "
            "the file looks cut off. Please export it from drip again.",
            kind="truncated", where=f"line {line}",
        )
    raise ImportFormatError(
        f"this line has {len(cells)} values where the header has {width} columns.",
        kind="invalid-value", where=f"line {line}",
    )


class _Row:
    """Typed reads of one row's cells; a column missing from the file reads as empty."""

    def __init__(self, line: int, cells: dict[str, str]):
        self.line = line
        self.cells = cells
        self.where = f"line {line}"

    def refuse(self, column: str, problem: str) -> ImportFormatError:
        return ImportFormatError(f"{column}: {problem}", kind="invalid-value", where=self.where)

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def present(self, column: str) -> bool:
        return self.text(column).strip() != ""

    def flag(self, column: str) -> bool | None:
        value = self.text(column).strip().lower()
        if value == "":
            return None
        if value in ("true", "false"):
            return value == "true"
        raise self.refuse(column, f"'{value[:40]}' is not true or false.")

    def code(self, column: str, words: tuple[str, ...]) -> str | None:
        """drip's number for a choice, as the journal's word."""
        value = self.text(column).strip()
        if value == "":
            return None
        match = re.fullmatch(r"(\d+)(\.0+)?", value)
        if not match or int(match[1]) >= len(words):
            raise self.refuse(column, f"'{value[:40]}' is not one of drip's values 0-{len(words) - 1}.")
        return words[int(match[1])]

    def note(self, column: str, what: str) -> str | None:
        return free_text(self.text(column), what, self.where)


def _read_row(row: _Row, draft: dict, unmapped: Unmapped) -> None:
    _read_temperature(row, draft)
    _read_bleeding(row, draft)
    _read_mucus_and_cervix(row, draft, unmapped)
    note = row.note("note.value", "note")
    if note:
        draft["note"] = note
    if row.code("desire.value", ("low", "medium", "high")):
        unmapped.add("Desire", row.where)
    _read_sex(row, draft, unmapped)
    _read_pain_and_mood(row, draft, unmapped)


def _read_temperature(row: _Row, draft: dict) -> None:
    excluded = row.flag("temperature.exclude")
    note = row.note("temperature.note", "temperature note")
    if not row.present("temperature.value"):
        if row.present("temperature.time") or excluded:
            raise row.refuse("temperature.value", "is empty, but a time or an exclusion is given.")
        if note:
            draft["other_text"] = (*draft.get("other_text", ()), ("temperature note", note))
        return
    draft["temperature_centi"] = celsius_centi(row.text("temperature.value"), row.where)
    if row.present("temperature.time"):
        draft["temperature_time"] = clock_time(row.text("temperature.time"), row.where)
    if excluded:
        draft["temperature_disturbed"] = True
        draft["temperature_disturbance_reason"] = note or EXCLUDED_IN_DRIP
    elif note:
        draft["other_text"] = (*draft.get("other_text", ()), ("temperature note", note))


def _read_bleeding(row: _Row, draft: dict) -> None:
    bleeding = row.code("bleeding.value", BLEEDING)
    excluded = row.flag("bleeding.exclude")
    if bleeding is None:
        return
    draft["bleeding"] = bleeding
    draft["not_period"] = bool(excluded)


def _read_mucus_and_cervix(row: _Row, draft: dict, unmapped: Unmapped) -> None:
    # mucus.value is drip's own NFP code, derived from feeling and texture: the journal
    # derives its own, so it is not read.
    feeling = row.code("mucus.feeling", MUCUS_FEELING)
    texture = row.code("mucus.texture", MUCUS_TEXTURE)
    if feeling:
        draft["mucus_feeling"] = feeling
    if texture:
        draft["mucus_appearance"] = texture
    if row.flag("mucus.exclude") and (feeling or texture):
        unmapped.add("Mucus marked as excluded from the rules", row.where)
    cervix = {
        "cervix_opening": row.code("cervix.opening", CERVIX_OPENING),
        "cervix_firmness": row.code("cervix.firmness", CERVIX_FIRMNESS),
        "cervix_position": row.code("cervix.position", CERVIX_POSITION),
    }
    draft.update({key: word for key, word in cervix.items() if word})
    if row.flag("cervix.exclude") and any(cervix.values()):
        unmapped.add("Cervix marked as excluded from the rules", row.where)


def _read_sex(row: _Row, draft: dict, unmapped: Unmapped) -> None:
    # drip's Sex schema: solo and partner activity, then the contraceptives used (condom … other,
    # or none); "other" opens the sex note, which says which. Every toggle is read, so that a
    # bad value anywhere is refused.
    partner = row.flag("sex.partner")
    methods = [c for c in CONTRACEPTIVES if row.flag(f"sex.{c}")]
    unprotected = bool(row.flag("sex.none"))
    note = row.note("sex.note", "sex note")
    if row.flag("sex.solo"):
        unmapped.add("Solo sex", row.where)
    if not partner:
        if methods or unprotected:
            unmapped.add("Contraception on a day without sex with a partner", row.where)
        if note:
            draft["other_text"] = (*draft.get("other_text", ()), ("sex note", note))
        return
    draft["intercourse"] = True
    if methods and unprotected:
        unmapped.add(
            "Contraception marked both “none” and a method (imported as intercourse, "
            "without saying whether with sperm)",
            row.where,
        )
        draft["intercourse_protected"] = None
    else:
        draft["intercourse_protected"] = True if methods else (False if unprotected else None)
    if note:
        draft["intercourse_note"] = note


def _read_pain_and_mood(row: _Row, draft: dict, unmapped: Unmapped) -> None:
    for pain, (word, name) in PAINS.items():
        if row.flag(f"pain.{pain}"):
            add_symptom(draft, word, name, unmapped, row.where)
    for mood in MOODS:
        # drip's "other" toggle opens its mood note: with a note, the note says which mood.
        chosen = row.flag(f"mood.{mood}")
        if chosen and not (mood == "other" and row.present("mood.note")):
            add_word(draft, "moods", mood)
    for column, what in (("pain.note", "pain note"), ("mood.note", "mood note")):
        note = row.note(column, what)
        if note:
            draft["other_text"] = (*draft.get("other_text", ()), (what, note))
