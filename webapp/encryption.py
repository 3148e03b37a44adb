"""Encryption at rest of the journal's free text, in the application (AES-256-GCM).

A column typed :class:`EncryptedText` holds ``"v1:" + key_id + ":" + base64(nonce + ciphertext)``.
The associated data is the value's table and column, so a value copied into another column (or
table) is refused like a tampered one. The ORM encrypts on write and decrypts on read, so views,
exports and imports see plain text; only what is stored is sealed.

The keys live outside the database, in a key ring: ``instance/data_keys.json`` (created 0600 on
first start, like the secret key), or the ``SEEDLING_DATA_KEYS`` environment variable (the same
JSON, ``{"current": id, "keys": {id: base64 of 32 bytes}}``). Values name their key, so a ring may
hold several: ``flask --app webapp keys rotate`` adds one, makes it current and re-encrypts every
value; ``keys retire`` then drops the keys nothing uses; ``keys status`` counts values per key.
The ``data_key`` table records which keys the database has used, with a check value under each,
so that a start with a missing or wrong key ring fails at once with a clear message.

An encrypted column can be neither searched, sorted nor compared in SQL (every encryption of a
value differs). To encrypt a new free-text column, type it ``EncryptedText(max_length)`` (the
length is the plaintext's, checked by the forms; the column itself is Text), and in its migration
create it as ``sa.Text()``. A column added to an existing table with rows needs nothing more: new
values are encrypted as they are written. ``rotate`` and ``status`` find every such column in the
metadata by itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from sqlalchemy import Column, MetaData, String, Table, Text, event, insert, inspect, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from .clock import utcnow
from .extensions import Model, db

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_HEX = 8
# "v1:" + key id + ":": the prefix that names a value's key (status counts values by it).
PREFIX_LENGTH = len(VERSION) + 1 + KEY_ID_HEX + 1
KEY_RING_FILE = "data_keys.json"
EXTENSION = "seedling_data_keys"
# How often (seconds) a process looks whether the key ring file changed (a rotation elsewhere).
RELOAD_INTERVAL = 10.0
CHECK_TEXT = "seedling data key check"
NULL_TESTS = (operators.is_, operators.is_not)

log = logging.getLogger(__name__)


class KeyRingError(RuntimeError):
    """The key ring is missing, malformed, or does not open what the database holds."""


class UnreadableValue(ValueError):
    """A stored value that the key ring cannot open: unknown key, tampered, or misplaced."""


# --------------------------------------------------------------------------- the key ring


def new_key_id() -> str:
    return secrets.token_hex(KEY_ID_HEX // 2)


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=8 * KEY_BYTES)


def new_ring() -> KeyRing:
    key_id = new_key_id()
    return KeyRing({key_id: new_key()}, key_id)


def _parse_ring(raw: object, source: str) -> tuple[dict[str, bytes], str]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise KeyRingError(f"The data key ring in {source} is not JSON.") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("keys"), Mapping):
        raise KeyRingError(f'The data key ring in {source} needs {{"current": id, "keys": {{id: key}}}}.')
    keys = {}
    for key_id, encoded in raw["keys"].items():
        if not (isinstance(key_id, str) and len(key_id) == KEY_ID_HEX and all(c in "0123456789abcdef" for c in key_id)):
            raise KeyRingError(f"The data key ring in {source} has a key id that is not {KEY_ID_HEX} hex digits.")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError):
            key = b""
        if len(key) != KEY_BYTES:
            raise KeyRingError(f"Data key {key_id} in {source} is not {KEY_BYTES} bytes in base64.")
        keys[key_id] = key
    current = raw.get("current")
    if current not in keys:
        raise KeyRingError(f"The current data key of the ring in {source} is not in its keys.")
    return keys, current


class KeyRing:
    """The data keys by id and the current one (which encrypts). Thread-safe: a reload swaps
    the whole state at once."""

    def __init__(self, keys: Mapping[str, bytes], current: str, path: Path | None = None):
        self.path = path
        self._lock = threading.Lock()
        self._set(dict(keys), current)
        self._checked_at = time.monotonic()
        self._mtime = path.stat().st_mtime_ns if path else None

    def _set(self, keys: dict[str, bytes], current: str) -> None:
        self._state = (current, {key_id: AESGCM(key) for key_id, key in keys.items()}, keys)

    @property
    def current(self) -> str:
        return self._state[0]

    @property
    def key_ids(self) -> list[str]:
        return list(self._state[2])

    @classmethod
    def read(cls, path: Path) -> KeyRing:
        keys, current = _parse_ring(path.read_text(), str(path))
        return cls(keys, current, path)

    def as_json(self) -> str:
        current, _, keys = self._state
        encoded = {key_id: base64.b64encode(key).decode() for key_id, key in keys.items()}
        return json.dumps({"current": current, "keys": encoded}, indent=2) + "\n"

    def with_new_key(self) -> KeyRing:
        """A copy with a fresh key, made current (the old ones stay to read older values)."""
        key_id = new_key_id()
        keys = {**self._state[2], key_id: new_key()}
        return KeyRing(keys, key_id, None)

    def without(self, key_ids: set[str]) -> KeyRing:
        if self.current in key_ids:
            raise ValueError("the current key cannot be retired")
        return KeyRing({k: v for k, v in self._state[2].items() if k not in key_ids}, self.current, None)

    def save(self, path: Path) -> None:
        """Write the ring 0600 beside its file and rename it over (never half a ring on disk)."""
        partial = path.with_name(path.name + ".new")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.as_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)

    def reload_if_changed(self, force: bool = False) -> None:
        """Take the file's keys when another process (a rotation) has changed it."""
        if self.path is None:
            return
        now = time.monotonic()
        if not force and now - self._checked_at < RELOAD_INTERVAL:
            return
        with self._lock:
            self._checked_at = now
            mtime = self.path.stat().st_mtime_ns
            if mtime != self._mtime:
                keys, current = _parse_ring(self.path.read_text(), str(self.path))
                self._set(keys, current)
                self._mtime = mtime

    def encrypt(self, plaintext: str, context: str) -> str:
        self.reload_if_changed()
        current, ciphers, _ = self._state
        nonce = os.urandom(NONCE_BYTES)
        sealed = ciphers[current].encrypt(nonce, plaintext.encode("utf-8"), _associated(context))
        return f"{VERSION}:{current}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str, context: str) -> str:
        key_id, blob = split_value(stored, context)
        cipher = self._state[1].get(key_id)
        if cipher is None:
            self.reload_if_changed(force=True)
            cipher = self._state[1].get(key_id)
        if cipher is None:
            raise UnreadableValue(f"A value in {context} is under data key {key_id}, which is not in the key ring.")
        try:
            return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _associated(context)).decode("utf-8")
        except InvalidTag:
            raise UnreadableValue(
                f"A value in {context} does not open with data key {key_id}: altered, moved from "
                "another column, or the key is wrong."
            ) from None


