"""`flask --app webapp keys status | rotate | retire`: the data keys of :mod:`webapp.encryption`.

``rotate`` adds a key, makes it current and re-encrypts every value under an older key, a batch
at a time, each batch its own transaction, so the site keeps serving. A value is rewritten only
if it is still the one read (an edit made meanwhile is never overwritten). Run again, it resumes
an unfinished rotation instead of adding another key: idempotent. Other processes take the new
ring from the file when they meet a value under the new key, and before encrypting at most
RELOAD_INTERVAL seconds after the change.
"""

from __future__ import annotations

from collections import Counter

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import Integer, Text, column, delete, func, select, table

from .encryption import (
    PREFIX_LENGTH,
    RELOAD_INTERVAL,
    VERSION,
    DataKey,
    KeyRing,
    encrypted_columns,
    key_id_of,
    key_ring,
    register_key,
    registered_keys,
)
from .extensions import db

NOT_ENCRYPTED = "not encrypted"
MAX_PASSES = 5

keys = AppGroup("keys", help="The data keys that encrypt the journal's free text.")


def values_by_key() -> Counter[str]:
    """How many stored values each key id seals (NOT_ENCRYPTED for any plain value)."""
    counts: Counter[str] = Counter()
    with db.engine.connect() as connection:
        for source, names in encrypted_columns(db.metadata):
            for name in names:
                raw = column(name, Text)  # the stored text, not decrypted
                prefix = func.substr(raw, 1, PREFIX_LENGTH)
                query = (
                    select(prefix, func.count())
                    .select_from(table(source.name, raw))
                    .where(raw.is_not(None))
                    .group_by(prefix)
                )
                for start, count in connection.execute(query):
                    encrypted = start.startswith(VERSION + ":") and len(start) == PREFIX_LENGTH
                    counts[key_id_of(start) if encrypted else NOT_ENCRYPTED] += count
    return counts


def reencrypt(ring: KeyRing, batch_size: int) -> tuple[int, int]:
    """Every value under an older key, under the current one: (rewritten, changed meanwhile)."""
    rewritten = changed = 0
    for source, names in encrypted_columns(db.metadata):
        (key,) = source.primary_key.columns
        raw = table(source.name, column(key.name, Integer), *(column(name, Text) for name in names))
        ident = raw.c[key.name]
        last = None
        while True:
            query = select(raw).order_by(ident).limit(batch_size)
            if last is not None:
                query = query.where(ident > last)
            with db.engine.begin() as connection:
                rows = connection.execute(query).all()
                for row in rows:
                    for name in names:
                        value = row._mapping[name]
                        if value is None or key_id_of(value) == ring.current:
                            continue
                        context = f"{source.name}.{name}"
                        fresh = ring.encrypt(ring.decrypt(value, context), context)
                        result = connection.execute(
                            raw.update().where(ident == row[0], raw.c[name] == value).values({name: fresh})
                        )
                        rewritten += result.rowcount
                        changed += 1 - result.rowcount
            if not rows:
                break
            last = rows[-1][0]
    return rewritten, changed


def _source(ring: KeyRing) -> str:
    return str(ring.path) if ring.path else "SEEDLING_DATA_KEYS"


@keys.command("status")
def status_command() -> None:
    """The key ring, and how many values each key seals."""
    ring = key_ring()
    counts = values_by_key()
    with db.engine.connect() as connection:
        registered = registered_keys(connection) or {}
    click.echo(f"Key ring: {_source(ring)}")
    for key_id in ring.key_ids:
        mark = " (current)" if key_id == ring.current else ""
        known = "" if key_id in registered else ", not yet in the database's data_key table"
        click.echo(f"  {key_id}{mark}: {counts.pop(key_id, 0)} values{known}")
    for key_id, count in sorted(counts.items()):
        click.echo(f"  {key_id}: {count} values, NOT IN THE KEY RING")


def rotate(ring: KeyRing, batch_size: int) -> tuple[str | None, int]:
    """Add a key and make it current unless an earlier rotation is unfinished, then re-encrypt
    every value under an older key: (the new key's id or None, values re-encrypted)."""
    added = None
    if not any(key_id != ring.current for key_id in values_by_key()):
        if ring.path is None:
            raise click.ClickException(
                "The keys come from SEEDLING_DATA_KEYS: add a new key there (8 hex digits → 32 "
                "random bytes in base64), make it current, restart the app, then run this again."
            )
        ring.with_new_key().save(ring.path)  # the file first: the database never names a lost key
        ring.reload_if_changed(force=True)
        with db.engine.begin() as connection:
            register_key(connection, ring, ring.current)
        added = ring.current
    total = 0
    for _ in range(MAX_PASSES):
        # A process that has not yet taken the new ring may write under the old key meanwhile:
        # the next pass picks those values up.
        rewritten, changed = reencrypt(ring, batch_size)
        total += rewritten
        if not rewritten and not changed:
            break
    return added, total


@keys.command("rotate")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
def rotate_command(batch_size: int) -> None:
    """Add a key, make it current, re-encrypt every value with it (or finish doing so)."""
    ring = key_ring()
    added, total = rotate(ring, batch_size)
    if added:
        click.echo(f"New current key {added} in {ring.path}.")
    else:
        click.echo(f"Finished an earlier rotation to key {ring.current}.")
    click.echo(f"Re-encrypted {total} values under key {ring.current}.")
    click.echo("Back up the key ring now. `keys retire` drops the keys no value uses any more "
               f"(wait {int(RELOAD_INTERVAL) * 2} seconds first, for every process to take the new key).")


@keys.command("retire")
def retire_command() -> None:
    """Drop the keys that no stored value uses any more (never the current one)."""
    ring = key_ring()
    used = set(values_by_key())
    unused = {key_id for key_id in ring.key_ids if key_id != ring.current and key_id not in used}
    if not unused:
        click.echo("Every key in the ring is current or still in use: nothing to retire.")
        return
    if ring.path is not None:
        ring.without(unused).save(ring.path)
        ring.reload_if_changed(force=True)
    with db.engine.begin() as connection:
        connection.execute(delete(DataKey).where(DataKey.key_id.in_(unused)))
    where = f"from {ring.path}" if ring.path else "from the database; remove them from SEEDLING_DATA_KEYS"
    click.echo(f"Retired {', '.join(sorted(unused))} {where}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(keys)
