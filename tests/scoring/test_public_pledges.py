"""Pledges made public (承诺公示): a public page per active community, an A4 poster with a QR code
that opens it, no login, no resident's data, throttled per address."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.models import UnitKind
from casework.services import unit_create
from scoring import services
from scoring.models import Indicator
from scoring.views import public


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pledged(people, tree):
    """This year's pledges in 城东 (one checked: kept, with a resident's words and number in the
    note) and 城西, and one of last year in 城东."""
    year = timezone.localdate().year
    indicator = Indicator.objects.get(code="policy_publicity")

    def pledge(person, unit, text, y=year):
        return services.commitment_create(
            actor=person, person=person, unit=unit, year=y, indicator=indicator, text=text
        )

    kept = pledge(people.grid_a1, tree.grid_a1, "每月入户走访独居老人，联系电话13812345678")
    pledge(people.supervisor_a, tree.community_a, "每季度召开一次居民议事会")
    pledge(people.supervisor_b, tree.community_b, "城西社区的承诺")
    pledge(people.grid_a1, tree.grid_a1, "去年的承诺", y=year - 1)
    drawn_at = timezone.now() - timedelta(days=3)
    draw = services.verification_draw(
        actor=people.town_supervisor,
        unit=tree.community_a,
        year=year,
        sample_size=2,
        inspectors=[people.town_supervisor],
        seed=5,
        now=drawn_at,
    )
    check = draw.verifications.get(commitment=kept)
    services.verification_record(
        actor=people.town_supervisor,
        verification=check,
        outcome="kept",
        visited_on=max(timezone.localdate(drawn_at), timezone.localdate() - timedelta(days=1)),
        note="居民王秀英（电话13900001111）说每月都来",
    )
    return kept


def _page(client, unit):
    return client.get(reverse("public-pledges", kwargs={"pk": unit.pk}))


def test_anyone_sees_a_communitys_pledges_of_this_year_and_their_checks(client, pledged, tree):
    page = _page(client, tree.community_a)
    assert page.status_code == 200
    html = page.content.decode()
    assert "每季度召开一次居民议事会" in html and "grid-a1" in html and "sup-a" in html
    assert "去年的承诺" not in html and "城西社区的承诺" not in html
    assert 'class="check kept"' in html
    assert page["X-Robots-Tag"] == "noindex"


def test_no_resident_data_shows(client, pledged, tree):
    html = _page(client, tree.community_a).content.decode()
    assert "王秀英" not in html and "13900001111" not in html  # the check's note
    assert "13812345678" not in html  # a number typed into a pledge is scrubbed
    assert "town-sup" not in html  # nor who checked


def test_an_unknown_inactive_or_non_community_unit_is_404(client, pledged, tree):
    assert client.get(reverse("public-pledges", kwargs={"pk": 999999})).status_code == 404
    for unit in (tree.town, tree.grid_a1):
        assert _page(client, unit).status_code == 404
        qr = reverse("public-pledges-qr", kwargs={"pk": unit.pk})
        assert client.get(qr).status_code == 404
    closed = unit_create(name="旧社区", kind=UnitKind.COMMUNITY, parent=tree.town)
    closed.is_active = False
    closed.save()
    assert _page(client, closed).status_code == 404
    assert (
        client.post(reverse("public-pledges", kwargs={"pk": tree.community_a.pk})).status_code
        == 405
    )


def test_the_qr_code_opens_the_public_page(client, pledged, tree):
    import segno

    response = client.get(reverse("public-pledges-qr", kwargs={"pk": tree.community_a.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    url = "http://testserver" + reverse("public-pledges", kwargs={"pk": tree.community_a.pk})
    expected = segno.make(url, error="m")
    assert response.content.decode().startswith("<svg")
    # The same symbol as one made from the page's address (segno draws deterministically).
    import io

    buffer = io.BytesIO()
    expected.save(buffer, kind="svg", scale=8, border=2, xmldecl=False, dark="#000", light="#fff")
    assert response.content == buffer.getvalue()
    page = _page(client, tree.community_a).content.decode()
    assert reverse("public-pledges-qr", kwargs={"pk": tree.community_a.pk}) in page
    assert url in page


def test_the_poster_prints_on_a4_without_inline_script_or_style(client, pledged, tree):
    from django.contrib.staticfiles import finders

    html = _page(client, tree.community_a).content.decode()
    assert "scoring/public.css" in html
    assert "<style" not in html and " style=" not in html
    assert "<script>" not in html.replace(" ", "")
    css = Path(finders.find("scoring/public.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "A4" in css


def test_look_ups_are_throttled_per_address(client, pledged, tree, monkeypatch):
    monkeypatch.setattr(public, "PUBLIC_LIMIT", 3)
    for _n in range(3):
        assert _page(client, tree.community_a).status_code == 200
    assert _page(client, tree.community_a).status_code == 429
    qr = reverse("public-pledges-qr", kwargs={"pk": tree.community_a.pk})
    assert client.get(qr).status_code == 429
    other = client.get(
        reverse("public-pledges", kwargs={"pk": tree.community_a.pk}), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_supervisors_find_the_public_pages_on_the_pledges_page(client_as, pledged, people, tree):
    html = client_as(people.supervisor_a).get(reverse("scoring:commitments")).content.decode()
    assert reverse("public-pledges", kwargs={"pk": tree.community_a.pk}) in html
    assert reverse("public-pledges", kwargs={"pk": tree.community_b.pk}) not in html
    html = client_as(people.grid_a1).get(reverse("scoring:commitments")).content.decode()
    assert "data-public=" not in html