def _associated(context: str) -> bytes:
    return f"seedling:{context}".encode()


def split_value(stored: str, context: str) -> tuple[str, bytes]:
    """A stored value's key id and its nonce + ciphertext, or UnreadableValue."""
    version, _, rest = stored.partition(":")
    key_id, _, encoded = rest.partition(":")
    if version != VERSION or len(key_id) != KEY_ID_HEX:
        raise UnreadableValue(f"A value in {context} is not an encrypted value.")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise UnreadableValue(f"A value in {context} is not an encrypted value.") from None
    if len(blob) < NONCE_BYTES + 16:
        raise UnreadableValue(f"A value in {context} is too short to be an encrypted value.")
    return key_id, blob


def key_id_of(stored: str) -> str:
    return stored[len(VERSION) + 1 : PREFIX_LENGTH - 1]


def key_ring(app: Flask | None = None) -> KeyRing:
    return (app or current_app).extensions[EXTENSION]


# --------------------------------------------------------------------------- the column type


class EncryptedText(TypeDecorator[str]):
    """Free text stored encrypted. ``max_length`` is the plaintext's limit (None: a note, whose
    limit is in webapp/journal/spec.py); the column is Text, since the ciphertext is longer."""

    impl = Text
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        """Only IS (NOT) NULL: any other comparison in SQL would meet ciphertext and silently
        match nothing, so it fails loudly instead (compare the person's few rows in Python)."""

        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op not in NULL_TESTS:
                raise TypeError(f"An encrypted column cannot be compared or sorted in SQL ({op.__name__}).")
            return super().operate(op, *other, **kwargs)

        def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
            raise TypeError(f"An encrypted column cannot be compared or sorted in SQL ({op.__name__}).")

    comparator_factory = Comparator

    def __init__(self, max_length: int | None = None):
        super().__init__()
        self.max_length = max_length
        # "table.column", set when the column joins its table (see _bind_to_column).
        self.context: str | None = None

    @property
    def python_type(self) -> type[str]:
        return str

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return key_ring().encrypt(value, self._context())

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return key_ring().decrypt(value, self._context())

    def _context(self) -> str:
        if self.context is None:
            raise RuntimeError("An EncryptedText column must belong to a table before it is used.")
        return self.context


