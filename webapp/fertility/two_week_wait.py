"""The two-week wait: one countdown from ovulation (or, without one, from insemination) to the
day a pregnancy test is most reliable. Pure standard-library code; ``today`` is passed in.

Every page that counts days in the luteal phase uses :func:`countdown`, so the home page, a
day's page and the calendar never disagree ("11 days past ovulation" beside "day 12 of your
two-week wait" was two counters from two starting points).

Why these days: hCG is made from implantation (6 to 12 days after ovulation, most often 8 to 10),
and reaches the level a sensitive home test detects a few days later; from 12 days past
ovulation most pregnancies show. Counting from an insemination the ovulation may still be a
day or two away, so the reliable day is 14 days after it (the usual clinic advice after IUI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .formatting import days_phrase

__all__ = ["RELIABLE_AFTER", "Countdown", "countdown"]

# Days after the starting point from which a home pregnancy test is most reliable.
RELIABLE_AFTER = {"ovulation": 12, "insemination": 14}
# Past this many days the wait is over whichever way it went (a period would normally have
# come): the countdown stops rather than counting on for weeks.
LONGEST_WAIT = 20


@dataclass(frozen=True)
class Countdown:
    """``days`` past ``since`` (the likely ovulation, or the last insemination: ``what``)."""

    days: int
    what: str  # "ovulation" | "insemination"
    since: date
    from_trigger: bool = False  # the ovulation is estimated from a trigger shot (no temperature shift)

    @property
    def test_from(self) -> date:
        """The first day a home test is most reliable."""
        return self.since + timedelta(days=RELIABLE_AFTER[self.what])

    @property
    def days_to_test(self) -> int:
        """Days until :attr:`test_from`; 0 or less once it has come."""
        return RELIABLE_AFTER[self.what] - self.days

    @property
    def phrase(self) -> str:
        """"7 days past ovulation"."""
        return days_phrase(self.days, self.what)

    @property
    def test_phrase(self) -> str:
        """When to test, in words that agree with :attr:`phrase`."""
        reliable = RELIABLE_AFTER[self.what]
        after = f"{reliable} days past {self.what}"
        when = f"{self.test_from.day} {self.test_from:%B}"
        if self.days_to_test > 0:
            return f"a test is most reliable from {after}, on {when}"
        if self.days_to_test == 0:
            return f"a test is most reliable from today, {after}"
        return f"a test is reliable now (from {after}, {when})"

    @property
    def sentence(self) -> str:
        """The whole countdown: "7 days past ovulation; a test is most reliable from …"."""
        return f"{self.phrase[:1].upper()}{self.phrase[1:]}; {self.test_phrase}."


def countdown(
    when: date,
    ovulation: date | None,
    insemination: date | None = None,
    from_trigger: bool = False,
) -> Countdown | None:
    """The countdown on ``when``: from the likely ovulation when there is one on or before
    ``when``, else from the last insemination on or before it; None before either, and once
    :data:`LONGEST_WAIT` days have passed. Both dates must be of the cycle ``when`` is in;
    ``from_trigger`` says the ovulation is the estimate after a trigger shot."""
    if ovulation is not None and ovulation <= when:
        since, what = ovulation, "ovulation"
    elif insemination is not None and insemination <= when:
        since, what = insemination, "insemination"
    else:
        return None
    days = (when - since).days
    if days > LONGEST_WAIT:
        return None
    return Countdown(days, what, since, from_trigger=from_trigger and what == "ovulation")
