"""Points sources kept by another app, found by module name: scoring aggregates them in SQL and
links their records, without either app importing the other."""

from datetime import datetime, time
from decimal import Decimal as D
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone

from scoring import providers as registry
from scoring import services
from scoring.models import ScoreEntry
from scoring.selectors.explain import person_explanation


@pytest.fixture
def fake_app():
    """Discovery sees ``tests.scoring.fakeapp`` in place of requests_app's own provider."""
    fake = SimpleNamespace(name="tests.scoring.fakeapp", label="fakeapp")
    real = [c for c in apps.get_app_configs() if c.name != "requests_app"]
    registry.providers.cache_clear()
    with mock.patch.object(apps, "get_app_configs", return_value=[*real, fake]):
        yield
    registry.providers.cache_clear()


def test_discovery_finds_an_apps_sources_and_ignores_unknown_kinds(fake_app):
    found = registry.providers()
    assert set(found) == {"answered_on_spot"}
    assert found["answered_on_spot"].app == "fakeapp"


def test_a_provided_source_is_aggregated_and_explained(
    fake_app, people, tree, open_case, quarters, compute
):
    at = timezone.make_aware(datetime.combine(quarters.day(5), time(10)))
    with mock.patch("django.utils.timezone.now", return_value=at):
        cases = [open_case(), open_case()]
    quarter = compute(quarters.last)
    entry = ScoreEntry.objects.get(quarter=quarter, source="answered_on_spot")
    assert (entry.person, entry.quantity, entry.points) == (people.grid_a1, 2, D(1))
    assert entry.detail == {"provider": "fakeapp"}
    assert entry.ref_ids == sorted(c.pk for c in cases)
    x = person_explanation(viewer=people.grid_a1, quarter=quarter, person_id=people.grid_a1.pk)
    line = next(line for b in x.blocks for line in b.lines if line.entry.pk == entry.pk)
    assert [i.url for i in line.items] == [
        f"/elsewhere/{c.pk}/" for c in sorted(cases, key=lambda c: c.pk)
    ]


def test_a_provided_kind_is_not_also_read_from_the_intake(
    fake_app, people, tree, quarters, compute
):
    services.score_evidence_record(
        source="answered_on_spot",
        person=people.grid_b1,
        occurred_at=timezone.make_aware(datetime.combine(quarters.day(5), time(10))),
        source_ref="fakeapp.request:1",
    )
    quarter = compute(quarters.last)
    assert not ScoreEntry.objects.filter(quarter=quarter, person=people.grid_b1).exists()
