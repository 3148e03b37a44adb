"""When to suggest seeing a fertility specialist (NICE CG156). Pure standard-library code.

NICE CG156 offers a clinical assessment to people using donor insemination who have not
conceived after 6 cycles, and to people trying for 12 months (6 months from the age of 36:
"over 35") without a pregnancy. The journal does not know a person's age, so the months rule is
only used when an age is given; the cycle rule needs none. The sentence always names the rule
that applied, so it reads as information, not a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SpecialistNote", "specialist_note"]

ARTICLE = "when-to-see-a-fertility-specialist"
INSEMINATION_CYCLES = 6
MONTHS = 12
MONTHS_OVER_35 = 6


@dataclass(frozen=True)
class SpecialistNote:
    sentence: str
    article_slug: str = ARTICLE


def specialist_note(
    inseminated_cycles: int,
    months_trying: int | None = None,
    age: int | None = None,
) -> SpecialistNote | None:
    """A calm note once a NICE threshold is reached, else None.

    ``inseminated_cycles``: completed cycles with a donor insemination and no pregnancy since
    the last one. ``months_trying`` and ``age`` are used together only (see the module).
    """
    if inseminated_cycles >= INSEMINATION_CYCLES:
        if age is None:
            return SpecialistNote(
                f"You have had {inseminated_cycles} cycles with donor insemination without a "
                "pregnancy. NICE suggests a fertility check-up after six, and sooner, after six "
                "months of trying, if you are over 35. It is a routine step, and many people "
                "find it reassuring."
            )
        return SpecialistNote(
            f"You have had {inseminated_cycles} cycles with donor insemination without a "
            "pregnancy. NICE suggests a fertility check-up after six. It is a routine step, "
            "and many people find it reassuring."
        )
    if age is not None and months_trying is not None:
        limit = MONTHS_OVER_35 if age > 35 else MONTHS
        if months_trying >= limit:
            return SpecialistNote(
                f"You have been trying for {months_trying} months. NICE suggests a fertility "
                f"check-up after {limit} months of trying{' when you are over 35' if age > 35 else ''}. "
                "It is a routine step, and many people find it reassuring."
            )
    return None
