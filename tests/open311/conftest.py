"""The Open311 world: a key for 城东社区 falling back to grid A1, places with coordinates, and
a resident whose personal data must never appear in any Open311 answer."""

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from casework.models import OrgUnit
from casework.services import category_create
from open311.services import open311_key_create

#: The resident of the fixture: none of this may appear in an Open311 answer.
RESIDENT = SimpleNamespace(
    name="王秀英", phone="13812345678", address="阳光小区3栋502室", words="门口路灯坏了好几天"
)
#: What an Open311 client says about its reporter: never in an answer either.
REPORTER = SimpleNamespace(first="小明", last="欧阳", phone="13987654321", email="xm@example.org")
PERSONAL = [
    RESIDENT.name,
    RESIDENT.phone,
    RESIDENT.address,
    RESIDENT.words,
    "****",
    REPORTER.first,
    REPORTER.last,
    REPORTER.phone,
    REPORTER.email,
]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree, people, category):
    """Coordinates on grid A1 and its compound and building, and on compound B1."""
    OrgUnit.objects.filter(pk=tree.compound_a1.pk).update(
        latitude="22.270000", longitude="109.980000"
    )
    OrgUnit.objects.filter(pk=tree.building_a1.pk).update(
        latitude="22.270500", longitude="109.980500"
    )
    OrgUnit.objects.filter(pk=tree.compound_b1.pk).update(
        latitude="22.300000", longitude="110.000000"
    )
    top = category_create(code="safety-fire", name="消防隐患", deadline_class="emergency")
    issued = open311_key_create(
        name="12345热线", unit=tree.community_a, fallback_place=tree.grid_a1
    )
    return SimpleNamespace(
        tree=tree, people=people, lift=category, fire=top, key=issued.key, raw=issued.raw
    )


@pytest.fixture
def post311(client):
    def send(fmt="json", **fields):
        return client.post(
            f"/open311/v2/requests.{fmt}",
            urlencode(fields, doseq=True),
            content_type="application/x-www-form-urlencoded; charset=utf-8",
            REMOTE_ADDR="10.0.0.9",
        )

    return send
