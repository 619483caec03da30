"""Six ways a resident's request becomes a case and ends closed, through the real services.

Each path starts at intake (``request_collect`` then ``request_open_case``), is worked through
casework's services on a clock of its own, and ends with the resident's feedback. For each one:
the case is closed, the public tracking look-up says so, the case's history is exactly the
expected sequence of events, the rate tallies count what the path did, and rebuilding the
tallies from the events gives the same rows.
"""

import io
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import TALLY_FIELDS, CaseState, CoHandling, RateTally, Role, UnitKind
from casework.selectors.cases import case_events
from casework.services.sweep import deadline_sweep
from requests_app.models import Channel, RequestStatus
from requests_app.selectors import request_track
from requests_app.services import request_collect, request_open_case
from requests_app.views.track import CASE_STAGES

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Monday morning clear of public holidays: every path starts here.
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """The time every service reads (``django.utils.timezone.now``), moved by the test."""

    class Clock:
        now = START

        def advance(self, **delta):
            self.now = self.now + timedelta(**delta)
            return self.now

        def to(self, when):
            assert when >= self.now, "the clock only moves forward"
            self.now = when
            return self.now

    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


@pytest.fixture
def place(tree, people, category, clock):
    """The shared tree plus what these paths need, built by the services: the town's and the
    county's service desks, each with a handler who signs for what is sent up (兜底), and a
    second county department with a handler, to co-handle (协办)."""
    town_desk = services.unit_create(
        name="博白镇网格化服务管理中心", kind=UnitKind.DESK, parent=tree.town
    )
    county_desk = services.unit_create(
        name="博白县综治中心", kind=UnitKind.DESK, parent=tree.county
    )
    urban = services.unit_create(name="城市管理局", kind=UnitKind.DEPARTMENT, parent=tree.county)
    staff = {}
    for username, unit in (
        ("desk-town", town_desk),
        ("desk-county", county_desk),
        ("handler-urban", urban),
    ):
        staff[username] = services.person_create(username=username, name=username)
        services.membership_grant(user=staff[username], unit=unit, role=Role.HANDLER)
    cache.clear()  # the tracking page throttles look-ups per address
    yield SimpleNamespace(
        town_desk=town_desk,
        county_desk=county_desk,
        urban=urban,
        town_handler=staff["desk-town"],
        county_handler=staff["desk-county"],
        urban_handler=staff["handler-urban"],
    )
    cache.clear()


@pytest.fixture
def intake(tree, people, category, place):
    """A grid worker collects a hotline request at 阳光小区1栋 and opens a case for it."""

    def collect_and_open():
        request = request_collect(
            actor=people.grid_a1,
            channel=Channel.HOTLINE,
            category=category,
            unit=tree.building_a1,
            description="1栋电梯停在半层，老人不敢坐",
            resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
        )
        case = request_open_case(request=request, actor=people.grid_a1)
        request.refresh_from_db()
        assert request.status == RequestStatus.CASE_OPENED and request.case_id == case.pk
        assert case.state == CaseState.NEW
        return request, case

    return collect_and_open


def _feedback(case, people, clock):
    clock.advance(days=1)
    return services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )


def _tallies(unit):
    sums = RateTally.objects.filter(unit=unit).aggregate(**{f: Sum(f) for f in TALLY_FIELDS})
    return {field: sums[field] or 0 for field in TALLY_FIELDS}


def _tally_rows():
    return sorted(RateTally.objects.values_list("unit_id", "day", *TALLY_FIELDS))


#: What the resident's answer adds, and a plain on-time signing and resolution.
ANSWERED = {"answered": 1, "solved": 1, "pleased": 1}


def _expected(**counts):
    return {field: counts.get(field, 0) for field in TALLY_FIELDS}


def _check_closed(case, request, client, *, kinds, tallies):
    """The common end of every path: closed, tracked as closed, its history, its tallies."""
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.close_reason == "feedback" and case.closed_at is not None

    found = request_track(code=request.tracking_code)
    assert found.pk == request.pk and found.case.state == CaseState.CLOSED
    page = client.get(reverse("requests_app:track"), {"code": request.tracking_code_display})
    assert page.status_code == 200
    shown = page.context["found"]
    assert str(shown["stage"]) == str(CASE_STAGES[CaseState.CLOSED])
    assert shown["case_opened"] is True and shown["closed_on"] == case.closed_at
    assert str(CASE_STAGES[CaseState.CLOSED]) in page.content.decode()

    assert [e.kind for e in case_events(case=case)] == kinds

    assert _tallies(case.unit) == tallies
    before = _tally_rows()
    out = io.StringIO()
    call_command("rebuild_rate_tallies", stdout=out)
    assert "tallies rebuilt" in out.getvalue()
    assert _tally_rows() == before
    assert _tallies(case.unit) == tallies


