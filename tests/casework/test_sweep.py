"""The deadline sweep, travelling in time: each reminder once, escalation level by level."""

import datetime as dt
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import services
from casework.demo import clock
from casework.models import (
    CaseEvent,
    Delivery,
    Notification,
    Reminder,
    Role,
    SweepRun,
)
from casework.services.notifications import delivery_send, preference_set
from casework.services.sweep import deadline_sweep


@pytest.fixture
def county_supervisor(tree):
    user = services.person_create(username="county-sup", name="县督办")
    services.membership_grant(user=user, unit=tree.county, role=Role.SUPERVISOR)
    return user


def inbox(user, kind=None):
    qs = Notification.objects.filter(user=user)
    return qs.filter(kind=kind) if kind else qs


def reminders(case):
    return sorted(Reminder.objects.filter(case=case).values_list("kind", "level"))


def test_due_soon_is_sent_once(open_case, drive, people):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_soon_at - timedelta(minutes=1))
    assert reminders(case) == []
    at = case.due_soon_at + timedelta(minutes=1)
    deadline_sweep(now=at)
    deadline_sweep(now=at + timedelta(minutes=1))
    assert reminders(case) == [("due_soon", 0)]
    assert inbox(people.handler_company, "due_soon").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="reminded").count() == 1


def test_an_unsigned_case_reminds_the_handling_unit(open_case, drive, people):
    case = drive(open_case(), "assigned")
    deadline_sweep(now=case.sign_due_at + timedelta(minutes=1))
    assert reminders(case) == [("sign_overdue", 0)]
    assert inbox(people.handler_company, "sign_overdue").count() == 1


def test_overdue_cases_climb_level_by_level(open_case, drive, people, county_supervisor):
    case = drive(open_case(), "in_progress")
    due = case.due_at
    deadline_sweep(now=due + timedelta(minutes=1))
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert inbox(people.handler_company, "due_now").count() == 1
    assert inbox(people.supervisor_a, "escalated").count() == 1  # the community
    deadline_sweep(now=due + timedelta(hours=12))
    case.refresh_from_db()
    assert case.escalation_level == 1
    deadline_sweep(now=due + timedelta(days=1, minutes=1))
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert inbox(people.town_supervisor, "escalated").count() == 1  # the town
    deadline_sweep(now=due + timedelta(days=2, minutes=1))
    deadline_sweep(now=due + timedelta(days=9))
    case.refresh_from_db()
    assert case.escalation_level == 3
    assert inbox(county_supervisor, "escalated").count() == 1  # the county
    levels = CaseEvent.objects.filter(case=case, kind="escalated").order_by("id")
    assert [e.data["level"] for e in levels] == [1, 2, 3]
    assert case.next_alert_at is None


def test_a_sweep_that_was_down_catches_up_every_level(open_case, drive, county_supervisor):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_at + timedelta(days=2, hours=1))
    assert reminders(case) == [
        ("due_now", 0),
        ("escalated", 1),
        ("escalated", 2),
        ("escalated", 3),
    ]


def test_escalated_cases_are_marked_in_the_queues(api_as, open_case, drive, people):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_at + timedelta(minutes=1))
    rows = api_as(people.supervisor_a).get("/api/v1/cases/", {"escalated": "true"}).json()
    assert [r["id"] for r in rows["results"]] == [case.pk]
    assert rows["results"][0]["escalation_level"] == 1


def test_a_resolved_case_owes_nothing(open_case, drive):
    case = drive(open_case(), "resolved")
    deadline_sweep(now=timezone.now() + timedelta(days=60))
    assert reminders(case) == []


def test_a_new_deadline_after_return_owes_its_own_reminders(open_case, drive, people, tree):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    case = services.case_return(case=case, actor=people.handler_company, reason="不归我们")
    case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
    case = services.case_accept(case=case, actor=people.handler_company)
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    assert reminders(case) == [("due_soon", 0), ("due_soon", 0)]
    assert Reminder.objects.filter(case=case).values("deadline").distinct().count() == 2


