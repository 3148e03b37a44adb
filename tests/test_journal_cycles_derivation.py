"""Pure: cycle starts from bleeding days and hand marks, cycle spans, and the engine adapter."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from webapp.fertility.cycles import (
    CycleSpan,
    cycle_containing,
    cycle_days_for_engine,
    cycles_from_starts,
    day_for_engine,
    derive_cycle_starts,
    is_period_bleeding,
)
from webapp.fertility.reading import read
from webapp.fertility.sensiplan import sensiplan_status

D = date(2026, 3, 1)


def d(offset: int) -> date:
    return D + timedelta(days=offset)


def run(*offsets: int) -> list[date]:
    return [d(o) for o in offsets]


def test_first_day_of_bleeding_starts_a_cycle():
    assert derive_cycle_starts(run(0, 1, 2, 3)) == [d(0)]


def test_a_new_period_needs_at_least_two_days_without_bleeding():
    # A one-day gap (day 4) keeps one period; a two-day gap (days 8, 9) starts a new cycle.
    assert derive_cycle_starts(run(0, 1, 2, 3, 5, 6)) == [d(0)]
    assert derive_cycle_starts(run(0, 1, 2, 7, 10)) == [d(0), d(7), d(10)]
    assert derive_cycle_starts(run(0, 1, 4)) == [d(0), d(4)]
    assert derive_cycle_starts(run(0, 1, 3)) == [d(0)]


def test_order_and_duplicates_do_not_matter():
    assert derive_cycle_starts(run(30, 2, 1, 0, 28, 29, 0)) == [d(0), d(28)]


def test_no_bleeding_no_cycles():
    assert derive_cycle_starts([]) == []
    assert cycles_from_starts([]) == []


def test_a_start_marked_by_hand_counts_without_bleeding():
    assert derive_cycle_starts([], [d(5)]) == [d(5)]
    assert derive_cycle_starts(run(0, 1, 2), [d(27)]) == [d(0), d(27)]


def test_a_hand_mark_wins_over_a_derived_start_within_two_days():
    # Bleeding from day 28, but the person marked day 29 as the start: one cycle, from day 29.
    assert derive_cycle_starts(run(0, 1, 28, 29, 30), [d(29)]) == [d(0), d(29)]
    assert derive_cycle_starts(run(0, 1, 30, 31), [d(28)]) == [d(0), d(28)]
    # Three days away, both stay.
    assert derive_cycle_starts(run(0, 1, 31, 32), [d(28)]) == [d(0), d(28), d(31)]


def test_is_period_bleeding():
    assert is_period_bleeding("spotting") is True
    assert is_period_bleeding("spotting", not_period=True) is False
    assert is_period_bleeding(None) is False


def test_cycles_end_the_day_before_the_next_start():
    cycles = cycles_from_starts([d(28), d(0), d(57)])
    assert cycles == [
        CycleSpan(1, d(0), d(27)),
        CycleSpan(2, d(28), d(56)),
        CycleSpan(3, d(57), None),
    ]
    assert [c.length for c in cycles] == [28, 29, None]
    assert cycles[2].is_current and not cycles[0].is_current
    assert cycles[1].day_number(d(28)) == 1 and cycles[1].day_number(d(41)) == 14
    assert cycles[0].contains(d(27)) and not cycles[0].contains(d(28))
    assert cycles[2].contains(d(400))
    assert cycles[2].last_day(d(60)) == d(60)
    assert cycles[0].last_day(d(60)) == d(27)


def test_cycle_containing():
    cycles = cycles_from_starts([d(0), d(28)])
    assert cycle_containing(cycles, d(-1)) is None
    assert cycle_containing(cycles, d(0)).number == 1
    assert cycle_containing(cycles, d(27)).number == 1
    assert cycle_containing(cycles, d(28)).number == 2
    assert cycle_containing(cycles, d(900)).number == 2
    assert cycle_containing([], d(0)) is None


def day(offset, **fields):
    values = dict(
        date=d(offset), bleeding=None, not_period=False, temperature_centi=None,
        temperature_disturbance=None, mucus_feeling=None, mucus_appearance=None,
        cervix_position=None, cervix_firmness=None, cervix_opening=None,
    )
    values.update(fields)
    return SimpleNamespace(**values)


def test_day_for_engine_maps_every_field_to_the_contract():
    mapped = day_for_engine(
        day(0, bleeding="heavy", temperature_centi=3645, temperature_disturbance="alcohol",
            mucus_feeling="wet", mucus_appearance="creamy", cervix_firmness="soft",
            cervix_opening="open", cervix_position="high")
    )
    assert mapped == {
        "date": d(0),
        "temperature": 36.45,
        "temperature_excluded": True,
        "mucus": 3,
        "cervix": {"opening": 2, "firmness": 1},
        "bleeding": 3,
    }


@pytest.mark.parametrize(
    ("fields", "key", "expected"),
    [
        ({"bleeding": "spotting"}, "bleeding", 0),
        ({"bleeding": "light"}, "bleeding", 1),
        ({"bleeding": "medium"}, "bleeding", 2),
        ({"bleeding": "spotting", "not_period": True}, "bleeding", None),
        ({"temperature_centi": 3600}, "temperature_excluded", False),
        ({"mucus_feeling": "slippery"}, "mucus", None),  # only with both observations
        ({"mucus_feeling": "dry", "mucus_appearance": "nothing"}, "mucus", 0),
        ({"mucus_feeling": "nothing", "mucus_appearance": "nothing"}, "mucus", 1),
        ({"mucus_feeling": "slippery", "mucus_appearance": "nothing"}, "mucus", 4),
        ({"mucus_feeling": "dry", "mucus_appearance": "egg_white"}, "mucus", 4),
        ({"cervix_opening": "closed"}, "cervix", None),  # needs opening and firmness
        ({"cervix_opening": "closed", "cervix_firmness": "firm"}, "cervix", {"opening": 0, "firmness": 0}),
        ({"cervix_opening": "medium", "cervix_firmness": "firm"}, "cervix", {"opening": 1, "firmness": 0}),
    ],
)
def test_day_for_engine_details(fields, key, expected):
    assert day_for_engine(day(0, **fields))[key] == expected


def textbook_cycle(first_bleeding="medium"):
    """Six low temperatures, then three higher: a rule-0 shift with the first high on day 13."""
    temps = [3630, 3625, 3640, 3635, 3630, 3620, 3635, 3630, 3625, 3640, 3635, 3630,
             3670, 3675, 3690, 3685]
    days = []
    for offset, centi in enumerate(temps):
        fields = {"temperature_centi": centi}
        if offset == 0:
            fields["bleeding"] = first_bleeding
        if offset in (9, 10, 11):
            fields.update(mucus_feeling="slippery", mucus_appearance="egg_white")
        elif offset >= 12:
            fields.update(mucus_feeling="dry", mucus_appearance="nothing")
        days.append(day(offset, **fields))
    return days


def test_cycle_days_for_engine_feeds_the_engine_in_date_order():
    days = list(reversed(textbook_cycle()))
    mapped = cycle_days_for_engine(days)
    assert [m["date"] for m in mapped] == sorted(m["date"] for m in mapped)
    status = sensiplan_status(mapped)
    assert status["temperature_shift"]["first_high_date"] == d(12).isoformat()


def likely_ovulation(days):
    """The one computation of likely ovulation: a cycle's reading (webapp.fertility.reading)."""
    span = CycleSpan(number=1, start=d(0), end=None)
    return read(span, cycle_days_for_engine(days), "mucus").ovulation


def test_likely_ovulation_is_the_day_before_the_first_higher_temperature():
    assert likely_ovulation(textbook_cycle()) == d(11)


def test_likely_ovulation_is_none_without_a_shift_or_without_bleeding_on_day_one():
    assert likely_ovulation(textbook_cycle()[:10]) is None
    assert likely_ovulation(textbook_cycle(first_bleeding=None)) is None
    assert likely_ovulation([]) is None


def test_temperature_time_is_not_part_of_the_engine_mapping():
    mapped = day_for_engine(day(0, temperature_centi=3650, temperature_time=time(6, 30)))
    assert set(mapped) == {"date", "temperature", "temperature_excluded", "mucus", "cervix", "bleeding"}
