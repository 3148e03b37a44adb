"""Pure: reading drip, Clue and Flo exports (webapp.fertility.imports), no app, no database."""

import ast
import csv
import io
import json
import random
import sys
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from webapp.fertility.imports import (
    BLEEDING_UNSPECIFIED,
    ImportFormatError,
    ImportResult,
    limits,
    parse_export,
)
from webapp.fertility.imports.drip import COLUMNS as DRIP_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PACKAGE = Path(__file__).parent.parent / "webapp" / "fertility" / "imports"
TODAY = date(2025, 12, 1)


def read(name: str, today: date = TODAY) -> ImportResult:
    return parse_export(name, (FIXTURES / name).read_bytes(), today=today)


def refusal(name: str, data: bytes, today: date = TODAY) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse_export(name, data, today=today)
    return caught.value


# --------------------------------------------------------------------------- the samples

COUNT_NAMES = (
    "days", "bleeding_days", "period_days", "not_a_period_days", "temperatures",
    "excluded_temperatures", "temperature_reasons", "mucus_days", "mucus_complete_days",
    "cervix_days", "lh_tests", "lh_positive", "pregnancy_tests", "intercourse_days",
    "symptom_days", "mood_days", "notes", "other_free_text",
)
# The fixtures' README, column by column: the counts above in order, then first and last
# date, lowest and highest temperature, and the cycle starts.
EXPECTED = {
    "drip-basic.csv": (
        (87, 18, 18, 0, 82, 2, 2, 63, 63, 0, 0, 0, 0, 7, 16, 13, 12, 0),
        "2025-03-03", "2025-05-31", 3628, 3696,
        ("2025-03-03", "2025-03-31", "2025-04-30", "2025-05-27"),
    ),
    "drip-excluded-and-notes.csv": (
        (95, 19, 17, 2, 86, 3, 3, 65, 65, 64, 0, 0, 0, 8, 15, 13, 13, 3),
        "2025-01-13", "2025-04-17", 3644, 3703,
        ("2025-01-13", "2025-02-13", "2025-03-14", "2025-04-15"),
    ),
    "clue-measurements.json": (
        (88, 21, 18, 3, 83, 2, 0, 59, 0, 0, 18, 7, 3, 9, 9, 10, 9, 0),
        "2025-02-10", "2025-05-10", 3623, 3687,
        ("2025-02-10", "2025-03-11", "2025-04-07", "2025-05-07"),
    ),
    "clue-backup.cluedata": (
        (26, 26, 24, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        "2021-05-03", "2021-08-29", None, None,
        ("2021-05-03", "2021-05-31", "2021-06-29", "2021-07-26", "2021-08-25"),
    ),
    "flo-export.json": (
        (71, 22, 22, 0, 43, 0, 0, 33, 13, 0, 8, 8, 0, 0, 14, 7, 5, 0),
        "2025-04-07", "2025-07-05", 3633, 3684,
        ("2025-04-07", "2025-05-05", "2025-06-03", "2025-07-01"),
    ),
}
FORMATS = {
    "drip-basic.csv": "drip-csv",
    "drip-excluded-and-notes.csv": "drip-csv",
    "clue-measurements.json": "clue-json",
    "clue-backup.cluedata": "clue-cluedata",
    "flo-export.json": "flo-json",
}


@pytest.mark.parametrize("name", EXPECTED)
def test_each_sample_gives_the_expected_counts(name):
    counts, first, last, coolest, warmest, starts = EXPECTED[name]
    result = read(name)
    assert result.format == FORMATS[name]
    assert {key: result.counts[key] for key in COUNT_NAMES} == dict(zip(COUNT_NAMES, counts))
    assert (result.first_date, result.last_date) == (date.fromisoformat(first), date.fromisoformat(last))
    temperatures = [d.temperature_centi for d in result.days if d.temperature_centi is not None]
    assert (min(temperatures, default=None), max(temperatures, default=None)) == (coolest, warmest)
    assert result.cycle_starts == tuple(date.fromisoformat(s) for s in starts)
    assert result.counts["cycle_starts"] == len(starts)


@pytest.mark.parametrize("name", EXPECTED)
def test_cycle_starts_are_the_first_period_day_after_two_without(name):
    result = read(name)
    period_days = {d.date for d in result.days if d.is_period}
    assert result.cycle_starts == tuple(
        day for day in sorted(period_days)
        if not period_days & {day - timedelta(days=1), day - timedelta(days=2)}
    )


@pytest.mark.parametrize("name", EXPECTED)
def test_every_word_is_one_the_journal_stores(name):
    from webapp.fertility import vocabulary as v

    allowed = {
        "bleeding": {*v.BLEEDING, BLEEDING_UNSPECIFIED},
        "mucus_feeling": set(v.MUCUS_FEELINGS),
        "mucus_appearance": set(v.MUCUS_APPEARANCES),
        "cervix_opening": set(v.CERVIX_OPENINGS),
        "cervix_firmness": set(v.CERVIX_FIRMNESS),
        "cervix_position": set(v.CERVIX_POSITIONS),
        "ovulation_test": set(v.OVULATION_TESTS),
        "pregnancy_test": set(v.HOME_RESULTS),
    }
    for day in read(name).days:
        for field, words in allowed.items():
            assert getattr(day, field) in words | {None}, (day.date, field)
        assert set(day.symptoms) <= set(v.SYMPTOMS)
        assert bool(day.other_symptoms) <= ("other" in day.symptoms)
        assert day.carries_anything


def day_of(result: ImportResult, iso: str):
    (day,) = [d for d in result.days if d.date == date.fromisoformat(iso)]
    return day


def test_drip_spot_checks():
    basic = read("drip-basic.csv")
    first = day_of(basic, "2025-03-03")
    assert (first.bleeding, first.temperature_centi, first.temperature_time) == ("heavy", 3635, time(6, 31))
    assert first.symptoms == ("cramps", "other") and first.other_symptoms == ("backache",)
    assert first.note == "erster tag, krämpfe 😣 wärmflasche hilft."
    fertile = day_of(basic, "2025-03-17")
    assert (fertile.mucus_feeling, fertile.mucus_appearance) == ("wet", "egg_white")
    assert (fertile.intercourse, fertile.intercourse_protected, fertile.moods) == (True, False, ("energetic",))
    disturbed = day_of(basic, "2025-04-05")
    assert disturbed.temperature_disturbed
    assert disturbed.temperature_disturbance_reason == "slept badly, woke at 3"

    notes = read("drip-excluded-and-notes.csv")
    assert day_of(notes, "2025-01-16").other_text == (("temperature note", "new thermometer, battery low"),)
    cervix = day_of(notes, "2025-01-22")
    assert (cervix.cervix_opening, cervix.cervix_firmness, cervix.cervix_position) == ("closed", "firm", "low")
    assert cervix.temperature_disturbance_reason == "wine at a wedding, late night"
    other_mood = day_of(notes, "2025-01-27")
    assert other_mood.moods == ("happy",)  # drip's "other" toggle is what its mood note says
    assert other_mood.other_text == (("mood note", "nervös vor dem termin"),)
    spotting = day_of(notes, "2025-01-29")
    assert (spotting.bleeding, spotting.not_period) == ("spotting", True)
    assert day_of(notes, "2025-03-01").note == "ovulation pain, left side\nlasted 2 h"
    assert day_of(notes, "2025-03-13").note == 'midwife said: "creamy is fine"; next appointment 14.02.'


def test_clue_spot_checks():
    result = read("clue-measurements.json")
    assert day_of(result, "2025-02-10").note == "müde 😴, Kopfweh"
    spotting = day_of(result, "2025-02-15")
    assert (spotting.bleeding, spotting.not_period) == ("spotting", True)
    fertile = day_of(result, "2025-02-25")
    assert (fertile.mucus_feeling, fertile.mucus_appearance, fertile.ovulation_test) == (None, "egg_white", "peak")
    assert (fertile.intercourse, fertile.intercourse_protected, fertile.note) == (True, False, "ICI 💛")
    excluded = day_of(result, "2025-03-16")
    assert excluded.temperature_disturbed and excluded.temperature_disturbance_reason == "excluded in Clue"
    assert any("very heavy" in warning for warning in result.warnings)

    backup = read("clue-backup.cluedata")
    assert day_of(backup, "2021-05-03").bleeding == "heavy"
    assert (day_of(backup, "2021-05-30").bleeding, day_of(backup, "2021-05-30").not_period) == ("spotting", True)


def test_flo_spot_checks():
    result = read("flo-export.json")
    first = day_of(result, "2025-04-07")
    assert (first.bleeding, first.temperature_centi, first.symptoms) == (BLEEDING_UNSPECIFIED, 3655, ("cramps",))
    assert day_of(result, "2025-04-08").note == "Éclair day, cramps better"
    fertile = day_of(result, "2025-04-20")
    assert (fertile.mucus_appearance, fertile.ovulation_test, fertile.moods) == ("creamy", "peak", ("happy",))
    assert any("unspecified level" in warning for warning in result.warnings)


def not_mapped(result: ImportResult) -> dict[str, int]:
    return {item.what.split(":")[0]: item.count for item in result.not_mapped}


def test_what_the_journal_cannot_hold_is_reported_never_dropped():
    assert not_mapped(read("drip-basic.csv")) == {
        "Desire": 8, "Ovulation pain": 1, "Solo sex": 2, "Backache": 1,
    }
    clue = read("clue-measurements.json")
    assert not_mapped(clue) == {"Desire": 3, "Clue “collection_method” records": 13}
    (collection,) = [item for item in clue.not_mapped if "collection_method" in item.what]
    assert collection.where.startswith("records 215, 216")
    assert not_mapped(read("flo-export.json")) == {"Days marked as ovulation in Flo": 1}
    assert read("clue-backup.cluedata").not_mapped == ()


# --------------------------------------------------------------------------- refusals

MALFORMED = {
    "drip-malformed-header.csv": ("unknown-columns", "line 1: the columns are separated by semicolons"),
    "drip-malformed-dates.csv": ("invalid-date", "line 2: '31.5.2025' is not a date written YYYY-MM-DD"),
    "drip-malformed-truncated.csv": ("truncated", "line 57: the file ends inside a quoted text"),
    "clue-malformed-truncated.json": ("invalid-json", "line 1, column 17083"),
    "clue-malformed-dates.json": ("invalid-date", "record 1 ([0].date): '10/02/2025' is not a date"),
    "clue-backup-malformed-truncated.cluedata": ("invalid-json", "line 21, column 35"),
    "flo-malformed-dates.json": ("invalid-date", "cycle 1 period_start_date: '01/07/2025' is not a date"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_each_malformed_sample_is_refused_saying_where(name):
    kind, says = MALFORMED[name]
    error = refusal(name, (FIXTURES / name).read_bytes())
    assert error.kind == kind
    assert says in str(error)
    assert str(error).startswith(f"“{name}”")


def test_a_cut_off_json_file_is_named_after_its_app():
    assert "the Clue file may be cut off" in str(refusal("x.json", (FIXTURES / "clue-malformed-truncated.json").read_bytes()))
    flo = (FIXTURES / "flo-export.json").read_bytes()[:5000]
    assert "the Flo file may be cut off" in str(refusal("export.json", flo))


# --------------------------------------------------------------------------- drip variations


def drip_csv(*rows: dict, columns=DRIP_COLUMNS, newline="\n") -> bytes:
    """A drip export of these rows (column → text), written the way drip writes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def drip(*rows: dict, today: date = TODAY, **options) -> ImportResult:
    return parse_export("drip-data.csv", drip_csv(*rows, **options), today=today)


def drip_refusal(*rows: dict, today: date = TODAY, **options) -> ImportFormatError:
    return refusal("drip-data.csv", drip_csv(*rows, **options), today=today)


BASIC_DRIP = (FIXTURES / "drip-basic.csv").read_bytes()


def rewritten(data: bytes, order) -> bytes:
    """The same drip file with its columns in another order."""
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    columns = order(list(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[row[i] for i in columns] for row in rows])
    return out.getvalue().encode()


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="byte-order-mark"),
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: rewritten(data, lambda cols: cols[::-1]), id="reversed-columns"),
        pytest.param(lambda data: rewritten(data, lambda cols: cols[1:] + cols[:1]), id="date-last"),
        pytest.param(lambda data: data.replace(b"true", b"TRUE").replace(b"false", b"False"), id="capitals"),
        pytest.param(lambda data: data.rstrip(b"\n") + b"\n\n", id="blank-line-at-end"),
    ],
)
def test_drip_variants_read_the_same(variant):
    expected = parse_export("drip-data.csv", BASIC_DRIP, today=TODAY)
    assert parse_export("drip-data.csv", variant(BASIC_DRIP), today=TODAY).days == expected.days


def test_the_columns_are_the_ones_drip_writes_in_its_order():
    assert BASIC_DRIP.decode().split("\n", 1)[0].split(",") == list(DRIP_COLUMNS)


def test_drip_header_in_capitals_is_read():
    data = BASIC_DRIP.replace(b"date,temperature.value", b"DATE,Temperature.Value", 1)
    assert parse_export("drip-data.csv", data, today=TODAY).days == read("drip-basic.csv").days


def test_a_crlf_note_keeps_plain_line_breaks():
    (day,) = drip({"date": "2025-03-01", "note.value": "first\nsecond"}, newline="\r\n").days
    assert day.note == "first\nsecond"


def test_a_subset_of_drips_columns_is_enough():
    result = drip(
        {"date": "2025-03-02", "bleeding.value": "1"},
        {"date": "2025-03-01", "bleeding.value": "3"},
        columns=("bleeding.value", "date"),
    )
    assert [(d.date.day, d.bleeding) for d in result.days] == [(1, "heavy"), (2, "light")]


def test_rows_with_only_a_date_carry_nothing():
    result = drip(
        {"date": "2025-03-03"},
        {"date": "2025-03-02", "temperature.exclude": "false", "mucus.exclude": "false"},
        {"date": "2025-03-01", "temperature.value": "36.5"},
    )
    assert [d.date for d in result.days] == [date(2025, 3, 1)]


@pytest.mark.parametrize(
    ("rows", "kind", "says"),
    [
        pytest.param(
            [{"date": "2025-03-01"}, {"date": "2025-03-02"}, {"date": "2025-03-01", "note.value": "x"}],
            "duplicate-date", "line 4: 2025-03-01 is there twice, on lines 2 and 4", id="duplicate-date",
        ),
        pytest.param([{"date": "2025-02-29"}], "invalid-date", "line 2: '2025-02-29' is not a date: there is no such day", id="not-a-leap-year"),
        pytest.param([{"date": "2024-02-30"}], "invalid-date", "line 2: '2024-02-30' is not a date", id="february-30"),
        pytest.param([{"date": "2025/03/01"}], "invalid-date", "line 2: '2025/03/01' is not a date written YYYY-MM-DD", id="slashes"),
        pytest.param([{"date": ""}], "invalid-date", "line 2: '' is not a date", id="no-date"),
        pytest.param([{"date": "2025-12-03"}], "future-date", "line 2: 2025-12-03 is in the future", id="future"),
        pytest.param([{"date": "1969-12-31"}], "too-old", "line 2: 1969-12-31 is before 1970", id="before-1970"),
        pytest.param(
            [{"date": "2025-03-01", "note.value": "x" * (limits.NOTE_MAX_CHARACTERS + 1)}],
            "too-long", "line 2: the note is 4,001 characters long; the journal keeps at most 4,000", id="long-note",
        ),
        pytest.param(
            [{"date": "2025-03-01", "pain.note": "x" * 5000}],
            "too-long", "line 2: the pain note is 5,000 characters", id="long-pain-note",
        ),
        pytest.param([{"date": "2025-03-01", "temperature.value": "98.6"}], "out-of-range", "line 2: the temperature 98.6 °C is outside 34-43 °C", id="fahrenheit-in-drip"),
        pytest.param([{"date": "2025-03-01", "temperature.value": "33.9"}], "out-of-range", "outside 34-43 °C", id="too-cold"),
        pytest.param([{"date": "2025-03-01", "temperature.value": "36,5"}], "invalid-value", "'36,5' is not a number (use a point, not a comma)", id="decimal-comma"),
        pytest.param([{"date": "2025-03-01", "temperature.value": "36.5", "temperature.time": "7h30"}], "invalid-value", "'7h30' is not a time", id="bad-time"),
        pytest.param([{"date": "2025-03-01", "temperature.time": "07:30"}], "invalid-value", "temperature.value: is empty, but a time", id="time-without-temperature"),
        pytest.param([{"date": "2025-03-01", "bleeding.value": "4"}], "invalid-value", "line 2: bleeding.value: '4' is not one of drip's values 0-3", id="bleeding-code"),
        pytest.param([{"date": "2025-03-01", "pain.cramps": "yes"}], "invalid-value", "line 2: pain.cramps: 'yes' is not true or false", id="not-a-flag"),
    ],
)
def test_drip_refusals_say_which_line(rows, kind, says):
    error = drip_refusal(*rows)
    assert error.kind == kind
    assert says in str(error)
    assert error.where.startswith("line")


def test_a_leap_day_and_the_grace_day_are_accepted():
    result = drip({"date": "2025-12-02", "note.value": "tomorrow, east of UTC"}, {"date": "2024-02-29", "bleeding.value": "2"})
    assert [d.date for d in result.days] == [date(2024, 2, 29), date(2025, 12, 2)]
    assert limits.FUTURE_DAYS_ALLOWED == 1


def test_a_note_at_the_journals_limit_is_kept_whole():
    (day,) = drip({"date": "2025-03-01", "note.value": "x" * limits.NOTE_MAX_CHARACTERS}).days
    assert len(day.note) == limits.NOTE_MAX_CHARACTERS


@pytest.mark.parametrize(
    ("header", "says"),
    [
        pytest.param(("date", "temperature.value", "feeling"), "drip does not write the column 'feeling'", id="unknown"),
        pytest.param(("date", "bleeding.value", "bleeding.value"), "the column 'bleeding.value' is there twice", id="twice"),
        pytest.param(("bleeding.value", "temperature.value"), "there is no 'date' column", id="no-date"),
    ],
)
def test_drip_headers_that_are_not_drips_are_refused(header, says):
    error = drip_refusal(columns=header)
    assert (error.kind, error.where) == ("unknown-columns", "line 1")
    assert says in str(error)


def test_a_drip_line_with_too_many_values_is_refused():
    data = drip_csv({"date": "2025-03-01"}, {"date": "2025-03-02"}).replace(b"2025-03-01", b"2025-03-01,extra", 1)
    error = refusal("drip-data.csv", data)
    assert "line 2: this line has 50 values where the header has 49 columns" in str(error)


def test_a_drip_file_cut_off_between_quotes_is_refused_as_truncated():
    data = drip_csv({"date": "2025-03-02"}, {"date": "2025-03-01", "temperature.value": "36.5"})
    error = refusal("drip-data.csv", data[: data.rindex(b"36.5") + 4])
    assert error.kind == "truncated" and error.where == "line 3"


def test_drip_mapping_of_codes_and_toggles():
    (day,) = drip(
        {
            "date": "2025-03-01", "temperature.value": "36.555", "temperature.exclude": "true",
            "bleeding.value": "0", "bleeding.exclude": "true", "mucus.feeling": "3",
            "mucus.texture": "2", "mucus.value": "4", "mucus.exclude": "true",
            "cervix.opening": "1", "cervix.firmness": "0", "cervix.position": "2",
            "desire.value": "0", "sex.partner": "true", "sex.condom": "true", "sex.note": "hotel",
            "pain.nausea": "true", "pain.tenderBreasts": "true", "pain.headache": "false",
            "pain.migraine": "true", "mood.fatigue": "true", "mood.other": "true",
        }
    ).days
    assert day.temperature_centi == 3656  # half up, as round(value × 100) on a decimal
    assert (day.temperature_disturbed, day.temperature_disturbance_reason) == (True, "excluded in drip")
    assert (day.bleeding, day.not_period) == ("spotting", True)
    assert (day.mucus_feeling, day.mucus_appearance) == ("slippery", "egg_white")
    assert (day.cervix_opening, day.cervix_firmness, day.cervix_position) == ("medium", "firm", "high")
    assert (day.intercourse, day.intercourse_protected) == (True, True)
    assert day.symptoms == ("nausea", "breast_tenderness", "other") and day.other_symptoms == ("migraine",)
    assert day.moods == ("fatigue", "other")
    # drip's sex note belongs to the sex with a partner: it becomes that intercourse's note.
    assert (day.intercourse_note, day.other_text) == ("hotel", ())


def test_drip_partial_information_is_reported():
    result = drip(
        {"date": "2025-03-02", "sex.solo": "true", "sex.pill": "true"},
        {"date": "2025-03-01", "mucus.feeling": "1", "mucus.exclude": "true", "cervix.opening": "0", "cervix.exclude": "true"},
    )
    assert not_mapped(result) == {
        "Solo sex": 1,
        "Contraception on a day without sex with a partner": 1,
        "Mucus marked as excluded from the rules": 1,
        "Cervix marked as excluded from the rules": 1,
    }
    assert [item.where for item in result.not_mapped] == ["line 2", "line 2", "line 3", "line 3"]


def test_drip_intercourse_sample_maps_contraception_to_protected_and_none_to_with_sperm():
    # tests/fixtures/imports/drip-intercourse.csv: drip's columns (db/schemas/4.js, Sex) as
    # export-to-csv.js writes them; one partner day per contraceptive case.
    result = read("drip-intercourse.csv")
    said = {d.date.isoformat(): (d.intercourse, d.intercourse_protected, d.intercourse_note) for d in result.days}
    assert said == {
        "2025-06-06": (True, True, "after the party, it's fine"),  # iud; the note quoted by drip
        "2025-06-10": (True, None, None),  # "none" and a condom: it cannot be told
        "2025-06-12": (True, True, "sponge"),  # drip's "other" method, named in the note
        "2025-06-14": (True, None, None),  # no contraception said
        "2025-06-16": (True, False, None),  # none
        "2025-06-18": (True, True, None),  # pill
        "2025-06-20": (True, True, None),  # condom
    }  # 2025-06-08 (solo, with the pill) is no intercourse and carries nothing else
    assert result.counts["intercourse_days"] == 7 and result.counts["other_free_text"] == 2
    assert not_mapped(result) == {
        "Contraception marked both “none” and a method (imported as intercourse, without saying "
        "whether with sperm)": 1,
        "Solo sex": 1,
        "Contraception on a day without sex with a partner": 1,
    }


def test_drip_sex_toggles_are_all_read_so_a_bad_one_is_refused():
    error = drip_refusal({"date": "2025-03-01", "sex.partner": "true", "sex.condom": "true", "sex.iud": "maybe"})
    assert error.where == "line 2" and "sex.iud: 'maybe' is not true or false" in str(error)


def test_drip_sex_note_without_a_partner_stays_free_text():
    (day,) = drip({"date": "2025-03-01", "sex.solo": "true", "sex.note": "alone"}, {"date": "2025-03-02", "bleeding.value": "1"}).days[:1]
    assert (day.intercourse, day.other_text) == (False, (("sex note", "alone"),))


def test_clue_intercourse_sample_maps_protected_unprotected_and_withdrawal():
    # tests/fixtures/imports/clue-intercourse.json: Clue's sex_life options as the readers of
    # real files list them (fabfabretti/clue-to-drip conversionrules.md, forcegk/clue2drip).
    result = read("clue-intercourse.json")
    said = {d.date.isoformat(): (d.intercourse, d.intercourse_protected) for d in result.days}
    assert said == {
        "2025-06-02": (True, True),  # protected (and a temperature)
        "2025-06-04": (True, False),  # unprotected, with a high sex drive
        "2025-06-06": (True, None),  # withdrawal: sex without saying whether with sperm
        "2025-06-08": (True, None),  # protected and unprotected on one day
        "2025-06-14": (True, False),
    }
    assert not_mapped(result) == {
        "Desire": 1,
        "Clue sex life “withdrawal” (imported as intercourse, without saying whether with sperm)": 1,
        "Clue “no sex today”": 1,
        "Solo sex": 1,
    }


# --------------------------------------------------------------------------- Clue and Flo variations


def clue(*records: dict, today: date = TODAY) -> ImportResult:
    return parse_export("measurements.json", json.dumps(list(records)).encode(), today=today)


def test_clue_period_wins_over_spotting_and_the_heavier_period_wins():
    result = clue(
        {"type": "spotting", "date": "2025-03-01", "value": [{"option": "brown"}]},
        {"type": "period", "date": "2025-03-01", "value": {"option": "light"}},
        {"type": "period", "date": "2025-03-01", "value": {"option": "medium"}},
    )
    (day,) = result.days
    assert (day.bleeding, day.not_period) == ("medium", False)


def test_clue_unknown_types_and_options_are_reported_not_fatal():
    result = clue(
        {"type": "weight", "date": "2025-03-01", "value": {"kg": 60}},
        {"type": "pain", "date": "2025-03-01", "value": [{"option": "period_cramps"}, {"option": "joint_pain"}]},
        {"type": "discharge", "date": "2025-03-01", "value": [{"option": "atypical"}]},
    )
    (day,) = result.days
    assert day.symptoms == ("cramps",)
    assert not_mapped(result) == {
        "Clue “weight” records": 1, "Clue pain “joint_pain”": 1, "Clue discharge “atypical”": 1,
    }


@pytest.mark.parametrize(
    ("records", "says"),
    [
        pytest.param(
            [{"type": "bbt", "date": "2025-03-01", "value": {"celsius": 36.5}},
             {"type": "bbt", "date": "2025-03-01", "value": {"celsius": 36.7}}],
            "record 2 ([1].value): a second, different temperature for the same day (the first is in record 1",
            id="two-temperatures",
        ),
        pytest.param([{"type": "bbt", "date": "2025-03-01", "value": {"fahrenheit": 97.7}}], "record 1 ([0].value): a temperature record has no “celsius”", id="no-celsius"),
        pytest.param([{"type": "bbt", "date": "2025-03-01", "value": {"celsius": 45.5}}], "record 1 ([0].value): the temperature 45.5 °C is outside", id="too-warm"),
        pytest.param([{"type": "pain", "date": "2025-03-01", "value": "cramps"}], "record 1 ([0].value): the value is not one of Clue's options", id="not-options"),
        pytest.param([{"type": "pain", "date": "2025-03-01T00:00:00Z", "value": []}], "record 1 ([0].date): '2025-03-01T00:00:00Z' is not a date written YYYY-MM-DD", id="timestamp"),
        pytest.param([{"type": "tags", "date": "2025-03-01", "value": [{"option": "x" * 2500}, {"option": "y" * 2500}]}], "record 1: the list of tags (the day note) is 5,002 characters", id="long-tags"),
    ],
)
def test_clue_refusals_say_which_record(records, says):
    error = refusal("measurements.json", json.dumps(records).encode())
    assert says in str(error)


def flo(events=(), cycles=(), notes=()) -> bytes:
    return json.dumps(
        {"operationalData": {"cycles": list(cycles), "point_events_manual_v2": list(events), "notes": list(notes)}}
    ).encode()


def temperature(day: str, value) -> dict:
    return {"category": "Temperature", "subcategory": "N/A", "properties": {"value": value}, "date": f"{day} 00:00:00.0"}


def test_flo_temperatures_that_can_only_be_fahrenheit_are_converted_with_a_warning():
    result = parse_export(
        "flo.json", flo([temperature("2025-03-01", 97.7), temperature("2025-03-02", 36.6)]), today=TODAY
    )
    assert [d.temperature_centi for d in result.days] == [3650, 3660]
    assert result.warnings == ("1 temperature was above 45, so only °F is possible: converted from °F to °C.",)


def test_flo_celsius_only_has_no_unit_warning():
    result = parse_export("flo.json", flo([temperature("2025-03-01", 36.6)]), today=TODAY)
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(flo([temperature("2025-03-01", 44)]), "event 1: the temperature 44 °C is outside 34-43 °C", id="neither-unit"),
        pytest.param(flo([temperature("2025-03-01", 115)]), "event 1: the temperature 115 °F is outside", id="too-warm-fahrenheit"),
        pytest.param(
            flo(cycles=[{"period_start_date": "2025-03-05 00:00:00.0", "period_end_date": "2025-03-01 00:00:00.0"}]),
            "cycle 1: the period ends (2025-03-01) before it starts (2025-03-05)", id="end-before-start",
        ),
        pytest.param(
            flo(cycles=[{"period_start_date": "2025-01-01 00:00:00.0", "period_end_date": "2025-03-01 00:00:00.0"}]),
            "cycle 1: a period from 2025-01-01 to 2025-03-01 is longer than 45 days", id="period-too-long",
        ),
        pytest.param(flo(notes=[{"date": "2025-03-01 00:00:00.0"}]), "note 1: the note has no text", id="note-without-text"),
        pytest.param(flo(notes=[{"text": "x", "date": "2025-12-25 00:00:00.0"}]), "note 1 date: 2025-12-25 is in the future", id="future-note"),
    ],
)
def test_flo_refusals_say_which_key(data, says):
    assert says in str(refusal("flo.json", data))


def test_flo_unknown_events_and_sections_are_reported():
    data = json.loads(flo([{"category": "Weight", "subcategory": "N/A", "date": "2025-03-01 00:00:00.0"}]))
    data["operationalData"]["pregnancies"] = [{"id": 1}]
    with pytest.raises(ImportFormatError) as caught:  # a weight alone carries nothing to import
        parse_export("flo.json", json.dumps(data).encode(), today=TODAY)
    assert caught.value.kind == "empty"
    data["operationalData"]["point_events_manual_v2"].append(temperature("2025-03-01", 36.5))
    result = parse_export("flo.json", json.dumps(data).encode(), today=TODAY)
    assert not_mapped(result) == {"Flo “pregnancies” section": 1, "Flo “Weight / N/A” events": 1}


# --------------------------------------------------------------------------- detection


def test_the_format_is_told_by_content_not_by_name():
    assert parse_export("backup.json", BASIC_DRIP, today=TODAY).format == "drip-csv"
    clue_data = (FIXTURES / "clue-measurements.json").read_bytes()
    assert parse_export("drip-data.csv", clue_data, today=TODAY).format == "clue-json"
    backup = (FIXTURES / "clue-backup.cluedata").read_bytes()
    assert parse_export("measurements.json", backup, today=TODAY).format == "clue-cluedata"


@pytest.mark.parametrize(
    ("data", "kind", "says"),
    [
        pytest.param(b"", "empty", "the file is empty", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "not-text", "this is not a text file", id="binary"),
        pytest.param(b"Date;Temp\n1.3.2025;36,5\n", "unknown-format", "line 1: this is not an export of drip", id="other-csv"),
        pytest.param(b'{"format": "seedling-export", "version": 1}', "unknown-format", "this is a Seedling data file", id="seedling"),
        pytest.param(b'{"cycles": []}', "unknown-format", "this JSON is not an export of drip", id="other-json"),
        pytest.param(b"[]", "empty", "the file holds no records", id="empty-list"),
        pytest.param(b'{"data": []}', "empty", "nothing to import", id="empty-backup"),
        pytest.param(b"[NaN]", "invalid-json", "this is not valid JSON", id="nan"),
        pytest.param(",".join(DRIP_COLUMNS).encode(), "empty", "nothing to import", id="header-only"),
    ],
)
def test_files_that_are_no_export_are_refused(data, kind, says):
    error = refusal("upload", data)
    assert error.kind == kind
    assert says in str(error)


def test_the_file_is_named_by_its_own_name_only():
    error = refusal("C:\\Users\\someone\\Downloads\\drip-data.csv", b"")
    assert str(error) == "“drip-data.csv”: the file is empty."


def test_a_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert refusal("drip-data.csv", BASIC_DRIP).kind == "too-large"


# --------------------------------------------------------------------------- the package


def test_the_package_imports_only_the_standard_library():
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 2, (module.name, node.module)  # .. is webapp.fertility
                continue
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or name.startswith("webapp.fertility"), (module.name, name)


def test_the_limits_are_the_journals():
    from webapp.journal import forms

    assert limits.NOTE_MAX_CHARACTERS == forms.NOTE_MAX
    assert limits.FUTURE_DAYS_ALLOWED == forms.FUTURE_DAYS_ALLOWED
    assert (limits.TEMPERATURE_MIN_CENTI, limits.TEMPERATURE_MAX_CENTI) == (3400, 4300)


@pytest.mark.parametrize("name", [*EXPECTED, *MALFORMED])
def test_damaged_files_give_a_result_or_a_refusal_never_a_crash(name):
    data = (FIXTURES / name).read_bytes()
    chance = random.Random(name)
    for _ in range(40):
        damaged = bytearray(data[: chance.randrange(len(data) + 1)])
        for _ in range(chance.randrange(4)):
            if damaged:
                damaged[chance.randrange(len(damaged))] = chance.choice(b',;"\n{}[]:0-9aZ\xff')
        try:
            result = parse_export(name, bytes(damaged), today=TODAY)
        except ImportFormatError as error:
            assert str(error).startswith(f"“{name}”")
        else:
            assert result.days and all(day.carries_anything for day in result.days)


ODD_VALUES = [None, True, 5, 3.5, 1e308, "x", [], {}, [1], {"option": []}, [{"option": None}], {"a": 1}]


def odd_files(odd) -> list[tuple[str, object]]:
    """Every place a JSON export holds a value, filled with something odd."""
    on_day = "2025-03-01 00:00:00.0"
    return [
        *(("m.json", [{"type": kind, "date": "2025-03-01", "value": odd}])
          for kind in ("period", "spotting", "bbt", "discharge", "tests", "pain", "tags", "weight")),
        ("m.json", [{"type": "bbt", "date": "2025-03-01", "value": {"celsius": odd, "excluded": odd}}]),
        ("m.json", [{"type": odd, "date": odd, "value": odd}]),
        ("b.cluedata", {"data": [{"day": "2021-05-03T00:00:00Z", "period": odd}]}),
        ("b.cluedata", {"data": [{"day": odd, "period": "light"}]}),
        ("b.cluedata", {"data": [odd]}),
        ("f.json", {"operationalData": odd}),
        *(("f.json", {"operationalData": {section: odd}}) for section in ("cycles", "point_events_manual_v2", "notes")),
        *(("f.json", {"operationalData": {section: [odd]}}) for section in ("cycles", "point_events_manual_v2", "notes")),
        ("f.json", {"operationalData": {"cycles": [{"period_start_date": on_day, "period_end_date": odd}]}}),
        ("f.json", {"operationalData": {"point_events_manual_v2": [
            {"category": "Fluid", "subcategory": odd, "date": on_day},
            {"category": "Temperature", "subcategory": "N/A", "date": on_day, "properties": {"value": odd}},
        ]}}),
        ("f.json", {"operationalData": {"notes": [{"text": odd, "date": on_day}]}}),
    ]


@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
def test_odd_json_values_give_a_result_or_a_refusal_never_a_crash(odd):
    for name, content in odd_files(odd):
        try:
            parse_export(name, json.dumps(content).encode(), today=TODAY)
        except ImportFormatError as error:
            assert str(error).startswith(f"“{name}”")
