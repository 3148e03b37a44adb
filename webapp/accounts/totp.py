"""Time-based one-time passwords (RFC 6238, over RFC 4226's HOTP), standard library only.

Authenticator apps read a base32 secret and make a 6-digit code from SHA-1 every 30 seconds;
those are the defaults here. The digest and length are parameters so the RFC's test vectors
(SHA-1, SHA-256 and SHA-512, 8 digits) can be checked.
"""

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommended length for SHA-1
# A code is accepted for the current step and one either side: clocks drift, people type slowly.
WINDOW = 1


def new_secret() -> str:
    """A random secret as authenticator apps want it: base32, without padding."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def step_at(unix_time: float, step_seconds: int = STEP_SECONDS) -> int:
    return int(unix_time // step_seconds)


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(key: bytes, unix_time: float, digits: int = DIGITS, digest: str = "sha1") -> str:
    return hotp(key, step_at(unix_time), digits, digest)


def matching_step(key: bytes, code: str, unix_time: float, after_step: int | None = None) -> int | None:
    """The step (within WINDOW of now) whose code this is, or None. Steps up to and including
    `after_step` (the last one used) never match, so a code cannot be used twice."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(unix_time)
    found = None
    for step in range(now - WINDOW, now + WINDOW + 1):
        # Every candidate is compared, in constant time, whatever matched before it.
        if hmac.compare_digest(hotp(key, step), code) and (after_step is None or step > after_step):
            found = step if found is None else found
    return found


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address a QR code carries (Google Authenticator's Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"
