"""seed_demo builds the article's places, deterministically, and its logins work together."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from casework.models import Case, CaseEvent, Membership, OrgUnit, Role, User
from casework.selectors import unit_list


def _seed(**kwargs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def output(demo_data):
    """What ``seed_demo`` printed when it built the session's demo (see ``tests/conftest.py``)."""
    return demo_data.output


def _under(name, kind):
    unit = OrgUnit.objects.get(name=name)
    return OrgUnit.objects.filter(path__startswith=unit.path, kind=kind).count()


def test_seed_demo_builds_the_places_of_the_article(output):
    assert OrgUnit.objects.get(kind="city").name == "玉林市"
    assert _under("博白县", "community") == 11
    assert _under("博白县", "compound") == 23
    assert _under("兴业县", "community") == 11
    assert _under("福绵区", "town") == 6
    assert _under("福绵区", "community") == 12
    grids = OrgUnit.objects.filter(kind="grid")
    staffed = Membership.objects.filter(role=Role.GRID_WORKER).values("unit").distinct().count()
    assert staffed == grids.count() > 0
    for login in ("demo-admin", "demo-supervisor", "demo-handler", "demo-grid", "demo-volunteer"):
        assert login in output


def test_the_demo_logins_work_together(output):
    user = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    grid = Membership.objects.get(user=user["demo-grid"], role=Role.GRID_WORKER).unit
    volunteer = Membership.objects.get(user=user["demo-volunteer"], role=Role.VOLUNTEER).unit
    community = Membership.objects.get(user=user["demo-supervisor"], role=Role.SUPERVISOR).unit
    company = Membership.objects.get(user=user["demo-handler"], role=Role.HANDLER).unit
    assert volunteer == grid
    assert grid.kind == "grid" and grid.path.startswith(community.path)
    assert company.kind == "company" and company.path.startswith(community.path)
    assert unit_list(viewer=user["demo-admin"]).count() == OrgUnit.objects.count()
    assert not User.objects.filter(is_demo=False).exists()


def test_demo_logins_sign_in_only_with_debug_on(output, client, settings):
    settings.DEBUG = True
    assert client.login(username="demo-grid", password="demo-pass-2026")
    settings.DEBUG = False
    assert not client.login(username="demo-admin", password="demo-pass-2026")


def test_the_demo_cases_went_through_realistic_paths(output):
    """On time, late, reopened, returned, closed without feedback, settled in a consultation."""
    assert Case.objects.count() > 100
    states = dict(Case.objects.values_list("state").annotate(n=Count("pk")))
    assert states.get("closed", 0) > states.get("new", 0)
    reasons = set(Case.objects.values_list("close_reason", flat=True))
    assert {"feedback", "no_feedback"} <= reasons
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert {"assigned", "accepted", "returned", "resolved", "feedback", "consulted"} <= kinds
    assert {"closed", "cancelled"} <= kinds
    late = CaseEvent.objects.filter(kind="resolved", data__on_time=False).count()
    on_time = CaseEvent.objects.filter(kind="resolved", data__on_time=True).count()
    assert 0 < late < on_time
    assert Case.objects.filter(reopen_count__gt=0).exists()
    # The history spans the year, not the minute the seed ran.
    first, last = (
        CaseEvent.objects.order_by("created_at").first().created_at,
        CaseEvent.objects.order_by("created_at").last().created_at,
    )
    assert (last - first).days > 300


def test_seed_demo_runs_once(output):
    before = OrgUnit.objects.count()
    assert "already loaded" in _seed(if_empty=True)
    assert OrgUnit.objects.count() == before
    with pytest.raises(CommandError):
        _seed()


def test_the_demo_closes_a_case_along_every_path_and_staffs_the_desks(output):
    """Every county and town has a service desk with a handler; among closed cases one was
    returned, one transferred, one sent up and signed for at a desk, one co-handled by two units
    that both reported, one extended, one parked and brought back; some cases are parked now."""
    for place in OrgUnit.objects.filter(kind__in=["county", "town"]):
        desks = OrgUnit.objects.filter(
            kind="desk", path__startswith=place.path, depth=place.depth + 1
        )
        assert Membership.objects.filter(unit__in=desks, role=Role.HANDLER).exists(), place.name

    closed = Case.objects.filter(state="closed")
    events = CaseEvent.objects.filter(case__state="closed")
    assert closed.filter(events__kind="returned").exists()
    assert closed.filter(events__kind="transferred").exists()

    def signed_at_desk(sent_up):
        desk_handlers = Membership.objects.filter(
            unit_id=sent_up.data["unit"], unit__kind="desk", role=Role.HANDLER
        ).values("user")
        return events.filter(
            case=sent_up.case_id, kind="accepted", pk__gt=sent_up.pk, actor__in=desk_handlers
        ).exists()

    assert any(signed_at_desk(e) for e in events.filter(kind="sent_up"))

    def both_parts_reported(case):
        parts = list(case.co_handling.all())
        reported = set(events.filter(case=case, kind="co_reported").values_list("data__unit"))
        return (
            len(parts) == 2
            and all(p.done_at for p in parts)
            and reported == {(p.unit_id,) for p in parts}
        )

    co_handled = closed.filter(co_handling__isnull=False).distinct()
    assert any(both_parts_reported(case) for case in co_handled)
    assert events.filter(kind="extension_decided", data__approved=True).exists()
    assert closed.filter(events__kind="parked").filter(events__kind="unparked").exists()
    assert Case.objects.filter(state="parked").exists()