def test_working_day_deadlines_are_swept_on_working_days(tree, people, category):
    """A one-working-day case assigned on a Friday is due on Monday, not on Saturday."""
    category.resolve_amount, category.resolve_unit = 1, "workdays"
    category.save()
    friday = dt.datetime(2026, 3, 6, 10, 0, tzinfo=dt.UTC)  # Fri 18:00 in Shanghai
    with clock(friday):
        case = services.case_open(
            actor=people.grid_a1, category=category, unit=tree.compound_a1, title="漏水"
        )
        case = services.case_assign(case=case, actor=people.supervisor_a, unit=tree.company)
        case = services.case_accept(case=case, actor=people.handler_company)
    assert timezone.localtime(case.due_at).date() == dt.date(2026, 3, 9)
    deadline_sweep(now=friday + timedelta(days=1))  # Saturday
    assert ("due_now", 0) not in reminders(case)
    deadline_sweep(now=case.due_at + timedelta(minutes=1))
    assert ("due_now", 0) in reminders(case)


def test_the_reminder_key_refuses_a_second_row(open_case, drive):
    case = drive(open_case(), "in_progress")
    deadline_sweep(now=case.due_soon_at + timedelta(minutes=1))
    first = Reminder.objects.get(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            case=case,
            kind=first.kind,
            level=first.level,
            deadline=first.deadline,
            created_at=timezone.now(),
            sweep=first.sweep,
        )


