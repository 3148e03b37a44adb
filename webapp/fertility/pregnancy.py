"""Early pregnancy in the journal: whether the current cycle is a pregnancy, how far along it
is, the estimated due date and how it was worked out, and what a series of blood hCG values
shows. Pure standard-library code; ``today`` is always passed in.

Dating conventions (what clinics use before the first scan):

- From the first day of the last period: pregnancy weeks count from that day; the due date is
  280 days later (Naegele's rule: 1 November 2026 gives 8 August 2027).
- From ovulation or an insemination: conception is about 14 days after the first day of a
  "textbook" period, so weeks count from 14 days before it and the due date is 266 days after.
  This is better than the period date when ovulation is known, because it does not assume
  ovulation on cycle day 14. A likely ovulation read from temperatures is preferred to an
  insemination date: with home insemination there are often several, and the egg can be
  fertilised a day or more after the insemination.

hCG: in a pregnancy that goes on, early hCG usually doubles in about 1.7 days (the median in
Barnhart et al., Obstet Gynecol 2004); a rise of less than about 53% in 48 hours was slower than
the slowest of those pregnancies, and NICE NG126 treats a rise of less than 63% in 48 hours as
a reason for a clinical review within 24 hours. Changes are compared over 48 hours whatever the
gap between the draws (``(later / earlier) ** (48 / hours)``). The rise slows naturally at higher
levels, so steps starting from :data:`JUDGED_BELOW` mIU/mL or more are shown but not judged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .predictions import doubling_time_hours

__all__ = [
    "ENDED_OUTCOMES",
    "Dating",
    "HcgSeries",
    "HcgStep",
    "HcgValue",
    "TakenTest",
    "assess_hcg",
    "date_pregnancy",
    "is_pregnant",
]

DAYS_TO_DUE_FROM_PERIOD = 280
DAYS_TO_DUE_FROM_CONCEPTION = 266
DAYS_FROM_PERIOD_TO_OVULATION = 14
# A journal still "pregnant" this long after the period date has simply not been updated
# since the birth: pregnancy mode ends rather than counting 50 weeks.
LONGEST_PREGNANCY_DAYS = 44 * 7

# Outcomes that end a cycle's pregnancy (or say there was none): the journal is back in cycles.
ENDED_OUTCOMES = frozenset({"not_pregnant", "chemical", "loss"})
PREGNANCY_OUTCOME = "pregnancy"

USUAL_RISE_48H = 1.63  # NICE NG126: a rise of more than 63% in 48 hours
SLOWEST_NORMAL_RISE_48H = 1.53  # Barnhart 2004: the slowest rise in a pregnancy that went on
JUDGED_BELOW = 5000.0  # mIU/mL: above this the doubling normally slows
SHORTEST_GAP_HOURS, LONGEST_GAP_HOURS = 24.0, 96.0  # steps outside are shown, not judged


# --------------------------------------------------------------------------- pregnancy or not


@dataclass(frozen=True)
class TakenTest:
    """A pregnancy test reduced to what the mode needs: when, and whether it was positive."""

    taken_at: datetime
    positive: bool
    # Taken while a trigger shot's hCG may still show (webapp.fertility.medication.may_be_trigger):
    # such a test, positive or not, says nothing yet about a pregnancy.
    may_be_trigger: bool = False


def is_pregnant(
    cycle_start: date,
    today: date,
    tests: Iterable[TakenTest],
    outcome: str | None,
) -> bool:
    """Whether the current cycle (started ``cycle_start``) is an ongoing pregnancy.

    ``tests`` are the tests taken in this cycle, ``outcome`` what the person recorded for it.
    A recorded outcome decides: "led to a pregnancy" is a pregnancy, a loss, a chemical
    pregnancy or "not pregnant" is not. Without one, the latest test decides: positive is a
    pregnancy, and a negative after a positive is not (the person can still record the outcome).
    Tests that may still show a trigger shot's hCG are left out: a positive one alone does
    not start the mode (its page says it may still be the trigger); the next test after the
    trigger's window does. Nothing here is stored: the mode follows the data.
    """
    if (today - cycle_start).days > LONGEST_PREGNANCY_DAYS:
        return False
    if outcome in ENDED_OUTCOMES:
        return False
    if outcome == PREGNANCY_OUTCOME:
        return True
    latest = max((test for test in tests if not test.may_be_trigger), key=lambda test: test.taken_at, default=None)
    return latest is not None and latest.positive


# --------------------------------------------------------------------------- dating


@dataclass(frozen=True)
class Dating:
    """How far along a pregnancy is and when it is due.

    ``basis`` is "ovulation", "insemination" or "last_period"; ``basis_date`` that day;
    ``counted_from`` the day week 0 starts (the period date, or 14 days before conception).
    """

    basis: str
    basis_date: date
    counted_from: date
    due: date
    from_trigger: bool = False  # the ovulation was estimated from a trigger shot, not temperatures

    def weeks_and_days(self, today: date) -> tuple[int, int]:
        return divmod(max((today - self.counted_from).days, 0), 7)

    def age_phrase(self, today: date) -> str:
        """"5 weeks and 3 days pregnant" style: "5 weeks and 3 days"."""
        weeks, days = self.weeks_and_days(today)
        week_words = f"{weeks} week{'s' if weeks != 1 else ''}"
        if days == 0:
            return week_words
        return f"{week_words} and {days} day{'s' if days != 1 else ''}"

    @property
    def how(self) -> str:
        """How the dates were worked out, in a sentence."""
        when = f"{self.basis_date.day} {self.basis_date:%B %Y}"
        if self.basis == "last_period":
            return (
                f"Counted from the first day of your last period, {when}: the due date is "
                "280 days after it. A dating scan may move it."
            )
        if self.basis == "insemination":
            what = "your insemination"
        elif self.from_trigger:
            what = "your likely ovulation (about 36 hours after your trigger shot)"
        else:
            what = "your likely ovulation (from your temperatures)"
        return (
            f"Counted from {what} on {when}, the usual way: pregnancy weeks start 14 days "
            "before conception, and the due date is 266 days after it. A dating scan may move it."
        )


def date_pregnancy(
    last_period: date,
    ovulation: date | None = None,
    insemination: date | None = None,
    ovulation_from_trigger: bool = False,
) -> Dating:
    """Date a pregnancy from the best day known: ovulation, else insemination, else the period.

    An ovulation or insemination before the period date cannot belong to this pregnancy and
    is ignored. ``ovulation_from_trigger``: the ovulation is the estimate about 36 hours after
    a trigger shot (said so in :attr:`Dating.how`).
    """
    for basis, day in (("ovulation", ovulation), ("insemination", insemination)):
        if day is not None and day >= last_period:
            return Dating(
                basis=basis,
                basis_date=day,
                counted_from=day - timedelta(days=DAYS_FROM_PERIOD_TO_OVULATION),
                due=day + timedelta(days=DAYS_TO_DUE_FROM_CONCEPTION),
                from_trigger=basis == "ovulation" and ovulation_from_trigger,
            )
    return Dating(
        basis="last_period",
        basis_date=last_period,
        counted_from=last_period,
        due=last_period + timedelta(days=DAYS_TO_DUE_FROM_PERIOD),
    )


# --------------------------------------------------------------------------- hCG


@dataclass(frozen=True)
class HcgValue:
    taken_at: datetime
    miu: float  # mIU/mL


@dataclass(frozen=True)
class HcgStep:
    """Two successive values. ``change_48h`` is the ratio over 48 hours (1.63 = +63%).

    ``pace``: "usual" (a rise of at least 63% in 48 h), "slower" (a smaller rise), "slowest"
    (less than 53%: slower than the slowest usual), "falling" (flat or down), or "not judged"
    (a level above :data:`JUDGED_BELOW`, or draws less than a day or more than four apart).
    """

    earlier: HcgValue
    later: HcgValue
    hours: float
    doubling_hours: float | None
    change_48h: float
    pace: str

    @property
    def doubling_days(self) -> float | None:
        return None if self.doubling_hours is None else self.doubling_hours / 24

    @property
    def percent_48h(self) -> int:
        """The change over 48 hours in whole percent (+63, -20)."""
        return math.floor((self.change_48h - 1) * 100 + 0.5)


@dataclass(frozen=True)
class HcgSeries:
    values: tuple[HcgValue, ...]
    steps: tuple[HcgStep, ...]

    @property
    def latest_step(self) -> HcgStep | None:
        return self.steps[-1] if self.steps else None

    @property
    def concern(self) -> str | None:
        """The pace of the latest step when it asks for a call to the clinic, else None."""
        step = self.latest_step
        if step is None or step.pace in ("usual", "not judged"):
            return None
        return step.pace


def assess_hcg(values: Sequence[HcgValue]) -> HcgSeries:
    """Each step of a series of blood hCG values (any order; non-positive values are left out)."""
    ordered = sorted((v for v in values if v.miu > 0 and math.isfinite(v.miu)), key=lambda v: v.taken_at)
    steps = []
    for earlier, later in zip(ordered, ordered[1:]):
        hours = (later.taken_at - earlier.taken_at).total_seconds() / 3600
        if hours <= 0:
            continue  # two values at the same time cannot give a rate
        change = (later.miu / earlier.miu) ** (48 / hours)
        doubling = doubling_time_hours(earlier.miu, earlier.taken_at, later.miu, later.taken_at)
        steps.append(HcgStep(earlier, later, hours, doubling, change, _pace(earlier.miu, hours, change)))
    return HcgSeries(tuple(ordered), tuple(steps))


def _pace(earlier_miu: float, hours: float, change: float) -> str:
    if change <= 1:
        return "falling"
    if earlier_miu >= JUDGED_BELOW or not SHORTEST_GAP_HOURS <= hours <= LONGEST_GAP_HOURS:
        return "not judged"
    if change >= USUAL_RISE_48H:
        return "usual"
    if change >= SLOWEST_NORMAL_RISE_48H:
        return "slower"
    return "slowest"