def test_a_returned_case_is_reassigned_and_closed(intake, people, tree, place, clock, client):
    """The company returns what is not theirs (回退); the supervisor gives it to the department."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    clock.advance(hours=1)
    case = services.case_return(case=case, actor=people.handler_company, reason="不属于物业职责")
    assert case.state == CaseState.NEW and case.owner_unit is None and case.due_at is None
    clock.advance(hours=1)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.department)
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_department)
    clock.advance(days=2)
    case = services.case_resolve(case=case, actor=people.handler_department, result="已维修")
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=["opened", "assigned", "returned", "assigned", "accepted", "resolved", "feedback"],
        tallies=_expected(
            assigned=2,
            returned=1,
            signed=1,
            signed_on_time=1,
            resolved=1,
            resolved_on_time=1,
            **ANSWERED,
        ),
    )
    assert case.return_count == 1
    returned = case.events.get(kind="returned")
    assert returned.actor == people.handler_company
    assert returned.data["unit"] == tree.company.pk


def test_a_transferred_case_is_signed_for_again_and_closed(
    intake, people, tree, place, clock, client
):
    """Signed for by the company, transferred (转办) to the department, which signs and solves;
    the transfer counts as an assignment."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_company)
    clock.advance(hours=3)
    case = services.case_transfer(
        case=case, actor=people.supervisor_a, unit=tree.department, reason="属住建局职责"
    )
    assert case.state == CaseState.ASSIGNED and case.handler is None
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_department)
    clock.advance(days=2)
    case = services.case_resolve(case=case, actor=people.handler_department, result="已维修")
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=[
            "opened",
            "assigned",
            "accepted",
            "transferred",
            "accepted",
            "resolved",
            "feedback",
        ],
        tallies=_expected(
            assigned=2, signed=2, signed_on_time=2, resolved=1, resolved_on_time=1, **ANSWERED
        ),
    )
    transferred = case.events.get(kind="transferred")
    assert transferred.data["from_unit"] == tree.company.pk
    assert transferred.data["unit"] == tree.department.pk
    assert case.owner_unit == tree.department and case.handler == people.handler_department


def test_a_case_no_unit_owns_is_backstopped_by_the_town_then_the_county_desk(
    intake, people, tree, place, clock, client
):
    """兜底: sent up to the town's desk, whose handler signs; the town sends it on to the
    county's desk, whose handler signs and solves it."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_send_up(case=case, actor=people.supervisor_a, reason="权属不清")
    assert case.owner_unit == place.town_desk and case.state == CaseState.ASSIGNED
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=place.town_handler)
    clock.advance(hours=4)
    case = services.case_send_up(case=case, actor=people.town_supervisor, reason="需县级协调")
    assert case.owner_unit == place.county_desk and case.handler is None
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=place.county_handler)
    clock.advance(days=3)
    case = services.case_resolve(
        case=case, actor=place.county_handler, result="县综治中心协调办结"
    )
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=["opened", "sent_up", "accepted", "sent_up", "accepted", "resolved", "feedback"],
        tallies=_expected(
            assigned=2, signed=2, signed_on_time=2, resolved=1, resolved_on_time=1, **ANSWERED
        ),
    )
    sent_up = list(case.events.filter(kind="sent_up").order_by("pk"))
    assert [e.data["unit"] for e in sent_up] == [place.town_desk.pk, place.county_desk.pk]
    assert [e.data["from_unit"] for e in sent_up] == [None, place.town_desk.pk]
    signers = [e.actor for e in case.events.filter(kind="accepted").order_by("pk")]
    assert signers == [place.town_handler, place.county_handler]


def test_a_case_with_two_co_handlers_is_closed_after_both_report(
    intake, people, tree, place, clock, client
):
    """协办: the company leads; two county departments each report their part before the
    lead resolves."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_assign(
        case=case,
        actor=people.supervisor_a,
        unit=tree.company,
        co_handlers=[tree.department, place.urban],
    )
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_company)
    clock.advance(hours=6)
    services.co_handling_report(case=case, actor=people.handler_department, opinion="已检测电梯")
    clock.advance(hours=6)
    services.co_handling_report(case=case, actor=place.urban_handler, opinion="已清理通道")
    clock.advance(days=1)
    case = services.case_resolve(case=case, actor=people.handler_company, result="已维修")
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=[
            "opened",
            "assigned",
            "accepted",
            "co_reported",
            "co_reported",
            "resolved",
            "feedback",
        ],
        tallies=_expected(
            assigned=1, signed=1, signed_on_time=1, resolved=1, resolved_on_time=1, **ANSWERED
        ),
    )
    both = sorted([tree.department.pk, place.urban.pk])
    assert case.events.get(kind="assigned").data["co_handlers"] == both
    parts = CoHandling.objects.filter(case=case).order_by("unit_id")
    assert [(p.unit_id, p.done_at is not None) for p in parts] == [(pk, True) for pk in both]
    assert [e.data["unit"] for e in case.events.filter(kind="co_reported").order_by("pk")] == [
        tree.department.pk,
        place.urban.pk,
    ]
    assert case.events.get(kind="resolved").data["co_pending"] == []


