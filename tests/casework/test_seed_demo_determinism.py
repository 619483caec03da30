"""seed_demo makes the same data on every run with the same seed (its own module: it seeds twice
in an empty database)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from casework.models import Case, CaseEvent, OrgUnit, User


def _seed(**kwargs):
    call_command("seed_demo", stdout=io.StringIO(), **kwargs)


@pytest.mark.django_db
def test_seed_demo_is_deterministic():
    def snapshot():
        return (
            list(OrgUnit.objects.order_by("path").values_list("path", "name", "kind")),
            list(User.objects.order_by("username").values_list("username", "name")),
            dict(Case.objects.values_list("state").annotate(n=Count("pk"))),
            CaseEvent.objects.count(),
        )

    # The year is built up to "now": both runs build it up to the same moment.
    now = timezone.now().replace(minute=0, second=0, microsecond=0).isoformat()
    sid = transaction.savepoint()
    _seed(seed=7, now=now)
    first = snapshot()
    transaction.savepoint_rollback(sid)
    assert not OrgUnit.objects.exists()
    _seed(seed=7, now=now)
    assert snapshot() == first
