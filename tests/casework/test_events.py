"""Case history: every kind of event is written by the real services with its documented keys."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from casework import events, services
from casework.demo import clock
from casework.events import DATA_KEYS
from casework.models import CaseEvent, CaseState, EventKind
from casework.services.cases import feedback_wait
from casework.services.sweep import deadline_sweep
from requests_app.services import request_collect, request_merge, request_open_case

S = CaseState


def png_upload(name="site.png"):
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def every_path(tree, people, category, open_case, desks, settings, tmp_path):
    """Drive cases through every path of the workflow, the sweep included, by the services."""
    settings.MEDIA_ROOT = tmp_path / "media"
    sup, handler, dept = people.supervisor_a, people.handler_company, people.handler_department

    # 1. Co-handled, extended, reopened twice (by the resident and by the check), then closed.
    case = services.case_assign(
        case=open_case(title="电梯停了"),
        actor=sup,
        unit=tree.company,
        co_handlers=[tree.department],
    )
    services.case_note(case=case, actor=dept, note="住建局已知悉")
    services.case_photo_add(case=case, actor=people.grid_a1, upload=png_upload(), caption="现场")
    case = services.case_accept(case=case, actor=handler)
    services.co_handling_report(case=case, actor=dept, opinion="维保资质核查无误")
    services.case_chase(case=case, actor=sup, note="请尽快处理")
    services.extension_apply(
        case=case, actor=handler, due_at=case.due_at + timedelta(days=3), reason="等配件"
    )
    services.extension_decide(case=case, actor=sup, approve=True)
    services.extension_apply(
        case=case, actor=handler, due_at=case.due_at + timedelta(days=9), reason="再等"
    )
    services.extension_decide(case=case, actor=sup, approve=False, note="不再延期")
    case = services.case_resolve(case=case, actor=handler, result="已更换配件")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=False, satisfaction="unsatisfied"
    )
    case = services.case_assign(case=case, actor=sup, unit=tree.company)
    case = services.case_accept(case=case, actor=handler)
    case = services.case_resolve(case=case, actor=handler, result="重新调试")
    case = services.case_reopen(case=case, actor=sup, reason="核查仍有异响")
    case = services.case_assign(case=case, actor=sup, unit=tree.company)
    case = services.case_accept(case=case, actor=handler)
    case = services.case_resolve(case=case, actor=handler, result="彻底修复")
    case = services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )
    assert case.state == S.CLOSED

    # 2. Transferred, sent up twice, returned by the desk, parked, unparked, cancelled.
    case = open_case(title="路灯不亮")
    case = services.case_transfer(case=case, actor=sup, unit=tree.department, reason="市政")
    case = services.case_send_up(case=case, actor=sup, reason="权属不清")
    case = services.case_send_up(case=case, actor=people.town_supervisor, reason="镇级无法协调")
    case = services.case_accept(case=case, actor=desks.county_handler)
    case = services.case_return(case=case, actor=desks.county_handler, reason="属供电公司")
    case = services.case_park(
        case=case, actor=sup, plan="待供电改造", review_on=timezone.localdate() + timedelta(days=7)
    )
    case = services.case_unpark(case=case, actor=sup, note="改造提前")
    case = services.case_cancel(case=case, actor=sup, reason="重复案件")
    assert case.state == S.CANCELLED

    # 3. Overdue: reminded and escalated by the sweep; resolved; closed without feedback.
    case = services.case_assign(case=open_case(title="漏水"), actor=sup, unit=tree.company)
    case = services.case_accept(case=case, actor=handler)
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    deadline_sweep(now=case.due_at + timedelta(days=1, minutes=1))
    with clock(case.due_at + timedelta(days=2)):
        case = services.case_resolve(case=case, actor=handler, result="已堵漏")
    case = services.case_close(
        case=case, actor=sup, now=case.resolved_at + feedback_wait() + timedelta(minutes=1)
    )
    assert case.state == S.CLOSED

    # 4. Opened from a resident's request, which a duplicate joins; a consultation settles it,
    #    after another meeting on it decided without settling.
    first = request_collect(
        actor=people.grid_a1,
        channel="onsite",
        category=category,
        unit=tree.compound_a1,
        description="小区停车位不够",
    )
    case = request_open_case(request=first, actor=people.grid_a1)
    duplicate = request_collect(
        actor=people.grid_a1,
        channel="onsite",
        category=category,
        unit=tree.compound_a1,
        description="停车难",
    )
    request_merge(request=duplicate, actor=people.grid_a1, into=first)
    for resolves in (False, True):
        meeting = services.meeting_create(
            actor=sup,
            unit=tree.community_a,
            held_at=timezone.now(),
            place="社区党群服务中心",
            topic="停车位分配",
            participants=[("residents_committee", "张主任"), ("property_company", "王经理")],
            cases=[case],
        )
        services.meeting_decide(
            actor=sup, item=meeting.agenda.get(), decision="划线增设车位", resolves=resolves
        )
    case.refresh_from_db()
    assert case.state == S.RESOLVED
    # The resident answers for themselves on the tracking page (issue 15).
    services.resident_feedback_record(
        case=case, solved=True, satisfaction="satisfied", via="track"
    )
    return CaseEvent.objects.all()


def test_every_kind_of_event_is_documented():
    assert set(DATA_KEYS) == set(EventKind.values)


def test_the_workflow_writes_every_kind_of_event(every_path):
    assert set(every_path.values_list("kind", flat=True)) == set(EventKind.values)


def test_every_event_carries_exactly_its_documented_keys(every_path):
    wrong = [
        (event.kind, sorted(event.data))
        for event in every_path
        if set(event.data) != set(DATA_KEYS[event.kind])
    ]
    assert wrong == []
    assert every_path.count() > len(EventKind.values)


def test_the_sweep_wrote_reminders_and_escalations_as_the_system(every_path):
    swept = every_path.filter(kind__in=["reminded", "escalated"])
    assert {e.data.get("reminder") for e in swept if e.kind == "reminded"} >= {
        "due_soon",
        "due_now",
    }
    assert sorted(e.data["level"] for e in swept if e.kind == "escalated") == [1, 2]
    assert all(e.actor is None for e in swept)


def test_a_settling_consultation_judges_the_case_and_a_plain_one_does_not(every_path, people):
    plain, settling = every_path.filter(kind="consulted").order_by("id")
    assert (plain.data["on_time"], plain.data["unit"], plain.to_state) == (None, None, "")
    assert (settling.data["on_time"], settling.to_state) == (True, S.RESOLVED)
    assert settling.data["due_at"] is None  # never assigned: no deadline to miss


def test_an_event_with_undocumented_data_keys_is_refused(open_case):
    case = open_case()
    count = CaseEvent.objects.count()
    with pytest.raises(ValueError):
        events._record(case, EventKind.NOTE, data={"colour": "red"})
    with pytest.raises(ValueError):
        events._record(case, EventKind.PHOTO, data={"photo": 1, "caption": "x"})
    with pytest.raises(ValueError):  # a documented key left out
        events._record(case, EventKind.PHOTO, data={})
    with pytest.raises(ValueError):
        events.sweep_recorded([(case, EventKind.REMINDED, {"reminder": "due_soon"})], at=None)
    assert CaseEvent.objects.count() == count