def test_an_extended_case_resolved_past_the_first_deadline_is_on_time(
    intake, people, tree, place, clock, client
):
    """延期: approved before the deadline, the new deadline is what the resolution is judged
    against; past the first one the sweep neither reminds nor escalates."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_company)
    first_due = case.due_at
    clock.advance(days=1)
    services.extension_apply(
        case=case,
        actor=people.handler_company,
        due_at=first_due + timedelta(days=7),
        reason="需采购配件",
    )
    clock.advance(hours=2)
    extension = services.extension_decide(case=case, actor=people.supervisor_a, approve=True)
    case.refresh_from_db()
    assert case.due_at == extension.due_at == first_due + timedelta(days=7)

    clock.to(first_due + timedelta(days=1))
    deadline_sweep(now=clock.now)
    case = services.case_resolve(case=case, actor=people.handler_company, result="配件到货已更换")
    assert case.resolved_at > first_due
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=[
            "opened",
            "assigned",
            "accepted",
            "extension_requested",
            "extension_decided",
            "resolved",
            "feedback",
        ],
        tallies=_expected(
            assigned=1,
            signed=1,
            signed_on_time=1,
            extended=1,
            resolved=1,
            resolved_on_time=1,
            **ANSWERED,
        ),
    )
    decided = case.events.get(kind="extension_decided")
    assert decided.data["approved"] is True and decided.data["unit"] == tree.company.pk
    resolved = case.events.get(kind="resolved")
    assert resolved.data["on_time"] is True
    assert resolved.data["due_at"] == extension.due_at.isoformat()
    assert case.escalation_level == 0


def test_a_parked_case_comes_back_on_its_review_date_and_is_closed(
    intake, people, tree, place, clock, client
):
    """挂账: parked with a plan; past its deadline it is neither reminded nor escalated; on the
    review date it comes back with fresh deadlines and is resolved on time against them."""
    request, case = intake()
    clock.advance(minutes=30)
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    clock.advance(minutes=20)
    case = services.case_accept(case=case, actor=people.handler_company)
    first_due = case.due_at
    clock.advance(days=1)
    review_on = timezone.localdate() + timedelta(days=60)
    case = services.case_park(
        case=case, actor=people.supervisor_a, plan="纳入下年度改造计划", review_on=review_on
    )
    assert case.state == CaseState.PARKED

    clock.to(first_due + timedelta(days=2))
    deadline_sweep(now=clock.now)
    case.refresh_from_db()
    assert case.state == CaseState.PARKED and case.escalation_level == 0

    clock.to(datetime.combine(review_on, time(10), tzinfo=SHANGHAI))
    case = services.case_unpark(case=case, actor=people.supervisor_a, note="改造资金已到位")
    assert case.state == CaseState.IN_PROGRESS and case.due_at > clock.now
    clock.advance(days=2)
    case = services.case_resolve(case=case, actor=people.handler_company, result="改造完成")
    _feedback(case, people, clock)

    _check_closed(
        case,
        request,
        client,
        kinds=[
            "opened",
            "assigned",
            "accepted",
            "parked",
            "unparked",
            "resolved",
            "feedback",
        ],
        tallies=_expected(
            assigned=1,
            signed=1,
            signed_on_time=1,
            parked=1,
            resolved=1,
            resolved_on_time=1,
            **ANSWERED,
        ),
    )
    assert case.events.get(kind="parked").data["review_on"] == review_on.isoformat()
    assert case.events.get(kind="unparked").data["due_at"] == case.due_at.isoformat()
    assert case.events.get(kind="resolved").data["on_time"] is True


def test_tracking_a_parked_case_tells_the_resident_where_it_stands(
    intake, people, tree, place, clock, client
):
    request, case = intake()
    case = services.case_park(
        case=case,
        actor=people.supervisor_a,
        plan="纳入下年度改造计划",
        review_on=timezone.localdate() + timedelta(days=60),
    )
    page = client.get(reverse("requests_app:track"), {"code": request.tracking_code_display})
    assert page.status_code == 200
    assert page.context["found"]["stage"]


def test_the_tracking_page_has_words_for_every_case_state():
    from casework.models import CaseState
    from requests_app.views.track import CASE_STAGES

    assert set(CASE_STAGES) == set(CaseState.values)
