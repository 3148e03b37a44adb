"""Tests for webapp.fertility.predictions: cycle statistics, predictions and timing helpers."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest

from webapp.fertility.predictions import (
    CompletedCycle,
    CycleStatistics,
    FertileWindow,
    InseminationTiming,
    PeriodPrediction,
    cycle_statistics,
    days_past,
    doubling_time_hours,
    insemination_timing,
    predict_fertile_window,
    predict_next_period,
)

CURRENT = date(2024, 3, 25)


def starts_from_lengths(lengths: list[int], current: date = CURRENT) -> list[date]:
    """The start dates of earlier cycles whose lengths end at ``current``."""
    starts = [current]
    for length in reversed(lengths):
        starts.insert(0, starts[0] - timedelta(days=length))
    return starts[:-1]


# --------------------------------------------------------------------------- cycle_statistics


def test_statistics_of_completed_cycles() -> None:
    cycles = [
        (date(2024, 2, 26), 28, 15, 13),
        CompletedCycle(date(2024, 1, 1), 26, 13, 13),
        (date(2024, 1, 27), 30, None, None),
    ]
    result = cycle_statistics(cycles)
    assert result == CycleStatistics(
        count=3,
        average_length=28.0,
        shortest_length=26,
        longest_length=30,
        standard_deviation=2.0,
        luteal_lengths=(13, 13),
        ovulation_days=(13, 15),  # oldest cycle first
    )


def test_statistics_with_no_cycles() -> None:
    assert cycle_statistics([]) == CycleStatistics(0, None, None, None, None, (), ())


def test_statistics_of_one_cycle_have_no_spread() -> None:
    result = cycle_statistics([(date(2024, 1, 1), 29, None, None)])
    assert (result.count, result.average_length, result.standard_deviation) == (1, 29.0, None)


def test_statistics_of_identical_cycles() -> None:
    cycles = [(date(2024, 1, 1) + timedelta(days=28 * i), 28, 14, 14) for i in range(4)]
    result = cycle_statistics(cycles)
    assert result.standard_deviation == 0.0
    assert (result.shortest_length, result.longest_length) == (28, 28)


@pytest.mark.parametrize(
    "cycle",
    [
        (date(2024, 1, 1), 0, None, None),
        (date(2024, 1, 1), 28.5, None, None),
        (date(2024, 1, 1), 28, 29, None),
        (date(2024, 1, 1), 28, 0, None),
        (date(2024, 1, 1), 28, 14, -2),
        (date(2024, 1, 1), True, None, None),
    ],
)
def test_statistics_refuse_impossible_cycles(cycle: tuple) -> None:
    with pytest.raises(ValueError, match="2024-01-01"):
        cycle_statistics([cycle])


# --------------------------------------------------------------------------- next period


def test_too_few_cycles_give_no_period_prediction() -> None:
    assert predict_next_period([28, 29], CURRENT) is None
    assert predict_next_period(starts_from_lengths([28, 29]), CURRENT) is None
    assert predict_next_period([], CURRENT) is None


def test_identical_lengths_predict_plus_or_minus_one_day() -> None:
    assert predict_next_period([28, 28, 28], CURRENT) == PeriodPrediction(
        expected=date(2024, 4, 22),
        earliest=date(2024, 4, 21),
        latest=date(2024, 4, 23),
        based_on_cycles=3,
    )


def test_start_dates_and_lengths_give_the_same_prediction() -> None:
    lengths = [27, 29, 28, 30]
    by_lengths = predict_next_period(lengths, CURRENT)
    by_starts = predict_next_period(starts_from_lengths(lengths), CURRENT)
    with_current = predict_next_period([*starts_from_lengths(lengths), CURRENT], CURRENT)
    assert by_lengths == by_starts == with_current
    # mean 28.5 rounds up to 29; standard deviation 1.29 rounds to 1
    assert by_lengths == PeriodPrediction(
        date(2024, 4, 23), date(2024, 4, 22), date(2024, 4, 24), 4
    )


def test_irregular_cycles_widen_the_range() -> None:
    # mean 31, sample standard deviation 6.0 -> 6 days either side
    prediction = predict_next_period([25, 37, 31], CURRENT)
    assert prediction == PeriodPrediction(
        expected=CURRENT + timedelta(days=31),
        earliest=CURRENT + timedelta(days=25),
        latest=CURRENT + timedelta(days=37),
        based_on_cycles=3,
    )


def test_period_prediction_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        predict_next_period([28, 0, 29], CURRENT)
    with pytest.raises(ValueError):
        predict_next_period([28, date(2024, 1, 1), 29], CURRENT)
    with pytest.raises(ValueError):
        predict_next_period([date(2024, 1, 1), date(2024, 4, 1)], CURRENT)


# --------------------------------------------------------------------------- fertile window


def test_fertile_window_from_past_ovulation_days() -> None:
    window = predict_fertile_window([14, None, 16, 13, None], CURRENT)
    assert window == FertileWindow(
        start=date(2024, 4, 1),  # 5 days before cycle day 13
        end=date(2024, 4, 9),  # cycle day 16
        earliest_ovulation=date(2024, 4, 6),
        latest_ovulation=date(2024, 4, 9),
        based_on_cycles=3,
    )


def test_too_few_detected_ovulations_give_no_window() -> None:
    assert predict_fertile_window([14, None, 15, None], CURRENT) is None
    assert predict_fertile_window([], CURRENT) is None


def test_identical_ovulation_days_give_a_six_day_window() -> None:
    window = predict_fertile_window([15, 15, 15], CURRENT)
    assert window is not None
    assert (window.start, window.end) == (date(2024, 4, 3), date(2024, 4, 8))
    assert (window.end - window.start).days + 1 == 6


def test_fertile_window_never_opens_before_the_cycle() -> None:
    window = predict_fertile_window([4, 10, 20], CURRENT)
    assert window is not None
    assert window.start == CURRENT
    assert window.end == date(2024, 4, 13)


def test_fertile_window_refuses_bad_days() -> None:
    with pytest.raises(ValueError):
        predict_fertile_window([14, 0, 15], CURRENT)


# --------------------------------------------------------------------------- insemination timing


OVULATION = date(2024, 4, 10)
WINDOW = "in your fertile window"


@pytest.mark.parametrize(
    ("offset", "in_window", "phrase"),
    [
        pytest.param(-2, True, f"2 days before ovulation — {WINDOW}", id="minus-2"),
        pytest.param(-1, True, f"1 day before ovulation — {WINDOW}", id="minus-1"),
        pytest.param(0, True, f"on the day of ovulation — {WINDOW}", id="same-day"),
        pytest.param(-5, True, f"5 days before ovulation — {WINDOW}", id="window-opens"),
        pytest.param(
            -6, False, "6 days before ovulation — before your fertile window", id="too-early"
        ),
        pytest.param(1, False, "1 day after ovulation — after your fertile window", id="too-late"),
    ],
)
def test_insemination_timing(offset: int, in_window: bool, phrase: str) -> None:
    insemination = OVULATION + timedelta(days=offset)
    expected = InseminationTiming(offset, in_window, phrase)
    assert insemination_timing(insemination, OVULATION) == expected


# --------------------------------------------------------------------------- days past


def test_days_past() -> None:
    ovulation = date(2024, 2, 25)
    assert days_past(ovulation, date(2024, 3, 5)) == 9  # across the leap day
    assert days_past(ovulation, ovulation) == 0
    assert days_past(ovulation, date(2024, 2, 24)) is None


# --------------------------------------------------------------------------- hCG doubling time


def test_doubling_time_of_a_level_that_doubles_in_48_hours() -> None:
    first = datetime(2024, 4, 1, 9, 0)
    assert doubling_time_hours(100, first, 200, first + timedelta(hours=48)) == pytest.approx(48)


def test_doubling_time_follows_the_log2_formula() -> None:
    first = datetime(2024, 4, 1, 9, 0)
    result = doubling_time_hours(120.0, first, 310.0, first + timedelta(hours=50))
    assert result == pytest.approx(50 * math.log(2) / math.log(310 / 120))
    assert result == pytest.approx(36.52, abs=0.01)


def test_doubling_time_accepts_dates() -> None:
    assert doubling_time_hours(50, date(2024, 4, 1), 200, date(2024, 4, 3)) == pytest.approx(24)


@pytest.mark.parametrize(
    ("value1", "hours", "value2"),
    [
        pytest.param(200, 48, 150, id="falling"),
        pytest.param(200, 48, 200, id="flat"),
        pytest.param(0, 48, 100, id="zero"),
        pytest.param(-5, 48, 100, id="negative"),
        pytest.param(100, 48, float("inf"), id="infinite"),
        pytest.param(100, 48, float("nan"), id="nan"),
        pytest.param(100, 48, "200", id="string"),
        pytest.param(100, 0, 200, id="same-time"),
        pytest.param(100, -24, 200, id="second-draw-earlier"),
    ],
)
def test_doubling_time_is_none_when_not_rising_or_invalid(
    value1: float, hours: int, value2: float
) -> None:
    first = datetime(2024, 4, 1, 9, 0)
    assert doubling_time_hours(value1, first, value2, first + timedelta(hours=hours)) is None


def test_doubling_time_is_none_for_times_that_cannot_be_compared() -> None:
    naive = datetime(2024, 4, 1, 9, 0)
    aware = datetime(2024, 4, 3, 9, 0, tzinfo=timezone.utc)
    assert doubling_time_hours(100, naive, 200, aware) is None
