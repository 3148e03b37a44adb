"""Small pieces the journal's views share (no view imports another view)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user
from wtforms import Field

from ...urls import LARGEST_ID
from ..local_time import person_today
from .. import queries
from ...fertility.cycles import CycleSpan, cycle_containing
from ..models import Day


T = TypeVar("T")


def validated(value: T | None) -> T:
    """A required field's data once its form has validated (its validators refuse None)."""
    if value is None:
        raise ValueError("a required field has no data: validate the form first")
    return value


def add_error(field: Field, message: str) -> None:
    """One more error on a validated field. WTForms keeps them in a list after validation;
    its types only promise a Sequence."""
    if not isinstance(field.errors, list):
        raise TypeError("errors can be added to a field only after validation")
    field.errors.append(message)


def parse_date_arg(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def requested_date() -> date:
    """The date a new entry starts on: ``?day=<id>`` of one of the person's own days (an id,
    so no date of an insemination or a test shows in an address), ``?date=`` for a day not
    logged yet, else today."""
    day_id = request.args.get("day", type=int)
    if day_id is not None and not 0 < day_id <= LARGEST_ID:
        abort(404)  # beyond what the database can bind: no day of theirs
    if day_id is not None:
        return queries.owned(Day, day_id).date
    return parse_date_arg(request.args.get("date")) or person_today()


def cycle_of(day_id: int) -> tuple[Any, list[CycleSpan], CycleSpan | None]:
    entry, spans, span, _ = cycle_and_start_ids(day_id)
    return entry, spans, span


def cycle_and_start_ids(day_id: int) -> tuple[Any, list[CycleSpan], CycleSpan | None, dict[date, int]]:
    """The owner's day (its id and date: :func:`queries.owned_day_date`), their cycles, the one
    the day falls in, and each cycle's start day id."""
    entry = queries.owned_day_date(day_id)
    spans, ids = queries.cycle_spans_and_start_ids(current_user.id)
    return entry, spans, cycle_containing(spans, entry.date), ids