@event.listens_for(Column, "after_parent_attach")
def _bind_to_column(column: Column, table: object) -> None:
    if isinstance(column.type, EncryptedText) and isinstance(table, Table):
        context = f"{table.name}.{column.name}"
        if column.type.context not in (None, context):
            raise RuntimeError(f"One EncryptedText serves {column.type.context} and {context}: give each its own.")
        column.type.context = context


def encrypted_columns(metadata: MetaData) -> Iterator[tuple[Table, list[str]]]:
    """Every table with encrypted columns, and those columns' names."""
    for table in metadata.sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if names:
            yield table, names


# --------------------------------------------------------------------------- the database's keys


class DataKey(Model):
    """A data key the database has values under: its id and a check value sealed with it, so a
    wrong key with the right id is caught at start-up too. Never the key itself."""

    __tablename__ = "data_key"

    key_id: Mapped[str] = mapped_column(String(KEY_ID_HEX), primary_key=True)
    check_value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def check_context(key_id: str) -> str:
    return f"data_key.{key_id}"


def registered_keys(connection: Connection) -> dict[str, str] | None:
    """key id → check value, or None before the table exists (a new database)."""
    if not inspect(connection).has_table(DataKey.__tablename__):
        return None
    rows = connection.execute(select(DataKey.key_id, DataKey.check_value))
    return {key_id: check_value for key_id, check_value in rows}


def register_key(connection: Connection, ring: KeyRing, key_id: str) -> None:
    connection.execute(
        insert(DataKey).values(
            key_id=key_id, check_value=ring.encrypt(CHECK_TEXT, check_context(key_id)), created_at=utcnow()
        )
    )


def verify_ring(ring: KeyRing, registered: Mapping[str, str], source: str) -> None:
    missing = sorted(set(registered) - set(ring.key_ids))
    if missing:
        raise KeyRingError(
            f"The database has values under data keys {', '.join(missing)}, which the key ring "
            f"({source}) does not have. Restore the key ring from its backup; without it those "
            "values cannot be read."
        )
    for key_id, check_value in registered.items():
        try:
            ring.decrypt(check_value, check_context(key_id))
        except UnreadableValue:
            raise KeyRingError(
                f"Data key {key_id} in the key ring ({source}) is not the key the database's "
                "values were encrypted with. Restore the key ring from its backup."
            ) from None


# --------------------------------------------------------------------------- start-up


def _ring_from_config(app: Flask) -> KeyRing | None:
    configured = app.config.get("DATA_KEYS")
    if not configured:
        return None
    keys, current = _parse_ring(configured, "SEEDLING_DATA_KEYS")
    return KeyRing(keys, current)


def _ring_from_file(path: Path, registered: Mapping[str, str] | None) -> KeyRing:
    if not path.exists():
        if registered:
            raise KeyRingError(
                f"The data key ring {path} is missing, but the database holds encrypted values. "
                "Restore it from its backup (a new ring would not open them)."
            )
        ring = new_ring()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(ring.as_json())
            log.info("Generated a new data key ring in the instance folder: back it up")
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return KeyRing.read(path)


def init_encryption(app: Flask) -> None:
    """Load the key ring onto the app and check it opens what the database holds."""
    with app.app_context():
        try:
            ring = _load_and_check(app)
        except KeyRingError:
            db.engine.dispose()  # the app will not start: close what the check opened
            raise
    app.extensions[EXTENSION] = ring


def _load_and_check(app: Flask) -> KeyRing:
    check = app.config.get("DATA_KEYS_CHECK", True)
    registered = None
    if check:
        with db.engine.connect() as connection:
            registered = registered_keys(connection)
    ring = _ring_from_config(app)
    source = "SEEDLING_DATA_KEYS"
    if ring is None:
        path = Path(app.instance_path) / KEY_RING_FILE
        ring, source = _ring_from_file(path, registered), str(path)
    if registered is not None:
        verify_ring(ring, registered, source)
        if ring.current not in registered:
            try:
                with db.engine.begin() as connection:
                    register_key(connection, ring, ring.current)
            except IntegrityError:
                pass  # another worker registered it at the same moment
    return ring
