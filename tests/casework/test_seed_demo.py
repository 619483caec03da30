"""seed_demo builds the article's places, deterministically, and its logins work together."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from casework.models import Membership, OrgUnit, Role, User
from casework.selectors import unit_list


def _seed(**kwargs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def _under(name, kind):
    unit = OrgUnit.objects.get(name=name)
    return OrgUnit.objects.filter(path__startswith=unit.path, kind=kind).count()


@pytest.mark.django_db
def test_seed_demo_builds_the_places_of_the_article():
    output = _seed()
    assert OrgUnit.objects.get(kind="city").name == "玉林市"
    assert _under("博白县", "community") == 11
    assert _under("博白县", "compound") == 23
    assert _under("兴业县", "community") == 11
    assert _under("福绵区", "town") == 6
    assert _under("福绵区", "community") == 12
    # A grid worker for every grid.
    grids = OrgUnit.objects.filter(kind="grid")
    staffed = Membership.objects.filter(role=Role.GRID_WORKER).values("unit").distinct().count()
    assert staffed == grids.count() > 0
    for login in ("demo-admin", "demo-supervisor", "demo-handler", "demo-grid", "demo-volunteer"):
        assert login in output


@pytest.mark.django_db
def test_the_demo_logins_work_together():
    _seed()
    user = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    grid = Membership.objects.get(user=user["demo-grid"], role=Role.GRID_WORKER).unit
    volunteer = Membership.objects.get(user=user["demo-volunteer"], role=Role.VOLUNTEER).unit
    community = Membership.objects.get(user=user["demo-supervisor"], role=Role.SUPERVISOR).unit
    company = Membership.objects.get(user=user["demo-handler"], role=Role.HANDLER).unit
    assert volunteer == grid
    assert grid.kind == "grid" and grid.path.startswith(community.path)
    assert company.kind == "company" and company.path.startswith(community.path)
    assert unit_list(viewer=user["demo-admin"]).count() == OrgUnit.objects.count()
    assert all(u.is_demo for u in User.objects.all())


@pytest.mark.django_db
def test_seed_demo_is_deterministic():
    def snapshot():
        return list(OrgUnit.objects.order_by("path").values_list("path", "name", "kind")) + list(
            User.objects.order_by("username").values_list("username", "name")
        )

    sid = transaction.savepoint()
    _seed(seed=7)
    first = snapshot()
    transaction.savepoint_rollback(sid)
    assert not OrgUnit.objects.exists()
    _seed(seed=7)
    assert snapshot() == first


@pytest.mark.django_db
def test_seed_demo_runs_once():
    _seed()
    before = OrgUnit.objects.count()
    assert "already loaded" in _seed(if_empty=True)
    assert OrgUnit.objects.count() == before
    with pytest.raises(CommandError):
        _seed()


@pytest.mark.django_db
def test_demo_logins_sign_in_with_debug_on(client, settings):
    _seed()
    settings.DEBUG = True
    assert client.login(username="demo-grid", password="demo-pass-2026")
    settings.DEBUG = False
    assert not client.login(username="demo-admin", password="demo-pass-2026")