def test_resending_a_delivery_sends_nothing_twice(
    open_case, drive, people, settings, django_capture_on_commit_callbacks
):
    sent = RecorderBackend.sent = []
    settings.MINQING_SMS_BACKEND = "tests.casework.test_sweep.RecorderBackend"
    people.handler_company.phone = "13812345678"
    people.handler_company.save()
    preference_set(user=people.handler_company, email=False, sms=True, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        drive(open_case(), "assigned")  # eager: sent on commit
    delivery = Delivery.objects.get()
    assert delivery.status == "sent"
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert sent == [str(delivery.pk)]


class RecorderBackend:
    sent: list = []

    def send(self, *, phone, text, key):
        self.sent.append(key)


def test_a_broker_that_is_down_loses_nothing(
    open_case, drive, people, settings, django_capture_on_commit_callbacks
):
    """Redis is down when the case changes: no error, and the next sweep sends what is owed."""
    RecorderBackend.sent = []
    settings.MINQING_REQUEUE_AFTER_SECONDS = 0
    settings.MINQING_SMS_BACKEND = "tests.casework.test_sweep.RecorderBackend"
    people.handler_company.phone = "13812345678"
    people.handler_company.save()
    preference_set(user=people.handler_company, email=False, sms=True, digest=True)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery_app import app

    saved = {
        k: app.conf[k]
        for k in (
            "broker_url",
            "broker_connection_retry",
            "broker_connection_max_retries",
            "broker_transport_options",
        )
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.conf.broker_connection_retry = False
    app.conf.broker_connection_max_retries = 0
    app.conf.broker_transport_options = {"max_retries": 0}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = drive(open_case(), "assigned")  # must not raise
        assert Delivery.objects.get().status == "pending"
        assert RecorderBackend.sent == []
        deadline_sweep(now=timezone.now() + timedelta(minutes=2))  # broker still down
        assert Delivery.objects.get().status == "pending"
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.task_always_eager = True
        settings.CELERY_TASK_ALWAYS_EAGER = True
    deadline_sweep(now=timezone.now() + timedelta(minutes=3))  # the broker is back (eager)
    deadline_sweep(now=timezone.now() + timedelta(minutes=4))
    delivery = Delivery.objects.get()
    assert delivery.status == "sent"
    assert RecorderBackend.sent == [str(delivery.pk)]
    assert case.pk


def test_chasing_notifies_the_handler(api_as, open_case, drive, people):
    case = drive(open_case(), "in_progress")
    response = api_as(people.supervisor_a).post(
        f"/api/v1/cases/{case.pk}/chase/", {"note": "请今天处理"}, format="json"
    )
    assert response.status_code == 200
    assert CaseEvent.objects.filter(case=case, kind="chased").count() == 1
    note = inbox(people.handler_company, "chased").get()
    assert note.text == "请今天处理"


def test_only_a_supervisor_chases_a_case_being_handled(api_as, open_case, drive, people):
    case = open_case()
    response = api_as(people.supervisor_a).post(
        f"/api/v1/cases/{case.pk}/chase/", {}, format="json"
    )
    assert response.status_code == 409
    case = drive(case, "assigned")
    response = api_as(people.grid_a1).post(f"/api/v1/cases/{case.pk}/chase/", {}, format="json")
    assert response.status_code == 403
    assert not CaseEvent.objects.filter(case=case, kind="chased").exists()


def test_the_inbox_api_lists_only_my_notifications(api_as, open_case, drive, people):
    case = drive(open_case(), "assigned")
    mine = api_as(people.handler_company).get("/api/v1/notifications/").json()
    assert [(r["kind"], r["case"], r["read"]) for r in mine["results"]] == [
        ("assigned", case.pk, False)
    ]
    note_id = mine["results"][0]["id"]
    assert set(mine["results"][0]) >= {"id", "kind", "case", "created_at", "read"}
    other = api_as(people.grid_b1)
    assert other.get("/api/v1/notifications/").json()["count"] == 0
    assert other.post(f"/api/v1/notifications/{note_id}/read/").status_code == 404
    client = api_as(people.handler_company)
    assert client.post(f"/api/v1/notifications/{note_id}/read/").status_code == 204
    assert client.get("/api/v1/notifications/", {"read": "false"}).json()["count"] == 0
    assert (
        client.get("/api/v1/notifications/", {"read": "true", "case": case.pk}).json()["count"]
        == 1
    )


def test_the_header_shows_the_unread_count(client_as, open_case, drive, people):
    drive(open_case(), "assigned")
    page = client_as(people.handler_company).get("/").content.decode()
    assert 'data-unread="1"' in page


def test_the_workflow_tells_the_people_concerned(open_case, drive, people):
    case = drive(open_case(), "resolved")
    assert inbox(people.handler_company, "assigned").count() == 1
    assert inbox(people.grid_a1, "resolved").count() == 1  # go and visit the resident
    services.feedback_record(
        case=case, actor=people.grid_a1, solved=False, satisfaction="unsatisfied"
    )
    assert inbox(people.supervisor_a, "reopened").count() == 1


def test_the_command_runs_one_sweep_and_healthz_reports_its_age(client, db):
    out = StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "sweep" in out.getvalue()
    assert SweepRun.objects.count() == 1
    body = client.get("/healthz").json()
    assert body["sweep"] == "ok" and body["last_sweep_age_seconds"] < 60


def test_the_daily_digest_counts_due_and_overdue(open_case, drive, people):
    from casework.services.digest import digest_send

    case = drive(open_case(), "in_progress")
    assert digest_send(now=case.due_at + timedelta(hours=1)) == 1
    digest = inbox(people.handler_company, "digest").get()
    assert "1" in digest.text


def test_a_sweep_takes_the_same_queries_however_many_cases_escalate(
    open_case, drive, county_supervisor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = drive(open_case(title="一"), "in_progress")
    with CaptureQueriesContext(connection) as one:
        deadline_sweep(now=first.due_at + timedelta(days=3))
    cases = [drive(open_case(title=f"c{i}"), "in_progress") for i in range(6)]
    with CaptureQueriesContext(connection) as many:
        deadline_sweep(now=max(c.due_at for c in cases) + timedelta(days=3))
    assert sum(1 for c in cases for _ in reminders(c)) == 6 * 4
    assert len(many) == len(one)
