"""A person's data beyond the account itself, reached through what other packages register.

Accounts never imports the packages that keep data for a person: each registers a section
with :func:`register_section` (how to export it, how to forget what it keeps outside the
database). "Download my data" is the account section plus every registered section; deleting an
account is one cascading DELETE plus every section's ``forget`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from ..clock import utcnow
from .models import User

EXPORT_FORMAT = "seedling-export"
EXPORT_VERSION = 1
_EXTENSION = "seedling.account_data"


@dataclass(frozen=True)
class DataSection:
    name: str
    export: Callable[[User], Any]
    # Purges what the package keeps for a person outside the database (caches): called after
    # their rows are deleted, or replaced by an import.
    forget: Callable[[int], None] = lambda _user_id: None
    # A template the settings page includes in "Your data" (the package's own downloads).
    settings_template: str | None = None


def init_app(app: Flask) -> None:
    app.extensions.setdefault(_EXTENSION, {})


def register_section(app: Flask, section: DataSection) -> None:
    sections = app.extensions.setdefault(_EXTENSION, {})
    if section.name in sections or section.name in {"format", "version", "exported_at", "account"}:
        raise ValueError(f"a data section named {section.name!r} is already registered")
    sections[section.name] = section


def _sections() -> list[DataSection]:
    return list(current_app.extensions.get(_EXTENSION, {}).values())


def account_section(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "created_at": user.created_at.isoformat(timespec="seconds") + "Z",
        "temperature_unit": user.temperature_unit,
        "week_starts_on": user.week_starts_on,
        "secondary_symptom": user.secondary_symptom,
    }


def export_user_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "account": account_section(user),
    }
    for section in _sections():
        data[section.name] = section.export(user)
    return data


def settings_templates() -> list[str]:
    return [section.settings_template for section in _sections() if section.settings_template]


def forget_user(user_id: int) -> None:
    for section in _sections():
        section.forget(user_id)
