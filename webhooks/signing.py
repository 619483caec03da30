"""Signatures: our webhooks', and the DingTalk robot's. Pure functions, no I/O.

A webhook receiver recomputes ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under
the endpoint's secret, compares in constant time, and refuses a timestamp further than a few
minutes from its clock (a replayed capture). :func:`verify` is that check, as a receiver would
write it (docs: webhooks section).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote_plus

#: How far from the receiver's clock a timestamp may be (seconds) in :func:`verify`.
DEFAULT_TOLERANCE = 300


def new_secret() -> str:
    """A fresh endpoint secret: 32 random bytes, URL-safe text."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Minqing-Signature`` header's value for ``body`` sent at ``timestamp``."""
    message = str(int(timestamp)).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """A receiver's check: the signature matches and the timestamp is fresh."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=sent, body=body), header or "")


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature (加签): base64 HMAC-SHA256 of ``"<ms>\\n<secret>"`` keyed with
    the secret, URL-encoded, for the ``sign`` query parameter."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())
