"""What medicines and progesterone tests mean for a cycle: trigger shots, luteal progesterone,
PdG strips and serum progesterone. Pure standard library; rows are read by attribute.

The rules, kept conservative on purpose (a clinician should check them):

- **A trigger shot's hCG can show on a home pregnancy test.** The injected hCG clears at
  roughly 1,000 IU a day, so a test within :func:`trigger_test_window_days` days after the
  shot "may still be the trigger, not a pregnancy": up to 5,000 IU, 10 days; up to 6,500 IU
  (Ovitrelle 250 mcg is about 6,500 IU), 12 days; more (Pregnyl or Novarel 10,000 IU), or a
  dose not noted, 14 days.
- **Ovulation usually follows about 36 hours after an hCG trigger.** When the temperature
  rules found no shift, :func:`likely_ovulation` gives the trigger-based estimate instead,
  labelled as such. A temperature shift always wins: it is what happened in this body.
- **Progesterone taken in the luteal phase can raise the temperature** on its own, so
  readings from its first day on are marked (:func:`progesterone_marks_temperature`).
- **Ovulation confirmed**: a positive urine PdG strip, or serum progesterone of at least
  3 ng/mL (about 10 nmol/L, a commonly used threshold), supports that ovulation happened.
  It is a sentence in the cycle's findings, never a change to the Sensiplan reading.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

__all__ = [
    "NMOL_PER_NG",
    "OVULATION_HOURS_AFTER_TRIGGER",
    "OvulationEstimate",
    "SERUM_LUTEAL_NG_ML",
    "CourseDay",
    "course_covers",
    "courses_on",
    "likely_ovulation",
    "may_be_trigger",
    "ovulation_confirmed_sentence",
    "progesterone_marks_temperature",
    "progesterone_ng_ml",
    "trigger_ovulation",
    "trigger_test_window_days",
    "triggers",
]

TRIGGER = "hcg_trigger"
PROGESTERONE = "progesterone"
OVULATION_HOURS_AFTER_TRIGGER = 36
# A shot with no time noted is taken as given at noon.
TRIGGER_TIME_ASSUMED = time(12, 0)
# Choriogonadotropin alfa (Ovitrelle): 250 mcg is about 6,500 IU.
IU_PER_MCG_HCG = 26
# (highest dose in IU, days after the shot a home test may still show it), lowest first.
TRIGGER_WINDOWS = ((5000, 10), (6500, 12))
TRIGGER_WINDOW_LONGEST = 14  # more than 6,500 IU, or the dose not noted

# 1 ng/mL of progesterone is 3.18 nmol/L.
NMOL_PER_NG = 3.18
# Serum progesterone at or above this (ng/mL) in the luteal phase: a common threshold for
# "ovulation happened" (about 10 nmol/L).
SERUM_LUTEAL_NG_ML = 3.0


# --------------------------------------------------------------------------- courses


def course_covers(course: Any, when: date) -> bool:
    """Whether a medicine course (``start_date``, ``end_date`` or None for ongoing) covers
    ``when``."""
    return course.start_date <= when and (course.end_date is None or when <= course.end_date)


@dataclass(frozen=True)
class CourseDay:
    """One day of a medicine course, for a calendar: ``day`` of ``length`` days (``length``
    None: an ongoing course), and whether it is the course's ``first`` or ``last`` day."""

    course: Any
    day: int
    length: int | None

    @property
    def first(self) -> bool:
        return self.day == 1

    @property
    def last(self) -> bool:
        return self.length is not None and self.day == self.length


def courses_on(medicines: Iterable[Any], when: date, today: date) -> list[CourseDay]:
    """The courses taken on ``when``, trigger shots left out (they are one day, shown on their
    own). A course with a last day covers every day to it, planned days ahead included; an
    ongoing course covers days up to ``today`` only (it may stop any day)."""
    found = []
    for course in medicines:
        if course.medicine == TRIGGER or not course_covers(course, when):
            continue
        if course.end_date is None and when > today:
            continue
        length = None if course.end_date is None else (course.end_date - course.start_date).days + 1
        found.append(CourseDay(course, (when - course.start_date).days + 1, length))
    return found


def triggers(medicines: Iterable[Any]) -> list[Any]:
    """The hCG trigger shots among medicine rows, by date."""
    return sorted((m for m in medicines if m.medicine == TRIGGER), key=lambda m: (m.start_date, m.id or 0))


# --------------------------------------------------------------------------- the trigger shot


def trigger_dose_iu(dose: float | None, unit: str | None) -> float | None:
    """The shot's dose in IU, when the dose and a unit that converts were noted."""
    if dose is None or unit is None or not math.isfinite(dose):
        return None
    if unit == "iu":
        return dose
    if unit == "mcg":
        return dose * IU_PER_MCG_HCG
    return None


def trigger_test_window_days(dose: float | None, unit: str | None) -> int:
    """Days after a trigger shot in which a home pregnancy test may still show its hCG."""
    iu = trigger_dose_iu(dose, unit)
    if iu is None:
        return TRIGGER_WINDOW_LONGEST
    for highest, days in TRIGGER_WINDOWS:
        if iu <= highest:
            return days
    return TRIGGER_WINDOW_LONGEST


