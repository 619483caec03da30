"""The public pages' budget (``casework.throttle.over_budget``): a 429 from ``/track/`` or the
public pledges page says when to come back (``Retry-After``: what is left of the address's
window, whole seconds), and another address is not held back."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from casework import throttle
from requests_app.views import track
from scoring.views import public

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wall(monkeypatch):
    """The throttle's clock, moved by hand."""
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(throttle.time, "time", lambda: clock["now"])
    return clock


def test_track_429_says_the_windows_remainder(client, wall, monkeypatch):
    monkeypatch.setattr(track, "TRACK_LIMIT", 2)
    url = reverse("requests_app:track")
    for _ in range(2):
        assert client.get(url, {"code": "ABCDEFGHJK"}).status_code == 200
    wall["now"] += 100  # 100 s into the 600 s window
    refused = client.get(url, {"code": "ABCDEFGHJK"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "500"
    wall["now"] += 99.5
    assert client.get(url, {"code": "ABCDEFGHJK"})["Retry-After"] == "401"  # rounded up
    other = client.get(url, {"code": "ABCDEFGHJK"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "Retry-After" not in other


def test_track_page_without_a_code_is_not_counted(client, monkeypatch):
    monkeypatch.setattr(track, "TRACK_LIMIT", 0)
    assert client.get(reverse("requests_app:track")).status_code == 200


def test_public_pledges_429_says_the_windows_remainder(client, tree, wall, monkeypatch):
    monkeypatch.setattr(public, "PUBLIC_LIMIT", 1)
    url = reverse("public-pledges", kwargs={"pk": tree.community_a.pk})
    assert client.get(url).status_code == 200
    wall["now"] += 590
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    qr = client.get(reverse("public-pledges-qr", kwargs={"pk": tree.community_a.pk}))
    assert qr.status_code == 429 and qr["Retry-After"] == "10"


def test_retry_after_is_the_whole_window_when_the_start_is_lost(rf):
    request = rf.get("/track/")
    assert throttle.budget_retry_after(request, "track", window=600) == 600
    throttle.over_budget(request, "track", limit=5, window=600)
    cache.delete(f"minqing:track:{throttle.client_address(request)}:since")
    assert throttle.budget_retry_after(request, "track", window=600) == 600
