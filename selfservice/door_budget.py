"""How much one phone and one address may file at the door, and when the challenge is asked.

Budgets are counted in the database, so they hold across processes and restarts:

* per phone: ``MINQING_DOOR_PHONE_LIMIT`` requests (default 3) in 24 hours;
* per client address (``casework.throttle.client_address``): ``MINQING_DOOR_ADDRESS_LIMIT``
  requests and added voices together (default 10) in 24 hours.

Over either, the answer is 429 with ``Retry-After`` (when the oldest counted one leaves the
window) and a friendly sentence. Attempts are counted in the cache, per address for an hour:
every submission or voice, accepted or refused; from the ``MINQING_DOOR_FREE_ATTEMPTS``-th + 1
(default 2 free, so the third) on, the proof-of-work challenge is required. Only keyed hashes of
the phone and the address are stored.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework.errors import Throttled
from casework.throttle import client_address
from selfservice.models import DoorReport, Voice

WINDOW = timedelta(hours=24)
ATTEMPT_WINDOW = 3600


def phone_limit() -> int:
    return int(getattr(settings, "MINQING_DOOR_PHONE_LIMIT", 3))


def address_limit() -> int:
    return int(getattr(settings, "MINQING_DOOR_ADDRESS_LIMIT", 10))


def free_attempts() -> int:
    return int(getattr(settings, "MINQING_DOOR_FREE_ATTEMPTS", 2))


def address_hash(request) -> str:
    """A keyed hash of the client's address: counts the budget, cannot be read back."""
    return salted_hmac("minqing.selfservice.address", client_address(request)).hexdigest()


# --- Attempts and the challenge -----------------------------------------------------------------


def _attempt_key(address: str) -> str:
    return f"minqing:door-attempts:{address}"


def attempts(address: str) -> int:
    """Submissions from this address hash in the last hour (the window opens with the first)."""
    return int(cache.get(_attempt_key(address)) or 0)


def attempt_count(address: str) -> None:
    key = _attempt_key(address)
    if not cache.add(key, 1, ATTEMPT_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, ATTEMPT_WINDOW)


def challenge_required(address: str) -> bool:
    """The next submission from this address must carry a solved challenge."""
    return attempts(address) >= free_attempts()


# --- Budgets ----------------------------------------------------------------------------------


def _retry_after(oldest: datetime | None, now: datetime) -> int:
    if oldest is None:
        return int(WINDOW.total_seconds())
    return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))


def _over(oldest: datetime | None, now: datetime, message: str, code: str) -> Throttled:
    return Throttled(message, code=code, extra={"retry_after": _retry_after(oldest, now)})


def check_phone(phone_hash: str, now: datetime) -> None:
    """Refuse a new request from a phone that filed ``phone_limit()`` in the last 24 hours."""
    since = now - WINDOW
    rows = DoorReport.objects.filter(phone_hash=phone_hash, created_at__gt=since)
    # The oldest of the newest ``limit`` decides when one more is allowed.
    times = list(
        rows.order_by("-created_at").values_list("created_at", flat=True)[: phone_limit()]
    )
    if len(times) >= phone_limit():
        raise _over(
            times[-1],
            now,
            _(
                "This phone number has already reported %(n)d problems today. Thank you! "
                "Please wait until tomorrow, or call your community."
            )
            % {"n": phone_limit()},
            "phone_budget",
        )


def check_address(address: str, now: datetime) -> None:
    """Refuse anything more from an address that sent ``address_limit()`` in 24 hours."""
    since = now - WINDOW
    reports = DoorReport.objects.filter(address_hash=address, created_at__gt=since)
    voices = Voice.objects.filter(address_hash=address, created_at__gt=since)
    count = reports.count() + voices.count()
    if count >= address_limit():
        oldest = [
            qs.aggregate(t=Min("created_at"))["t"] for qs in (reports, voices) if qs.exists()
        ]
        # Conservative: the window reopens once the oldest of all counted leaves it.
        raise _over(
            min(oldest) if oldest else None,
            now,
            _(
                "Many problems have been reported from this network today. Please try again "
                "later, or call your community."
            ),
            "address_budget",
        )
