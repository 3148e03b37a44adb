"""Tests for webapp.fertility.sensiplan: the shared Sensiplan fixtures, then our own cases.

The fixture file ``tests/fixtures/sensiplan-cases.json`` is a copy of the project's shared
Sensiplan cases (see its "about" key and tests/fixtures/README.md for where they come from).
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from webapp.fertility.sensiplan import mucus_code, sensiplan_status

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sensiplan-cases.json"
MISSING_FIXTURES = (
    f"Sensiplan fixture file not found at {FIXTURES}; these tests never run without it."
)


def _fixture_params(key: str) -> list[Any]:
    # A missing file becomes one failing test rather than a skip or a collection crash.
    if not FIXTURES.is_file():
        return [pytest.param(None, id="fixture-file-missing")]
    cases = json.loads(FIXTURES.read_text(encoding="utf-8"))[key]
    if key == "cases":
        return [pytest.param(case, id=case["id"]) for case in cases]
    return [pytest.param(case, id=f"{case['feeling']}-{case['texture']}") for case in cases]


@pytest.mark.parametrize("case", _fixture_params("cases"))
def test_fixture_case(case: dict[str, Any] | None) -> None:
    if case is None:
        pytest.fail(MISSING_FIXTURES)
    if case["expect"] == {"raises": "ValueError"}:
        with pytest.raises(ValueError):
            sensiplan_status(**case["call"])
    else:
        assert sensiplan_status(**case["call"]) == case["expect"]


@pytest.mark.parametrize("case", _fixture_params("mucus_code_cases"))
def test_fixture_mucus_code(case: dict[str, Any] | None) -> None:
    if case is None:
        pytest.fail(MISSING_FIXTURES)
    assert mucus_code(case["feeling"], case["texture"]) == case["expect"]


# --------------------------------------------------------------------------- cycle builders

START = date(2018, 6, 1)
# Six lower values whose highest is 36.5, so every window of six has the coverline 36.5.
LOWS = [36.4, 36.45, 36.35, 36.5, 36.45, 36.4]
RISE = [36.7, 36.7, 36.75]  # a regular (rule 0) shift over a 36.5 coverline
CLOSED_HARD = {"opening": 0, "firmness": 0}
OPEN_SOFT = {"opening": 2, "firmness": 1}


def on(n: int, start: date = START) -> str:
    """The ISO date of cycle day n."""
    return (start + timedelta(days=n - 1)).isoformat()


def day(n: int, temperature: float | None = None, start: date = START, **fields: Any) -> dict:
    """Cycle day n as the engine receives it; day 1 bleeds unless told otherwise."""
    record: dict[str, Any] = {"date": on(n, start)}
    if temperature is not None:
        record["temperature"] = temperature
    if n == 1:
        record["bleeding"] = 2
    record.update(fields)
    return record


def temperature_days(temperatures: list[float], start: date = START) -> list[dict]:
    """One recorded day per temperature, from cycle day 1 on without gaps."""
    return [day(n, t, start) for n, t in enumerate(temperatures, start=1)]


def with_field(days: list[dict], field: str, values: dict[int, Any]) -> list[dict]:
    """Set ``field`` on the given cycle days (1-based positions in ``days``)."""
    for n, value in values.items():
        days[n - 1][field] = value
    return days


def past_cycle(
    start: date, first_high_day: int, symptom: str = "mucus", secondary: bool = True
) -> list[dict]:
    """A finished cycle whose first higher measurement falls on ``first_high_day``.

    With ``secondary`` it also has a secondary shift (peak on the same day), so it counts for
    the 5-day and minus-8 rules; without, it has a temperature shift only.
    """
    days = []
    for n in range(1, first_high_day + 7):
        if n < first_high_day:
            temperature = LOWS[(n - 1) % len(LOWS)]
        elif n < first_high_day + len(RISE):
            temperature = RISE[n - first_high_day]
        else:
            temperature = 36.8
        fertile = secondary and n == first_high_day
        if symptom == "mucus":
            days.append(day(n, temperature, start, mucus=4 if fertile else 1))
        else:
            days.append(day(n, temperature, start, cervix=OPEN_SOFT if fertile else CLOSED_HARD))
    return days


def past_cycles(count: int, first_high_day: int, start: date = date(2018, 5, 4)) -> list[list]:
    """``count`` finished cycles, most recent first, each 4 weeks before the next."""
    return [past_cycle(start - timedelta(weeks=4 * i), first_high_day) for i in range(count)]


def dry_cycle(length: int, start: date = START) -> list[dict]:
    """A cycle of lower temperatures and dry mucus: no shift, no fertile sign."""
    return [day(n, LOWS[(n - 1) % 6], start, mucus=0) for n in range(1, length + 1)]


def status(
    temperature: dict | None = None,
    secondary: dict | None = None,
    pre: dict | None = None,
    peri: dict | None = None,
    post: dict | None = None,
) -> dict:
    return {
        "temperature_shift": temperature,
        "secondary_shift": secondary,
        "pre_ovulatory": pre,
        "peri_ovulatory": peri,
        "post_ovulatory": post,
    }


def shift(rule: int, coverline: float, first_high: int, confirmed: int, start: date = START):
    return {
        "rule": rule,
        "coverline": coverline,
        "first_high_date": on(first_high, start),
        "confirmed_date": on(confirmed, start),
    }


NO_PHASES_YET = {"start": on(1), "end": None}


def infertile_until(end: int) -> dict:
    """A shift-free status whose pre-ovulatory phase ends on cycle day ``end``."""
    return status(pre={"start": on(1), "end": on(end)}, peri={"start": on(end + 1), "end": None})


# --------------------------------------------------------------------------- temperature rules


def test_regular_rule_reports_exact_status() -> None:
    result = sensiplan_status(temperature_days(LOWS + RISE))
    assert result == status(temperature=shift(0, 36.5, 7, 9), peri=NO_PHASES_YET)
    json.dumps(result)  # JSON-ready as the contract promises


def test_excluded_temperatures_are_ignored_by_every_rule() -> None:
    cycle = temperature_days(
        [36.4, 36.45, 37.2, 36.35, 36.5, 36.45, 36.4, 36.7, 36.1, 36.7, 36.75]
    )
    # Day 3 would set the coverline to 37.2; day 9 would turn a regular shift into a dip.
    with_field(cycle, "temperature_excluded", {3: True, 9: True})
    expected = status(temperature=shift(0, 36.5, 8, 11), peri=NO_PHASES_YET)
    assert sensiplan_status(cycle) == expected

    # Excluding is exactly like not measuring on those days ...
    unmeasured = [d for d in cycle if not d.get("temperature_excluded")]
    assert sensiplan_status(unmeasured) == expected
    # ... and without the flag the disturbed values do count.
    with_field(cycle, "temperature_excluded", {3: False, 9: False})
    assert sensiplan_status(cycle) == status(peri=NO_PHASES_YET)


def test_gaps_rules_count_recorded_measurements_not_calendar_days() -> None:
    measured_on = [1, 3, 5, 7, 9, 11, 14, 15, 17]
    cycle = [day(n, t) for n, t in zip(measured_on, LOWS + RISE)]
    cycle.append(day(12, mucus=1))  # a day without a temperature is not a measurement
    expected = status(temperature=shift(0, 36.5, 14, 17), peri=NO_PHASES_YET)
    assert sensiplan_status(cycle) == expected


def test_first_six_measurements_are_never_candidates() -> None:
    # A rise on the 6th measurement is no candidate, and needs six lower values before it.
    cycle = temperature_days([36.4, 36.45, 36.35, 36.5, 36.45, 36.8, 36.8, 36.9])
    assert sensiplan_status(cycle) == status(peri=NO_PHASES_YET)


def test_first_exception_confirms_on_the_fourth_value() -> None:
    cycle = temperature_days(LOWS + [36.7, 36.6, 36.65, 36.55])
    assert sensiplan_status(cycle) == status(temperature=shift(1, 36.5, 7, 10), peri=NO_PHASES_YET)


@pytest.mark.parametrize(
    "after_lows",
    [
        pytest.param([36.7, 36.5, 36.7, 36.7], id="second-at-line"),
        pytest.param([36.7, 36.75, 36.45, 36.8], id="third-below-line"),
    ],
)
def test_second_exception_allows_one_dip(after_lows: list[float]) -> None:
    cycle = temperature_days(LOWS + after_lows)
    assert sensiplan_status(cycle) == status(temperature=shift(2, 36.5, 7, 10), peri=NO_PHASES_YET)


@pytest.mark.parametrize(
    "after_lows",
    [
        pytest.param([36.7, 36.6, 36.65, 36.5], id="rule-1-fourth-at-line"),
        pytest.param([36.7, 36.5, 36.6, 36.65], id="rule-2-fourth-short-of-0.2"),
        pytest.param([36.7, 36.5, 36.45, 36.8], id="two-dips"),
        pytest.param([36.7, 36.6, 36.65], id="rule-1-fourth-not-yet-recorded"),
        pytest.param([36.7, 36.5, 36.7], id="rule-2-fourth-not-yet-recorded"),
        pytest.param([36.7, 36.7], id="rule-0-third-not-yet-recorded"),
    ],
)
def test_exceptions_are_never_combined_and_need_their_values(after_lows: list[float]) -> None:
    assert sensiplan_status(temperature_days(LOWS + after_lows)) == status(peri=NO_PHASES_YET)


def test_halfway_values_round_up_to_the_next_005() -> None:
    # 36.525 -> 36.55 sets the coverline; 36.725 -> 36.75 is just +0.2 above it (rule 0).
    cycle = temperature_days([36.4, 36.45, 36.35, 36.525, 36.45, 36.4, 36.75, 36.75, 36.725])
    assert sensiplan_status(cycle) == status(
        temperature=shift(0, 36.55, 7, 9), peri=NO_PHASES_YET
    )
    cycle = temperature_days([36.4, 36.45, 36.35, 36.575, 36.45, 36.4, 36.8, 36.8, 36.8])
    assert sensiplan_status(cycle)["temperature_shift"] == shift(0, 36.6, 7, 9)


def test_values_below_halfway_round_down_before_comparing() -> None:
    # 36.52 rounds to 36.5, equal to the coverline: not a candidate, so day 8 is the first.
    cycle = temperature_days(LOWS + [36.52, 36.7, 36.7, 36.75])
    assert sensiplan_status(cycle)["temperature_shift"] == shift(0, 36.5, 8, 10)


# --------------------------------------------------------------------------- secondary sign


def test_cervix_as_secondary_sign() -> None:
    cycle = temperature_days(LOWS + [36.7, 36.7, 36.75, 36.8])
    closed_but_soft = {"opening": 0, "firmness": 1}  # only closed AND hard is infertile
    with_field(cycle, "cervix", {n: CLOSED_HARD for n in (1, 2, 3, 4, 5, 8, 9, 10)})
    with_field(cycle, "cervix", {6: {"opening": 1, "firmness": 0}, 7: closed_but_soft})
    # Mucus alone would give a peak on day 5; with the cervix chosen it must play no part.
    with_field(cycle, "mucus", {4: 2, 5: 4, 6: 1, 7: 1, 8: 1})
    expected = status(
        temperature=shift(0, 36.5, 7, 9),
        secondary={"symptom": "cervix", "peak_date": on(7), "confirmed_date": on(10)},
        peri={"start": on(1), "end": on(10)},
        post={"start": on(10)},
    )
    assert sensiplan_status(cycle, secondary_symptom="cervix") == expected
    mucus_result = sensiplan_status(cycle, secondary_symptom="mucus")
    assert mucus_result["secondary_shift"] == {
        "symptom": "mucus",
        "peak_date": on(5),
        "confirmed_date": on(8),
    }


def test_mucus_peak_counts_recorded_mucus_days_across_gaps() -> None:
    cycle = temperature_days(LOWS + RISE)
    with_field(cycle, "mucus", {5: 3, 6: 4, 8: 2})
    cycle += [day(12, mucus=1), day(15, mucus=0)]  # days 10, 11, 13, 14 unrecorded
    assert sensiplan_status(cycle) == status(
        temperature=shift(0, 36.5, 7, 9),
        secondary={"symptom": "mucus", "peak_date": on(6), "confirmed_date": on(15)},
        peri={"start": on(1), "end": on(15)},
        post={"start": on(15)},
    )


def test_secondary_shift_needs_a_temperature_shift() -> None:
    cycle = temperature_days(LOWS)
    with_field(cycle, "mucus", {2: 4, 3: 1, 4: 1, 5: 1})
    assert sensiplan_status(cycle) == status(peri=NO_PHASES_YET)


# --------------------------------------------------------------------------- order and dates


def test_days_in_any_order_give_the_same_status() -> None:
    cycle = temperature_days(LOWS + RISE + [36.8])
    with_field(cycle, "mucus", {6: 4, 7: 1, 8: 1, 9: 0})
    expected = status(
        temperature=shift(0, 36.5, 7, 9),
        secondary={"symptom": "mucus", "peak_date": on(6), "confirmed_date": on(9)},
        peri={"start": on(1), "end": on(9)},
        post={"start": on(9)},
    )
    shuffled = cycle[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled[0]["date"] != on(1)
    assert sensiplan_status(shuffled) == expected
    assert sensiplan_status(list(reversed(cycle))) == expected


def test_date_objects_are_accepted() -> None:
    cycle = temperature_days(LOWS + RISE)
    for record in cycle:
        record["date"] = date.fromisoformat(record["date"])
    assert sensiplan_status(cycle)["temperature_shift"] == shift(0, 36.5, 7, 9)


# --------------------------------------------------------------------------- pre-ovulatory phase


def test_five_day_rule_with_a_complete_previous_cycle() -> None:
    result = sensiplan_status(dry_cycle(8), previous_cycle=past_cycle(date(2018, 5, 4), 14))
    assert result == infertile_until(5)


def test_no_pre_ovulatory_phase_when_previous_cycle_lacks_a_secondary_shift() -> None:
    previous = past_cycle(date(2018, 5, 4), 14, secondary=False)
    assert sensiplan_status(dry_cycle(8), previous_cycle=previous) == status(peri=NO_PHASES_YET)


def test_minus_8_counts_calendar_days_across_a_month_boundary() -> None:
    # Previous cycle from 28 May: its first higher measurement on 8 June is cycle day 12.
    previous = past_cycle(date(2018, 5, 28), 12)
    assert previous[11]["date"] == "2018-06-08"
    current = dry_cycle(10, start=date(2018, 6, 29))
    assert sensiplan_status(current, previous_cycle=previous) == status(
        pre={"start": "2018-06-29", "end": "2018-07-02"},
        peri={"start": "2018-07-03", "end": None},
    )


def test_minus_8_lengthens_across_month_boundaries_with_12_cycles() -> None:
    # Every cycle starts on the 20th and shifts on day 16, in the next calendar month.
    starts = [date(2018, m, 20) for m in range(5, 0, -1)] + [
        date(2017, m, 20) for m in range(12, 5, -1)
    ]
    cycles = [past_cycle(start, 16) for start in starts]
    assert cycles[0][15]["date"] == "2018-06-04"
    current = dry_cycle(12, start=date(2018, 6, 27))
    result = sensiplan_status(current, previous_cycle=cycles[0], earlier_cycles=cycles[1:])
    assert result == status(
        pre={"start": "2018-06-27", "end": "2018-07-04"},
        peri={"start": "2018-07-05", "end": None},
    )


def test_minus_8_lengthens_only_with_12_counted_cycles() -> None:
    cycles = past_cycles(12, first_high_day=16)
    lengthened = sensiplan_status(dry_cycle(12), cycles[0], cycles[1:])
    assert lengthened == infertile_until(8)

    not_enough = sensiplan_status(dry_cycle(12), cycles[0], cycles[1:11])
    assert not_enough == infertile_until(5)


def test_cycles_without_a_secondary_shift_do_not_count_for_minus_8() -> None:
    cycles = past_cycles(11, first_high_day=16)
    # Its early shift (day 9 -> 1) would shorten the phase, and it would be the 12th cycle.
    temperature_only = past_cycle(date(2017, 1, 1), 9, secondary=False)
    result = sensiplan_status(dry_cycle(12), cycles[0], [*cycles[1:], temperature_only])
    assert result == infertile_until(5)


@pytest.mark.parametrize(
    ("first_high_day", "pre", "peri_start"),
    [
        pytest.param(7, None, on(1), id="minus-8-is-negative"),
        pytest.param(8, None, on(1), id="minus-8-is-exactly-0"),
        pytest.param(9, {"start": on(1), "end": on(1)}, on(2), id="minus-8-is-1"),
        pytest.param(13, {"start": on(1), "end": on(5)}, on(6), id="minus-8-is-5"),
        pytest.param(14, {"start": on(1), "end": on(5)}, on(6), id="minus-8-is-6-one-cycle"),
    ],
)
def test_minus_8_shortens_with_any_number_of_cycles(
    first_high_day: int, pre: dict | None, peri_start: str
) -> None:
    previous = past_cycle(date(2018, 5, 4), first_high_day)
    result = sensiplan_status(dry_cycle(10), previous_cycle=previous)
    assert result == status(pre=pre, peri={"start": peri_start, "end": None})


def test_pre_ovulatory_end_is_last_recorded_day_before_a_fertile_sign() -> None:
    current = [day(1, 36.4), day(4, 36.45, mucus=2), day(6, 36.4, mucus=0)]
    result = sensiplan_status(current, previous_cycle=past_cycle(date(2018, 5, 4), 14))
    assert result == infertile_until(1)


def test_pre_ovulatory_end_without_a_sign_is_the_last_calendar_day() -> None:
    current = [day(1, 36.4), day(3, 36.45, mucus=1), day(8, 36.4, mucus=0)]
    result = sensiplan_status(current, previous_cycle=past_cycle(date(2018, 5, 4), 14))
    assert result == infertile_until(5)


def test_fertile_sign_on_day_1_means_no_pre_ovulatory_phase() -> None:
    current = with_field(dry_cycle(8), "mucus", {1: 3})
    result = sensiplan_status(current, previous_cycle=past_cycle(date(2018, 5, 4), 14))
    assert result == status(peri=NO_PHASES_YET)


def test_cervix_fertile_sign_ends_the_pre_ovulatory_phase() -> None:
    previous = past_cycle(date(2018, 5, 4), 14, symptom="cervix")
    current = [day(n, 36.4, cervix=CLOSED_HARD) for n in range(1, 9)]
    current[2]["cervix"] = {"opening": 1, "firmness": 0}
    result = sensiplan_status(current, previous_cycle=previous, secondary_symptom="cervix")
    assert result == infertile_until(2)


def test_phase_covering_every_recorded_day_leaves_no_peri_phase_but_reports_the_shift() -> None:
    cycles = past_cycles(12, first_high_day=25)  # minus-8 gives 17 days
    current = temperature_days(LOWS + RISE + [36.8, 36.8, 36.8])
    result = sensiplan_status(current, cycles[0], cycles[1:])
    assert result == status(
        temperature=shift(0, 36.5, 7, 9), pre={"start": on(1), "end": on(17)}, peri=None
    )


# --------------------------------------------------------------------------- malformed input

GOOD_DAY = {"date": "2018-06-01", "bleeding": 2}
D1 = "day 2018-06-01"


def _one_day(**fields: Any) -> list[dict]:
    return [{**GOOD_DAY, **fields}]


MALFORMED = [
    # (id, call kwargs, text naming the day, text naming the field)
    ("cycle-none", {"cycle": None}, "cycle", "non-empty list"),
    ("cycle-dict", {"cycle": {"date": "2018-06-01"}}, "cycle", "non-empty list"),
    ("cycle-string", {"cycle": "2018-06-01"}, "cycle", "non-empty list"),
    ("cycle-empty", {"cycle": []}, "cycle", "non-empty list"),
    ("previous-empty", {"cycle": _one_day(), "previous_cycle": []}, "previous_cycle", "list"),
    ("earlier-empty", {"cycle": _one_day(), "earlier_cycles": [[]]}, "earlier_cycles[0]", "list"),
    ("earlier-not-list", {"cycle": _one_day(), "earlier_cycles": "x"}, "earlier_cycles", "list"),
    ("day-not-mapping", {"cycle": ["2018-06-01"]}, "day #1", "mapping"),
    ("no-date", {"cycle": [{"bleeding": 2}]}, "day #1", "date"),
    ("date-none", {"cycle": [{"date": None, "bleeding": 2}]}, "day #1", "date"),
    ("date-format", {"cycle": [{"date": "01.06.2018", "bleeding": 2}]}, "day #1", "date"),
    ("date-compact", {"cycle": [{"date": "20180601", "bleeding": 2}]}, "day #1", "date"),
    ("date-impossible", {"cycle": [{"date": "2018-02-30", "bleeding": 2}]}, "day #1", "date"),
    ("datetime", {"cycle": [{"date": datetime(2018, 6, 1), "bleeding": 2}]}, "day #1", "date"),
    ("date-int", {"cycle": [{"date": 20180601, "bleeding": 2}]}, "day #1", "date"),
    (
        "date-twice",
        {"cycle": [GOOD_DAY, {"date": "2018-06-02"}, {"date": "2018-06-02", "mucus": 1}]},
        "day 2018-06-02",
        "date",
    ),
    ("mucus-7", {"cycle": _one_day(mucus=7)}, D1, "mucus"),
    ("mucus-negative", {"cycle": _one_day(mucus=-1)}, D1, "mucus"),
    ("mucus-string", {"cycle": _one_day(mucus="2")}, D1, "mucus"),
    ("mucus-float", {"cycle": _one_day(mucus=2.0)}, D1, "mucus"),
    ("mucus-bool", {"cycle": _one_day(mucus=True)}, D1, "mucus"),
    ("temperature-string", {"cycle": _one_day(temperature="36.6")}, D1, "temperature"),
    ("temperature-nan", {"cycle": _one_day(temperature=float("nan"))}, D1, "temperature"),
    ("temperature-inf", {"cycle": _one_day(temperature=float("inf"))}, D1, "temperature"),
    ("temperature-bool", {"cycle": _one_day(temperature=True)}, D1, "temperature"),
    (
        "excluded-not-bool",
        {"cycle": _one_day(temperature=36.5, temperature_excluded="yes")},
        D1,
        "temperature_excluded",
    ),
    ("cervix-string", {"cycle": _one_day(cervix="open")}, D1, "cervix"),
    ("cervix-no-firmness", {"cycle": _one_day(cervix={"opening": 0})}, D1, "firmness"),
    ("cervix-no-opening", {"cycle": _one_day(cervix={"firmness": 0})}, D1, "opening"),
    (
        "cervix-opening-3",
        {"cycle": _one_day(cervix={"opening": 3, "firmness": 0})},
        D1,
        "opening",
    ),
    (
        "cervix-firmness-2",
        {"cycle": _one_day(cervix={"opening": 0, "firmness": 2})},
        D1,
        "firmness",
    ),
    (
        "cervix-opening-string",
        {"cycle": _one_day(cervix={"opening": "0", "firmness": 0})},
        D1,
        "opening",
    ),
    ("bleeding-4", {"cycle": _one_day(bleeding=4)}, D1, "bleeding"),
    ("bleeding-string", {"cycle": _one_day(bleeding="1")}, D1, "bleeding"),
    (
        "first-day-no-bleeding",
        {"cycle": [{"date": "2018-06-02", "bleeding": 1}, {"date": "2018-06-01", "mucus": 0}]},
        D1,
        "bleeding",
    ),
    (
        "previous-bad-mucus",
        {
            "cycle": _one_day(),
            "previous_cycle": [{"date": "2018-05-01", "bleeding": 1, "mucus": 5}],
        },
        "previous_cycle, day 2018-05-01",
        "mucus",
    ),
    (
        "previous-first-day-no-bleeding",
        {"cycle": _one_day(), "previous_cycle": [{"date": "2018-05-01"}]},
        "previous_cycle, day 2018-05-01",
        "bleeding",
    ),
    (
        "earlier-bad-temperature",
        {
            "cycle": _one_day(),
            "earlier_cycles": [past_cycle(date(2018, 4, 1), 14), _one_day(temperature="x")],
        },
        "earlier_cycles[1], day 2018-06-01",
        "temperature",
    ),
]


@pytest.mark.parametrize(
    ("call", "day_text", "field_text"),
    [pytest.param(call, where, field, id=case_id) for case_id, call, where, field in MALFORMED],
)
def test_malformed_input_names_the_day_and_the_field(
    call: dict[str, Any], day_text: str, field_text: str
) -> None:
    with pytest.raises(ValueError) as raised:
        sensiplan_status(**call)
    message = str(raised.value)
    assert day_text in message
    assert field_text in message


@pytest.mark.parametrize("symptom", ["temperature", "Mucus", "", None])
def test_unknown_secondary_symptom_is_refused(symptom: Any) -> None:
    with pytest.raises(ValueError, match="secondary_symptom"):
        sensiplan_status(temperature_days(LOWS), secondary_symptom=symptom)


# --------------------------------------------------------------------------- mucus_code


@pytest.mark.parametrize(
    ("feeling", "texture"),
    [("moist", "creamy"), ("dry", "sticky"), ("Dry", "nothing"), (None, "gooey"), ("damp", None)],
)
def test_mucus_code_refuses_unknown_words(feeling: str | None, texture: str | None) -> None:
    with pytest.raises(ValueError, match="feeling|texture"):
        mucus_code(feeling, texture)
