"""A demo journal, so that a newcomer sees the chart, predictions and statistics at once.

    flask --app webapp demo

creates (or recreates) the account demo@seedling.example with a fresh random password, printed
once, and a made-up journal: three completed cycles and a current one, with temperatures (a
few of them disturbed), mucus and cervix, ovulation tests, a bank donor, two inseminations with
notes in the last completed cycle and two in this one, pregnancy tests and an outcome. The
current cycle became a pregnancy (:func:`demo_pregnancy_plan`): a positive home test at 12 days
past ovulation and three blood hCG values, so the account opens in pregnancy mode. It was a
medicated cycle: letrozole on days 3 to 7, an Ovitrelle trigger shot on day 13, progesterone
from day 16, a positive PdG strip and a serum progesterone value, and an early faint test
(which may still be the trigger); the first cycle has intercourse around its ovulation;
the donor's vials have a ledger (purchase, shipment, storage). Every page of
the account says it is demo data (``User.is_demo``).

:func:`demo_plan` (cycle mode, the current cycle on day 21) and :func:`demo_pregnancy_plan` are
pure and deterministic (a fixed seed, dates counted back from ``today``); :func:`create_demo`
writes the pregnancy plan to the database.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, select

from ..accounts.models import User
from ..accounts.passwords import hash_password
from ..clock import today as clock_today
from ..extensions import db
from .history import forget_user
from .models import (
    CycleOutcome,
    Day,
    Donor,
    Insemination,
    InseminationNote,
    Intercourse,
    Medicine,
    PregnancyTest,
    ProgesteroneTest,
    VialEntry,
)

__all__ = [
    "DEMO_EMAIL",
    "DemoPlan",
    "create_demo",
    "demo_command",
    "demo_plan",
    "demo_pregnancy_plan",
    "write_plan",
]

# ".example" is reserved for examples (RFC 2606) and never delivered; ".invalid" would be
# refused by the sign-in form's email check.
DEMO_EMAIL = "demo@seedling.example"
SEED = 20240607
# (length, likely ovulation day) of the completed cycles, oldest first; the current cycle
# ovulated on day 14 and is on day CURRENT_DAY today.
COMPLETED = ((29, 15), (27, 13), (30, 16))
CURRENT_OVULATION = 14
CURRENT_DAY = 21
FLOWS = ("heavy", "medium", "medium", "light", "spotting")
# One value of each, shuffled once per cycle and repeated: every six measurements in a row
# then hold 36.50 once, so no lower value is ever above all six before it (no false shift).
LOW_VALUES = (3630, 3635, 3640, 3645, 3650, 3640)
HIGH_VALUES = (3670, 3675, 3680, 3685, 3690)


@dataclass
class DemoPlan:
    """Everything the demo journal holds, as plain dicts of model fields."""

    days: list[dict[str, Any]] = field(default_factory=list)
    donor: dict[str, Any] = field(default_factory=dict)
    inseminations: list[dict[str, Any]] = field(default_factory=list)  # each with "notes"
    tests: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    vial_ledger: list[dict[str, Any]] = field(default_factory=list)
    medicines: list[dict[str, Any]] = field(default_factory=list)
    progesterone_tests: list[dict[str, Any]] = field(default_factory=list)
    intercourse: list[dict[str, Any]] = field(default_factory=list)
    cycle_starts: list[date] = field(default_factory=list)


def demo_plan(today: date) -> DemoPlan:
    """The demo journal for ``today``: the same every time for the same date."""
    rng = random.Random(SEED)
    current_start = today - timedelta(days=CURRENT_DAY - 1)
    starts = [current_start]
    for length, _ in reversed(COMPLETED):
        starts.insert(0, starts[0] - timedelta(days=length))
    plan = DemoPlan(cycle_starts=starts)
    cycles = [*COMPLETED, (CURRENT_DAY, CURRENT_OVULATION)]
    for number, (start, (length, ovulation)) in enumerate(zip(starts, cycles), start=1):
        plan.days += _cycle_days(start, length, ovulation, rng, number=number, current=number == len(cycles))

    plan.donor = {
        "kind": "bank",
        "code": "4471",
        "bank": "Example Cryobank",
        "note": "Demo donor: ID release, CMV negative.",
    }
    # Six vials bought, shipped home in one go and kept in a rented tank; the four
    # inseminations below use one each, so two are left.
    plan.vial_ledger = [
        {"date": starts[0] - timedelta(days=12), "kind": "purchase", "vials": 6, "cost_cents": 540000,
         "bank": "Example Cryobank", "stored_at": "Example Cryobank", "note": "ID release, ICI vials."},
        {"date": starts[-2] - timedelta(days=5), "kind": "shipment", "vials": 6, "cost_cents": 29000,
         "bank": "Example Courier", "stored_at": "Home (dry shipper)"},
        {"date": starts[-2] - timedelta(days=5), "kind": "storage", "vials": 6, "cost_cents": 12000,
         "stored_at": "Rented home tank", "note": "Three months' rent."},
    ]
    day = lambda number: current_start + timedelta(days=number - 1)  # noqa: E731 - a cycle day's date
    plan.medicines = [
        {"medicine": "letrozole", "name": "Letrozole", "dose": 2.5, "dose_unit": "mg", "route": "oral",
         "start_date": day(3), "end_date": day(7), "note": "Prescribed by the clinic, days 3 to 7."},
        {"medicine": "hcg_trigger", "name": "Ovitrelle", "dose": 250.0, "dose_unit": "mcg",
         "route": "injection", "start_date": day(13), "end_date": day(13), "time": time(21, 0),
         "note": "Trigger after the follicle scan."},
        {"medicine": "progesterone", "name": "Vaginal progesterone", "dose": 200.0, "dose_unit": "mg",
         "route": "vaginal", "start_date": day(16), "end_date": None, "note": "Luteal support, twice a day."},
        {"medicine": "folic_acid", "name": "Folic acid", "dose": 400.0, "dose_unit": "mcg",
         "route": "oral", "start_date": starts[0], "end_date": None},
    ]
    plan.progesterone_tests = [
        {"date": day(20), "time": time(7, 0), "kind": "pdg_strip", "result": "positive",
         "brand": "Demo PdG strips"},
        {"date": day(21), "time": time(9, 15), "kind": "serum", "value": 38.2, "unit": "nmol_l",
         "note": "Day 21 blood test at the clinic."},
    ]
    first_ovulation = starts[0] + timedelta(days=COMPLETED[0][1] - 1)
    plan.intercourse = [
        {"date": first_ovulation - timedelta(days=2), "time": time(22, 30), "sperm": "with_sperm"},
        {"date": first_ovulation, "time": time(7, 15), "sperm": "with_sperm"},
    ]
    last_start, (_, last_ovulation) = starts[-2], COMPLETED[-1]
    for cycle_start, ovulation, hour in ((last_start, last_ovulation, 7), (current_start, CURRENT_OVULATION, 8)):
        ovulation_date = cycle_start + timedelta(days=ovulation - 1)
        for offset, minutes in ((-1, 30), (0, 0)):
            when = ovulation_date + timedelta(days=offset)
            at = time(hour + 13 if offset < 0 else hour, minutes)
            plan.inseminations.append(
                {
                    "date": when,
                    "time": at,
                    "method": "ici",
                    "sperm": "frozen",
                    "vials_used": 1,
                    "vial_numbers": f"4471-{len(plan.inseminations) + 11}",
                    "motile_count_millions": 18.0 + len(plan.inseminations),
                    "performed_by": "At home",
                    "location": "Home",
                    "note": "Thawed for 15 minutes in a pocket, as the bank suggests."
                    if offset < 0
                    else "Second try this cycle, after a peak ovulation test yesterday.",
                    "notes": [
                        {
                            "noted_at": datetime.combine(when, at) + timedelta(minutes=20),
                            "leakage": "a_little",
                            "cramping": "mild",
                            "lying_down_minutes": 20,
                            "feelings": "Calm, a little hopeful.",
                        },
                        {
                            "noted_at": datetime.combine(when, at) + timedelta(hours=5),
                            "cramping": "none",
                            "note": "Back to a normal day.",
                        },
                    ],
                }
            )
    last_ovulation_date = last_start + timedelta(days=last_ovulation - 1)
    plan.tests = [
        {"date": last_ovulation_date + timedelta(days=10), "time": time(7, 10), "kind": "home",
         "brand": "Early test", "sensitivity_miu": 10, "result": "negative",
         "note": "Probably too early."},
        {"date": last_ovulation_date + timedelta(days=13), "time": time(7, 5), "kind": "home",
         "brand": "Early test", "sensitivity_miu": 10, "result": "negative"},
    ]
    plan.outcomes = [
        {"cycle_start": last_start, "outcome": "not_pregnant",
         "note": "Not this time. Trying again next cycle."},
    ]
    return plan


def _cycle_days(
    start: date, length: int, ovulation: int, rng: random.Random, number: int, current: bool
) -> list[dict[str, Any]]:
    lows = list(LOW_VALUES)
    rng.shuffle(lows)
    measured = 0
    days = []
    # A day without a temperature (a lie-in) and a couple of disturbed values per cycle.
    skipped = ovulation - 5
    disturbed = {ovulation - 3: ("alcohol", 3710), ovulation + 6: ("short_sleep", 3620)}
    if number == 2:
        disturbed[4] = ("illness", 3745)
    for cycle_day in range(1, length + 1):
        when = start + timedelta(days=cycle_day - 1)
        record: dict[str, Any] = {"date": when, "temperature_time": time(6, 30 + rng.randrange(0, 25))}
        if cycle_day <= len(FLOWS):
            record["bleeding"] = FLOWS[cycle_day - 1]
        if cycle_day in disturbed:
            reason, value = disturbed[cycle_day]
            record["temperature_centi"] = value
            record["temperature_disturbance"] = reason
        elif cycle_day != skipped:
            if cycle_day <= ovulation:
                record["temperature_centi"] = lows[measured % len(lows)]
                measured += 1
            elif not current and cycle_day == length:
                record["temperature_centi"] = 3655  # the drop before a period
            else:
                record["temperature_centi"] = rng.choice(HIGH_VALUES)
        if cycle_day == skipped:
            record["temperature_time"] = None
        record.update(_mucus(cycle_day, ovulation))
        record.update(_cervix(cycle_day, ovulation))
        test = {ovulation - 3: "negative", ovulation - 2: "high", ovulation - 1: "peak"}.get(cycle_day)
        if test:
            record["ovulation_test"] = test
            record["ovulation_test_brand"] = "Demo LH strips"
        symptoms = []
        if cycle_day <= 2:
            symptoms.append("cramps")
        if cycle_day >= ovulation + 8 and cycle_day % 2 == 0:
            symptoms.append("breast_tenderness")
        record["symptoms"] = symptoms
        if cycle_day == ovulation - 1:
            record["note"] = "Lots of stretchy mucus today."
        days.append(record)
    return days


def _mucus(cycle_day: int, ovulation: int) -> dict[str, str]:
    if cycle_day <= len(FLOWS):
        return {}
    offset = cycle_day - ovulation
    if offset <= -6 or offset >= 3:
        return {"mucus_feeling": "dry", "mucus_appearance": "nothing"}  # t
    if offset in (-5, -4, 2):
        return {"mucus_feeling": "nothing", "mucus_appearance": "nothing"}  # Ø
    if offset in (-3, -2, 1):
        return {"mucus_feeling": "wet", "mucus_appearance": "creamy"}  # S
    return {"mucus_feeling": "slippery", "mucus_appearance": "egg_white"}  # S+, the peak


def _cervix(cycle_day: int, ovulation: int) -> dict[str, str]:
    if cycle_day <= len(FLOWS):
        return {}
    offset = cycle_day - ovulation
    if -3 <= offset <= -2:
        return {"cervix_position": "medium", "cervix_firmness": "soft", "cervix_opening": "medium"}
    if -1 <= offset <= 0:
        return {"cervix_position": "high", "cervix_firmness": "soft", "cervix_opening": "open"}
    return {"cervix_position": "low", "cervix_firmness": "firm", "cervix_opening": "closed"}


# --------------------------------------------------------------------------- database


# --------------------------------------------------------------------------- an ongoing pregnancy

# Days past ovulation on the demo's today, and the blood hCG values (mIU/mL) by days past
# ovulation: a rise in the usual range (doubling in about 1.6 days).
PREGNANCY_DAYS_PAST_OVULATION = 21
HCG_BY_DAYS_PAST_OVULATION = ((14, 62.0), (16, 148.0), (18, 351.0))


def demo_pregnancy_plan(today: date) -> DemoPlan:
    """The demo journal whose current cycle became a pregnancy: :func:`demo_plan` counted back
    so that the cycle is at 21 days past ovulation on ``today``, its days logged on to today, a
    positive home test at 12 days past ovulation and three blood hCG values two days apart."""
    extra = PREGNANCY_DAYS_PAST_OVULATION - (CURRENT_DAY - CURRENT_OVULATION)
    plan = demo_plan(today - timedelta(days=extra))
    rng = random.Random(SEED + 1)
    current_start = plan.cycle_starts[-1]
    ovulation = current_start + timedelta(days=CURRENT_OVULATION - 1)
    for offset in range(1, extra + 1):
        when = today - timedelta(days=extra - offset)
        plan.days.append(
            {
                "date": when,
                "temperature_time": time(6, 30 + rng.randrange(0, 25)),
                "temperature_centi": rng.choice(HIGH_VALUES),
                "mucus_feeling": "dry",
                "mucus_appearance": "nothing",
                "symptoms": ["breast_tenderness", "fatigue"] if offset % 2 else ["nausea"],
            }
        )
    # An early faint test six days after the trigger (which may still be the trigger): in this
    # plan only, since a faint test turns the journal to pregnancy mode.
    plan.tests.append(
        {"date": current_start + timedelta(days=19 - 1), "time": time(7, 0), "kind": "home",
         "brand": "Early test", "sensitivity_miu": 10, "result": "faint",
         "note": "Six days after the trigger: probably still the trigger."}
    )
    plan.tests.append(
        {"date": ovulation + timedelta(days=12), "time": time(6, 50), "kind": "home",
         "brand": "Early test", "sensitivity_miu": 10, "result": "positive",
         "note": "Two lines! Testing again to be sure."}
    )
    for days_past, value in HCG_BY_DAYS_PAST_OVULATION:
        plan.tests.append(
            {"date": ovulation + timedelta(days=days_past), "time": time(8, 30), "kind": "blood",
             "hcg_miu": value, "note": "Blood test at the clinic."}
        )
    return plan


def create_demo(today: date, password: str) -> User:
    """Delete any earlier demo account (its journal goes with it) and write a new one."""
    old = db.session.scalar(select(User.id).where(User.email == DEMO_EMAIL))
    if old is not None:
        db.session.execute(delete(User).where(User.id == old))
        forget_user(old)
    user = User(email=DEMO_EMAIL, password_hash=hash_password(password), is_demo=True)
    db.session.add(user)
    db.session.flush()
    write_plan(user.id, demo_pregnancy_plan(today))
    db.session.commit()
    return user


def write_plan(user_id: int, plan: DemoPlan) -> None:
    """Add a plan's rows to a person's journal (the caller commits)."""
    for fields in plan.days:
        fields = dict(fields)
        symptoms = fields.pop("symptoms", [])
        day = Day(user_id=user_id, **fields)
        day.symptoms = symptoms
        db.session.add(day)
    donor = Donor(user_id=user_id, **plan.donor)
    db.session.add(donor)
    db.session.flush()
    for fields in plan.inseminations:
        fields = dict(fields)
        notes = fields.pop("notes")
        insemination = Insemination(user_id=user_id, donor_id=donor.id, **fields)
        db.session.add(insemination)
        db.session.flush()
        for note in notes:
            db.session.add(InseminationNote(user_id=user_id, insemination_id=insemination.id, **note))
    for fields in plan.tests:
        db.session.add(PregnancyTest(user_id=user_id, **fields))
    for fields in plan.outcomes:
        db.session.add(CycleOutcome(user_id=user_id, **fields))
    for fields in plan.vial_ledger:
        db.session.add(VialEntry(user_id=user_id, donor_id=donor.id, **fields))
    for fields in plan.medicines:
        db.session.add(Medicine(user_id=user_id, **fields))
    for fields in plan.progesterone_tests:
        db.session.add(ProgesteroneTest(user_id=user_id, **fields))
    for fields in plan.intercourse:
        db.session.add(Intercourse(user_id=user_id, **fields))


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create (or recreate) the demo account and print its email and a fresh password."""
    password = secrets.token_urlsafe(15)
    create_demo(clock_today(), password)
    click.echo("Demo account ready (all of its data is made up):")
    click.echo(f"  Email:    {DEMO_EMAIL}")
    click.echo(f"  Password: {password}")
    click.echo("The password is shown only now; run this command again for a new one.")
