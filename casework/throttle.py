"""A per-address budget for the public pages (tracking, pledges made public): at most ``limit``
look-ups per ``window`` seconds from one client address, counted in the cache."""

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def over_budget(request, scope: str, *, limit: int, window: int) -> bool:
    """Count this look-up; ``True`` once the address has made more than ``limit`` in the window."""
    key = f"minqing:{scope}:{client_address(request)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