def may_be_trigger(test_date: date, shots: Iterable[Any]) -> Any | None:
    """The latest trigger shot whose hCG may still show on a test taken on ``test_date``
    (from the day of the shot through its window), or None."""
    found = None
    for shot in shots:
        days = (test_date - shot.start_date).days
        if 0 <= days <= trigger_test_window_days(shot.dose, shot.dose_unit):
            if found is None or shot.start_date >= found.start_date:
                found = shot
    return found


def trigger_ovulation(shot: Any) -> date:
    """About 36 hours after the shot (noon when no time was noted)."""
    given = datetime.combine(shot.start_date, shot.time or TRIGGER_TIME_ASSUMED)
    return (given + timedelta(hours=OVULATION_HOURS_AFTER_TRIGGER)).date()


@dataclass(frozen=True)
class OvulationEstimate:
    """The likely ovulation of a cycle and where it comes from: ``"temperature"`` (the
    Sensiplan shift) or ``"trigger"`` (about 36 hours after an hCG trigger shot)."""

    date: date
    source: str

    @property
    def from_trigger(self) -> bool:
        return self.source == "trigger"

    @property
    def label(self) -> str:
        if self.from_trigger:
            return "ovulation (estimated from your trigger shot)"
        return "ovulation"


def likely_ovulation(
    temperature_ovulation: date | None, shots: Iterable[Any], cycle_start: date, cycle_end: date | None
) -> OvulationEstimate | None:
    """The one decision: the temperature shift's ovulation when there is one, else 36 hours
    after the last trigger shot given in the cycle, else None."""
    if temperature_ovulation is not None:
        return OvulationEstimate(temperature_ovulation, "temperature")
    inside = [
        shot for shot in shots
        if cycle_start <= shot.start_date and (cycle_end is None or shot.start_date <= cycle_end)
    ]
    if not inside:
        return None
    last = max(inside, key=lambda shot: (shot.start_date, shot.time or TRIGGER_TIME_ASSUMED))
    return OvulationEstimate(trigger_ovulation(last), "trigger")


# --------------------------------------------------------------------------- progesterone


def progesterone_marks_temperature(medicines: Iterable[Any], when: date) -> bool:
    """Whether progesterone was being taken on ``when`` (so a temperature may be raised by it)."""
    return any(m.medicine == PROGESTERONE and course_covers(m, when) for m in medicines)


def progesterone_ng_ml(value: float, unit: str) -> float:
    """A serum progesterone value in ng/mL (1 ng/mL = 3.18 nmol/L)."""
    return value / NMOL_PER_NG if unit == "nmol_l" else value


def supports_ovulation(test: Any) -> bool:
    """A positive PdG strip, or serum progesterone at or above the luteal threshold."""
    if test.kind == "pdg_strip":
        return test.result == "positive"
    return test.value is not None and progesterone_ng_ml(test.value, test.unit) >= SERUM_LUTEAL_NG_ML


def ovulation_confirmed_sentence(tests: Iterable[Any], day_number: Any) -> str | None:
    """The findings' sentence when a progesterone test supports ovulation; ``day_number``
    turns a date into its cycle day."""
    supporting = [test for test in tests if supports_ovulation(test)]
    if not supporting:
        return None
    test = min(supporting, key=lambda t: t.date)
    when = f"day {day_number(test.date)} ({test.date.day} {test.date:%B})"
    if test.kind == "pdg_strip":
        what = f"A positive PdG test on {when}"
    else:
        ng = progesterone_ng_ml(test.value, test.unit)
        what = (
            f"Serum progesterone of {ng:.1f} ng/mL ({ng * NMOL_PER_NG:.1f} nmol/L) on {when}, "
            f"at or above {SERUM_LUTEAL_NG_ML:g} ng/mL (about 10 nmol/L, a common threshold),"
        )
    return (
        f"{what} supports that ovulation happened (ovulation confirmed by progesterone). "
        "This does not change what the temperature rules read."
    )


# --------------------------------------------------------------------------- findings


def medication_findings(
    span: Any,
    estimate: OvulationEstimate | None,
    medicines: Iterable[Any],
    progesterone_tests: Iterable[Any],
    last_day: date,
) -> list[str]:
    """The sentences medicines and progesterone tests add to a cycle's findings."""
    sentences = []
    if estimate is not None and estimate.from_trigger:
        sentences.append(
            f"No temperature shift: going by your trigger shot, ovulation was most likely around "
            f"{_on(span, estimate.date)}, about {OVULATION_HOURS_AFTER_TRIGGER} hours after it. "
            "This is an estimate from the trigger, not from your temperatures."
        )
    courses = [m for m in medicines if m.medicine == PROGESTERONE]
    started = [max(m.start_date, span.start) for m in courses if m.start_date <= last_day]
    if started:
        sentences.append(
            f"You took progesterone from {_on(span, min(started))}. Progesterone can raise your "
            "temperature by itself, so higher temperatures from then on may come from it rather "
            "than from ovulation: they are marked on the chart."
        )
    confirmed = ovulation_confirmed_sentence(progesterone_tests, span.day_number)
    if confirmed:
        sentences.append(confirmed)
    return sentences


def _on(span: Any, when: date) -> str:
    return f"day {span.day_number(when)} ({when.day} {when:%B})"
