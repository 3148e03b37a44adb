"""The journal's tables. Every row carries its owner's ``user_id``; deleting a user deletes them.

Conventions:

- Enumerations are short lowercase strings (see :mod:`webapp.fertility.vocabulary`), validated by
  the forms and the import, with no database CHECK constraints: the schema stays portable.
- Temperatures are stored as an Integer of hundredths of a degree Celsius (3645 = 36.45 °C):
  exact on SQLite and PostgreSQL alike.
- Money is an Integer of cents; hCG and motile counts are floats (measurements, not money).
- Dates and times are what the person entered, in their own time (the app knows no time zone);
  ``created_at`` / ``updated_at`` are naive UTC from :func:`webapp.clock.utcnow`.
- Free text (notes, feelings, mood, symptoms, donors' codes and banks, brands, vial numbers,
  who and where) is ``EncryptedText``: encrypted at rest, so never searched, sorted or compared
  in SQL (see :mod:`webapp.encryption`).
- Cycles have no table: they are derived from the days (see :mod:`webapp.fertility.cycles`).
  A person's own mark of a cycle start is ``Day.starts_cycle``; a cycle's outcome is kept in
  ``CycleOutcome`` under the date the cycle started.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..encryption import EncryptedText
from ..extensions import Model
from ..fertility import vocabulary
from ..fertility.sensiplan import mucus_code

OWNER = "user.id"


def owner_column() -> Mapped[int]:
    return mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), index=True)


class Day(Model):
    """Everything a person noted about one date: one row per person and date."""

    __tablename__ = "journal_day"
    __table_args__ = (UniqueConstraint("user_id", "date", name="uq_journal_day_user_id_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    date: Mapped[date]

    # Bleeding: spotting | light | medium | heavy. ``not_period`` keeps bleeding (usually
    # spotting) from starting a cycle; ``starts_cycle`` is a cycle start marked by hand.
    bleeding: Mapped[str | None] = mapped_column(String(10))
    not_period: Mapped[bool] = mapped_column(default=False)
    starts_cycle: Mapped[bool] = mapped_column(default=False)

    # Basal body temperature in hundredths of a degree Celsius; a disturbance (its reason:
    # short_sleep | alcohol | illness | travel | late | other) keeps it out of the rules.
    temperature_centi: Mapped[int | None] = mapped_column(Integer)
    temperature_time: Mapped[time | None]
    temperature_disturbance: Mapped[str | None] = mapped_column(String(20))

    mucus_feeling: Mapped[str | None] = mapped_column(String(10))  # dry | nothing | wet | slippery
    mucus_appearance: Mapped[str | None] = mapped_column(String(10))  # nothing | creamy | egg_white

    cervix_position: Mapped[str | None] = mapped_column(String(10))  # low | medium | high
    cervix_firmness: Mapped[str | None] = mapped_column(String(10))  # firm | soft
    cervix_opening: Mapped[str | None] = mapped_column(String(10))  # closed | medium | open

    ovulation_test: Mapped[str | None] = mapped_column(String(10))  # negative | high | peak
    ovulation_test_brand: Mapped[str | None] = mapped_column(EncryptedText(80))

    # Comma-separated symptom words (see vocabulary.SYMPTOMS), "" for none.
    symptoms_text: Mapped[str] = mapped_column("symptoms", EncryptedText(200), default="")
    mood: Mapped[str | None] = mapped_column(EncryptedText(80))
    note: Mapped[str | None] = mapped_column(EncryptedText())

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def symptoms(self) -> list[str]:
        return [word for word in (self.symptoms_text or "").split(",") if word]

    @symptoms.setter
    def symptoms(self, words: list[str]) -> None:
        self.symptoms_text = ",".join(word for word in vocabulary.SYMPTOMS if word in set(words))

    @property
    def temperature_c(self) -> float | None:
        return None if self.temperature_centi is None else self.temperature_centi / 100

    @property
    def temperature_disturbed(self) -> bool:
        return self.temperature_disturbance is not None

    @property
    def mucus_code(self) -> int | None:
        """The NFP code 0-4 (t, Ø, f, S, S+), or None unless both observations were noted."""
        return mucus_code(self.mucus_feeling, self.mucus_appearance)

    @property
    def is_period(self) -> bool:
        """Bleeding that counts as a period (and so may start a cycle)."""
        return self.bleeding is not None and not self.not_period

    @property
    def has_cervix(self) -> bool:
        return any((self.cervix_position, self.cervix_firmness, self.cervix_opening))

    def __repr__(self) -> str:
        return f"<Day {self.id}>"


class Donor(Model):
    """A sperm donor, kept once; inseminations point at it and use up its vials."""

    __tablename__ = "donor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    kind: Mapped[str] = mapped_column(String(10))  # bank | known
    code: Mapped[str] = mapped_column(EncryptedText(60))  # the bank's donor number, or a name
    bank: Mapped[str | None] = mapped_column(EncryptedText(120))
    # The vials bought, used and left come from the ledger (VialEntry) and the inseminations:
    # see webapp.fertility.vials.
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def name(self) -> str:
        return f"{self.code} ({self.bank})" if self.bank else self.code

    def __repr__(self) -> str:
        return f"<Donor {self.id}>"


class VialEntry(Model):
    """One dated line of a donor's vial ledger: a purchase, a shipment, storage or a correction
    (see :mod:`webapp.fertility.vials` for what each does to the count)."""

    __tablename__ = "donor_vial_entry"
    __table_args__ = (Index("ix_donor_vial_entry_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(12))  # purchase | shipment | storage | correction
    # Vials bought, shipped or stored; a correction's change, which may be negative.
    vials: Mapped[int | None] = mapped_column(Integer)
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    bank: Mapped[str | None] = mapped_column(EncryptedText(120))  # the bank or shipper
    stored_at: Mapped[str | None] = mapped_column(EncryptedText(120))  # where the vials are kept
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    donor: Mapped[Donor] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<VialEntry {self.id}>"


class Insemination(Model):
    __tablename__ = "insemination"
    __table_args__ = (Index("ix_insemination_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    date: Mapped[date]
    time: Mapped[time | None]
    method: Mapped[str] = mapped_column(String(10))  # ici | iui | ivi | other
    sperm: Mapped[str | None] = mapped_column(String(10))  # fresh | frozen
    donor_id: Mapped[int | None] = mapped_column(
        ForeignKey("donor.id", ondelete="SET NULL"), index=True
    )
    vials_used: Mapped[int] = mapped_column(Integer, default=0)
    vial_numbers: Mapped[str | None] = mapped_column(EncryptedText(200))
    motile_count_millions: Mapped[float | None] = mapped_column(Float)
    performed_by: Mapped[str | None] = mapped_column(EncryptedText(120))
    location: Mapped[str | None] = mapped_column(EncryptedText(120))
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    donor: Mapped[Donor | None] = relationship(lazy="raise")
    notes: Mapped[list[InseminationNote]] = relationship(
        back_populates="insemination",
        order_by="InseminationNote.noted_at, InseminationNote.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )

    @property
    def starts_at(self) -> datetime:
        """When it happened; midnight when no time was noted (the timeline then counts days)."""
        return datetime.combine(self.date, self.time or time(0, 0))

    def __repr__(self) -> str:
        return f"<Insemination {self.id}>"


class InseminationNote(Model):
    """How it went after an insemination: any number, each with its own time."""

    __tablename__ = "insemination_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    insemination_id: Mapped[int] = mapped_column(
        ForeignKey("insemination.id", ondelete="CASCADE"), index=True
    )
    noted_at: Mapped[datetime]
    leakage: Mapped[str | None] = mapped_column(String(10))  # none | a_little | a_lot
    cramping: Mapped[str | None] = mapped_column(String(10))  # none | mild | strong
    spotting: Mapped[bool] = mapped_column(default=False)
    lying_down_minutes: Mapped[int | None] = mapped_column(Integer)
    orgasm: Mapped[bool] = mapped_column(default=False)
    feelings: Mapped[str | None] = mapped_column(EncryptedText(300))
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    insemination: Mapped[Insemination] = relationship(back_populates="notes", lazy="raise")

    def __repr__(self) -> str:
        return f"<InseminationNote {self.id}>"


class PregnancyTest(Model):
    __tablename__ = "pregnancy_test"
    __table_args__ = (Index("ix_pregnancy_test_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    date: Mapped[date]
    time: Mapped[time | None]
    kind: Mapped[str] = mapped_column(String(10))  # home | blood
    brand: Mapped[str | None] = mapped_column(EncryptedText(80))
    sensitivity_miu: Mapped[int | None] = mapped_column(Integer)  # home tests, mIU/mL
    result: Mapped[str | None] = mapped_column(String(10))  # home: negative | faint | positive
    hcg_miu: Mapped[float | None] = mapped_column(Float)  # blood tests, mIU/mL
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def taken_at(self) -> datetime:
        """For doubling times: the time taken, or noon when no time was noted."""
        return datetime.combine(self.date, self.time or time(12, 0))

    @property
    def is_positive(self) -> bool:
        """A home test with a line, or a blood test at or above 5 mIU/mL."""
        if self.kind == "blood":
            return self.hcg_miu is not None and self.hcg_miu >= HCG_POSITIVE_FROM
        return self.result in ("faint", "positive")

    def __repr__(self) -> str:
        return f"<PregnancyTest {self.id}>"


# Below 5 mIU/mL a blood test is read as negative; 5 and above as (at least weakly) positive.
HCG_POSITIVE_FROM = 5.0


class CycleOutcome(Model):
    """How a cycle ended, recorded by the person, under the date that cycle started."""

    __tablename__ = "cycle_outcome"
    __table_args__ = (
        UniqueConstraint("user_id", "cycle_start", name="uq_cycle_outcome_user_id_cycle_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    cycle_start: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(20))  # not_pregnant | chemical | pregnancy | loss
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CycleOutcome {self.id}>"


class Intercourse(Model):
    """Sex on a date, with or without sperm (the journal does not assume who the partner is)."""

    __tablename__ = "intercourse"
    __table_args__ = (Index("ix_intercourse_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    date: Mapped[date]
    time: Mapped[time | None]
    sperm: Mapped[str | None] = mapped_column(String(12))  # with_sperm | protected
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def counts_for_timing(self) -> bool:
        """Whether it can lead to a pregnancy, as far as the entry says (not marked protected)."""
        return self.sperm != "protected"

    def __repr__(self) -> str:
        return f"<Intercourse {self.id}>"


class Medicine(Model):
    """A medicine or supplement taken over a course of days (one row, not one a day).

    A trigger shot is a course of one day; ``time`` is when it was given (or when a course
    is usually taken)."""

    __tablename__ = "medicine"
    __table_args__ = (Index("ix_medicine_user_id_start_date", "user_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    medicine: Mapped[str] = mapped_column(String(20))  # vocabulary.MEDICINES
    name: Mapped[str | None] = mapped_column(EncryptedText(80))  # a brand, or the name of "other"
    dose: Mapped[float | None] = mapped_column(Float)
    dose_unit: Mapped[str | None] = mapped_column(String(10))  # mg | mcg | iu | ml | tablet
    route: Mapped[str | None] = mapped_column(String(10))  # oral | vaginal | injection | other
    start_date: Mapped[date]
    end_date: Mapped[date | None]  # None: still taking it
    time: Mapped[time | None]
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Medicine {self.id}>"


class ProgesteroneTest(Model):
    """A urine PdG strip (positive or negative) or a serum progesterone value with its unit."""

    __tablename__ = "progesterone_test"
    __table_args__ = (Index("ix_progesterone_test_user_id_date", "user_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = owner_column()
    date: Mapped[date]
    time: Mapped[time | None]
    kind: Mapped[str] = mapped_column(String(10))  # pdg_strip | serum
    result: Mapped[str | None] = mapped_column(String(10))  # strips: negative | positive
    value: Mapped[float | None] = mapped_column(Float)  # serum, in ``unit``
    unit: Mapped[str | None] = mapped_column(String(10))  # ng_ml | nmol_l
    brand: Mapped[str | None] = mapped_column(EncryptedText(80))
    note: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ProgesteroneTest {self.id}>"


class CalendarFeed(Model):
    """A person's calendar feed: the SHA-256 (hex) of its secret token. At most one each."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id}>"


class JournalRevision(Model):
    """A person's journal revision: a number bumped in the same transaction as every change to
    their journal (see :mod:`webapp.journal.revisions`). Caches of what was read from the
    journal are keyed by it, so an edit can never be missed, whatever its timestamps say."""

    __tablename__ = "journal_revision"

    user_id: Mapped[int] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)


# Every table that holds a person's journal entries.
JOURNAL_MODELS = (
    Day, Donor, VialEntry, Insemination, InseminationNote, PregnancyTest, CycleOutcome, CalendarFeed,
    Intercourse, Medicine, ProgesteroneTest,
)
