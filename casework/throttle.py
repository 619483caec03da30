"""Who is asking and how often: the client's address, the public pages' budget, the API's rates.

``client_address`` is the one answer to "which address is this request from", used by the
public pages' budget (tracking, pledges made public), the API's throttles and django-axes
(``AXES_CLIENT_IP_CALLABLE``). It trusts a proxy header only when the deployment declares it:
``MINQING_CLIENT_IP_HEADER`` (e.g. ``HTTP_X_FORWARDED_FOR``) with ``MINQING_TRUSTED_PROXIES``
proxies in front, and then takes the address the first of them saw (the N-th from the right:
what a client writes itself stays on the left, where it is never read).

The API's throttles (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``) count, in the project's
cache, per person (``user``), per token (``token``), per anonymous address (``anon``), and per
person on the stricter scopes of ``scope_of``: revealing personal data (``reveal``), exports
(``export``) and tracking (``track``). Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``,
read on each request; a scope without a rate is not limited.
"""

from __future__ import annotations

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the declared proxy header's right entry."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    header = getattr(settings, "MINQING_CLIENT_IP_HEADER", "")
    proxies = getattr(settings, "MINQING_TRUSTED_PROXIES", 0)
    if not header or proxies < 1:
        return remote
    entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _valid(entries[-proxies]) or remote


def _budget_key(request, scope: str) -> str:
    return f"minqing:{scope}:{client_address(request)}"


def over_budget(request, scope: str, *, limit: int, window: int) -> bool:
    """Count this look-up; ``True`` once the address has made more than ``limit`` in the window.

    The window opens with the address's first look-up (its start kept beside the count, for
    ``budget_retry_after``) and closes ``window`` seconds later."""
    key = _budget_key(request, scope)
    if cache.add(key, 0, window):
        cache.set(f"{key}:since", time.time(), window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def budget_retry_after(request, scope: str, *, window: int) -> int:
    """Whole seconds until the address's window of ``scope`` closes (its ``Retry-After``):
    the window's remainder, at least 1; the whole window when its start is unknown."""
    since = cache.get(f"{_budget_key(request, scope)}:since")
    if since is None:
        return window
    return max(1, min(window, math.ceil(window - (time.time() - since))))


# --- The API's throttles ------------------------------------------------------------------------

#: Formats whose answer is a whole list or report as a file.
EXPORT_FORMATS = frozenset({"xlsx", "csv", "pdf"})
_EXPORT_SUFFIXES = (".xlsx", ".csv", ".pdf")


def scope_of(request, view) -> str | None:
    """The stricter scope this API call falls under, if any.

    A view may name its own (``throttle_scope``); otherwise a ``reveal`` action is ``reveal``,
    an answer as a file (``?format=xlsx``, ``report.pdf``) is ``export``, and a view whose name
    says it tracks (``track``) is ``track``.
    """
    named = getattr(view, "throttle_scope", None)
    if named:
        return named
    if getattr(view, "action", None) == "reveal":
        return "reveal"
    renderer = getattr(request, "accepted_renderer", None)
    if getattr(renderer, "format", None) in EXPORT_FORMATS:
        return "export"
    if request.path.endswith(_EXPORT_SUFFIXES):
        return "export"
    if request.query_params.get("format") in EXPORT_FORMATS:
        return "export"
    return None


class _Throttle(SimpleRateThrottle):
    """DRF's sliding-window counter, with the rate read on each request (settings may change
    while a process runs: the tests do) and the address from ``client_address``."""

    def __init__(self):
        # The rate is looked up in ``allow_request``, once the scope is known.
        pass

    def get_ident(self, request):
        return client_address(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = self.scope_for(request, view)
        if self.scope is None:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def scope_for(self, request, view) -> str | None:
        return self.scope

    def wait(self):
        # Whole seconds, never 0: Retry-After is an integer and 0 would invite an instant retry.
        remaining = super().wait()
        return None if remaining is None else max(1, int(remaining + 0.999))


class AnonThrottle(_Throttle):
    """Calls without a signed-in person, per client address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_Throttle):
    """Every call of a signed-in person, session or token alike, per person."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenThrottle(_Throttle):
    """Calls made with one API token, per token (a person's tablets are counted apart)."""

    scope = "token"

    def get_cache_key(self, request, view):
        from casework.models import ApiToken

        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ScopeThrottle(_Throttle):
    """The stricter scopes (``scope_of``), per person, or per address when nobody signed in."""

    scope = None

    def scope_for(self, request, view):
        return scope_of(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
