"""What an import yields: one ImportedDay per date, and an ImportResult for the whole file.

Plain frozen values, no behaviour beyond counting: the journal decides how to show and merge
them. Words are the journal's stored words (webapp.journal.vocabulary) except where a field says
otherwise; every field is None / False / empty when the source app recorded nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, time

from ..cycles import derive_cycle_starts

# Flo records that a period happened on a day, never how heavy it was. The journal has no word
# for that yet: this is the one bleeding value that is not a journal word.
BLEEDING_UNSPECIFIED = "unspecified"

# The reason given to an excluded temperature when the file itself gives none.
EXCLUDED_IN_DRIP = "excluded in drip"
EXCLUDED_IN_CLUE = "excluded in Clue"
GENERIC_REASONS = frozenset({EXCLUDED_IN_DRIP, EXCLUDED_IN_CLUE})

@dataclass(frozen=True)
class ImportedDay:
    date: date
    # spotting | light | medium | heavy, or BLEEDING_UNSPECIFIED (Flo).
    bleeding: str | None = None
    not_period: bool = False
    temperature_centi: int | None = None  # hundredths of a degree Celsius
    temperature_time: time | None = None
    temperature_disturbed: bool = False
    # Free text: the source's own reason, or EXCLUDED_IN_DRIP / EXCLUDED_IN_CLUE.
    temperature_disturbance_reason: str | None = None
    mucus_feeling: str | None = None  # dry | nothing | wet | slippery
    mucus_appearance: str | None = None  # nothing | creamy | egg_white
    cervix_opening: str | None = None  # closed | medium | open
    cervix_firmness: str | None = None  # firm | soft
    cervix_position: str | None = None  # low | medium | high
    ovulation_test: str | None = None  # negative | peak
    pregnancy_test: str | None = None  # negative | positive (a home test)
    symptoms: tuple[str, ...] = ()  # journal symptom words; "other" stands for other_symptoms
    # Plain names of symptoms the journal has no word for ("backache"), to keep in a note.
    other_symptoms: tuple[str, ...] = ()
    moods: tuple[str, ...] = ()  # plain mood words ("happy", "fatigue"): the journal's mood is free text
    note: str | None = None
    # Other free text the source kept apart from the note: (what it was, the text), e.g.
    # ("pain note", "knee after running"). The journal has no field for it but must keep it.
    other_text: tuple[tuple[str, str], ...] = ()
    intercourse: bool = False  # sex with a partner (solo sex is not intercourse)
    # True with contraception (a condom, the pill …), False without, None when the source did
    # not say or said both.
    intercourse_protected: bool | None = None
    # The source's own words about that intercourse (drip's sex note), for the entry's note.
    intercourse_note: str | None = None

    @property
    def is_period(self) -> bool:
        return self.bleeding is not None and not self.not_period

    @property
    def has_mucus(self) -> bool:
        return self.mucus_feeling is not None or self.mucus_appearance is not None

    @property
    def has_cervix(self) -> bool:
        return any((self.cervix_opening, self.cervix_firmness, self.cervix_position))

    @property
    def carries_anything(self) -> bool:
        """False for a day with nothing but its date (such days are not imported)."""
        empty = ImportedDay(self.date)
        return any(getattr(self, f.name) != getattr(empty, f.name) for f in fields(self))


@dataclass(frozen=True)
class NotMapped:
    """Something in the file the journal has no place for: what it is, where, and how often."""

    what: str  # e.g. "Clue collection_method records", "drip desire"
    where: str  # e.g. "lines 4, 9 and 17", "records 12, 40, 41 and 10 more"
    count: int


@dataclass(frozen=True)
class ImportResult:
    source: str  # the app, for people: "drip", "Clue", "Clue (old backup)", "Flo"
    format: str  # drip-csv | clue-json | clue-cluedata | flo-json
    days: tuple[ImportedDay, ...]  # oldest first, one per date, none empty
    not_mapped: tuple[NotMapped, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "3 temperatures were in °F and were converted to °C."
    cycle_starts: tuple[date, ...] = field(init=False)

    def __post_init__(self) -> None:
        # The journal's own rule (no hand marks in an import): a period day after at least
        # two days without one, as drip's isMensesStart.
        starts = derive_cycle_starts(day.date for day in self.days if day.is_period)
        object.__setattr__(self, "cycle_starts", tuple(starts))

    @property
    def first_date(self) -> date | None:
        return self.days[0].date if self.days else None

    @property
    def last_date(self) -> date | None:
        return self.days[-1].date if self.days else None

    @property
    def counts(self) -> dict[str, int]:
        """How much the file holds, by kind (the names of the fixtures' README)."""
        days = self.days
        excluded = [d for d in days if d.temperature_centi is not None and d.temperature_disturbed]
        return {
            "days": len(days),
            "bleeding_days": sum(d.bleeding is not None for d in days),
            "period_days": sum(d.is_period for d in days),
            "not_a_period_days": sum(d.bleeding is not None and d.not_period for d in days),
            "cycle_starts": len(self.cycle_starts),
            "temperatures": sum(d.temperature_centi is not None for d in days),
            "excluded_temperatures": len(excluded),
            "temperature_reasons": sum(
                d.temperature_disturbance_reason not in (None, *GENERIC_REASONS) for d in excluded
            ),
            "mucus_days": sum(d.has_mucus for d in days),
            "mucus_complete_days": sum(
                d.mucus_feeling is not None and d.mucus_appearance is not None for d in days
            ),
            "cervix_days": sum(d.has_cervix for d in days),
            "lh_tests": sum(d.ovulation_test is not None for d in days),
            "lh_positive": sum(d.ovulation_test == "peak" for d in days),
            "pregnancy_tests": sum(d.pregnancy_test is not None for d in days),
            "intercourse_days": sum(d.intercourse for d in days),
            "symptom_days": sum(bool(d.symptoms) for d in days),
            "mood_days": sum(bool(d.moods) for d in days),
            "notes": sum(bool(d.note) for d in days),
            "other_free_text": sum(bool(d.other_text) or d.intercourse_note is not None for d in days),
        }

