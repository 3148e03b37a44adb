"""An uploaded import file, held on the server while its owner reads the preview.

The file waits in a private folder of the instance folder (0700; each file 0600) under a random
token; only the token goes into the person's session (never the content, never a URL, never a
log). It is deleted when the person applies or cancels the import, and at the latest an hour
after it was uploaded: :func:`purge_stale` runs on every import request and in ``flask init``.

Each held upload is two files: ``<token>.upload`` (the bytes as sent) and ``<token>.meta``
(the owner's id, the file's name and when it was held), so that a token from another person's
session, or an expired one, finds nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeGuard

from flask import current_app, session

from .. import clock

FOLDER = "held-imports"
HOLD_FOR = timedelta(hours=1)
SESSION_KEY = "journal_import_hold"
_TOKEN_BYTES = 32


@dataclass(frozen=True)
class HeldUpload:
    token: str
    user_id: int
    filename: str
    held_at: datetime
    data: bytes


def _folder() -> Path:
    folder = Path(current_app.instance_path) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask, and an old folder may be wider
    return folder


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}.upload", folder / f"{token}.meta"


def _write_private(path: Path, content: bytes) -> None:
    # O_EXCL: a token is never reused, so an existing file is someone else's.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def _valid_token(token: object) -> TypeGuard[str]:
    return isinstance(token, str) and 20 <= len(token) <= 64 and all(
        ch.isalnum() or ch in "-_" for ch in token
    )


def hold(user_id: int, filename: str, data: bytes) -> HeldUpload:
    """Keep ``data`` for ``user_id`` and remember its token in the session (replacing, and
    deleting, any upload held before)."""
    discard()
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    held_at = clock.utcnow()
    upload_path, meta_path = _paths(token)
    _write_private(upload_path, data)
    meta = {"user_id": user_id, "filename": filename, "held_at": held_at.isoformat()}
    _write_private(meta_path, json.dumps(meta).encode())
    session[SESSION_KEY] = token
    return HeldUpload(token, user_id, filename, held_at, data)


def current(user_id: int) -> HeldUpload | None:
    """The upload held for ``user_id`` in this session, or None (none, expired, or not theirs)."""
    token = session.get(SESSION_KEY)
    if not _valid_token(token):
        return None
    upload_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_bytes())
        data = upload_path.read_bytes()
        held_at = datetime.fromisoformat(meta["held_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("user_id") != user_id:
        return None
    if clock.utcnow() - held_at >= HOLD_FOR:
        discard()
        return None
    return HeldUpload(token, user_id, str(meta.get("filename", "")), held_at, data)


def discard() -> None:
    """Delete the upload held in this session, if any, and forget its token."""
    token = session.pop(SESSION_KEY, None)
    if _valid_token(token):
        for path in _paths(token):
            path.unlink(missing_ok=True)


def purge_stale() -> int:
    """Delete every held upload (anyone's) older than :data:`HOLD_FOR`; returns how many."""
    folder = _folder()
    now = clock.utcnow()
    purged = 0
    for meta_path in folder.glob("*.meta"):
        upload_path = meta_path.with_suffix(".upload")
        try:
            held_at = datetime.fromisoformat(json.loads(meta_path.read_bytes())["held_at"])
            stale = now - held_at >= HOLD_FOR
        except (OSError, ValueError, KeyError, TypeError):
            stale = True  # unreadable: nobody can apply it
        if stale:
            meta_path.unlink(missing_ok=True)
            upload_path.unlink(missing_ok=True)
            purged += 1
    # An upload whose meta file never got written (a crash between the two writes), once it is
    # old enough not to be one being held right now.
    for upload_path in folder.glob("*.upload"):
        try:
            orphan = not upload_path.with_suffix(".meta").exists() and (
                time.time() - upload_path.stat().st_mtime >= HOLD_FOR.total_seconds()
            )
        except OSError:
            continue
        if orphan:
            upload_path.unlink(missing_ok=True)
            purged += 1
    return purged
