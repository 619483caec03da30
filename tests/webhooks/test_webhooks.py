"""Signed webhooks against a local receiver: signing, after commit, filtering, retries, replay."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from casework import services as cw
from casework.errors import NotPermitted, ValidationFailed
from casework.services.sweep import deadline_sweep
from webhooks import services
from webhooks.models import DeliveryAttempt, EventType, WebhookDelivery
from webhooks.signing import signature, verify

pytestmark = pytest.mark.django_db


def _endpoint(receiver, superuser, *events, path="/hook"):
    return services.endpoint_create(
        name="12345 热线", url=receiver.url + path, event_types=events, actor=superuser
    )


def _check_signed(received, endpoint):
    """What a receiver does: recompute the signature, refuse an old timestamp."""
    h = received.headers
    assert verify(
        secret=endpoint.secret,
        timestamp=h["x-minqing-timestamp"],
        body=received.body,
        header=h["x-minqing-signature"],
        now=time.time(),
    )


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"event":"case.opened"}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature(secret="k", timestamp=1700000000, body=body) == f"sha256={expected}"
    header = f"sha256={expected}"
    assert verify(secret="k", timestamp="1700000000", body=body, header=header, now=1700000299)
    # Too old, from the future, another secret, another body, garbage: all refused.
    assert not verify(secret="k", timestamp="1700000000", body=body, header=header, now=1700000301)
    assert not verify(secret="k", timestamp="1700000000", body=body, header=header, now=1699999690)
    assert not verify(secret="x", timestamp="1700000000", body=body, header=header, now=1700000000)
    assert not verify(
        secret="k", timestamp="1700000000", body=b"{}", header=header, now=1700000000
    )
    assert not verify(secret="k", timestamp="soon", body=body, header=header, now=1700000000)


def test_an_opened_case_is_posted_signed_after_commit(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(title="路灯不亮")
        assert receiver.got == []  # nothing before commit
    assert len(receiver.got) == 1
    got = receiver.got[0]
    assert got.method == "POST" and got.path == "/hook"
    _check_signed(got, endpoint)
    delivery = WebhookDelivery.objects.get()
    assert got.headers["x-minqing-event"] == "case.opened"
    assert got.headers["x-minqing-delivery"] == str(delivery.pk)
    body = got.json()
    assert body["event"] == "case.opened"
    assert body["event_id"] == delivery.event_key == f"case-event-{case.events.get().pk}"
    assert body["occurred_at"].endswith("+08:00")
    assert body["case"]["id"] == case.pk
    assert body["case"]["number"] == case.number
    assert body["case"]["title"] == "路灯不亮"
    assert body["case"]["category"] == {"code": "property-lift", "name": "电梯故障"}
    assert body["case"]["unit"]["name"] == "阳光小区"
    assert body["case"]["state"] == "new"
    assert body["case"]["due_at"] is None
    assert delivery.status == "sent" and delivery.attempts == 1
    assert delivery.response_code == 200
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.response_code, attempt.replay, attempt.response_body) == (200, False, "ok")


def test_a_rolled_back_change_sends_nothing(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    _endpoint(receiver, superuser, EventType.OPENED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        open_case()
        assert WebhookDelivery.objects.count() == 1  # written with the event...
        raise RuntimeError("the change fails")
    assert WebhookDelivery.objects.count() == 0  # ...and gone with it
    assert callbacks == []
    assert receiver.got == []


def test_each_endpoint_hears_only_its_event_types(
    receiver, superuser, open_case, drive, people, django_capture_on_commit_callbacks
):
    """Open → assign → accept → resolve → satisfied feedback (closes): 5 transitions, of which
    opened, assigned, resolved and closed are events; accepted is none."""
    opened = _endpoint(receiver, superuser, EventType.OPENED, path="/a")
    later = _endpoint(
        receiver, superuser, EventType.ASSIGNED, EventType.CLOSED, EventType.RESOLVED, path="/b"
    )
    _endpoint(receiver, superuser, EventType.OVERDUE, path="/c")
    with django_capture_on_commit_callbacks(execute=True):
        case = drive(open_case(), "closed")
        cw.case_note(case=case, actor=people.supervisor_a, note="回访完毕")  # no event type
    by_path = {}
    for got in receiver.got:
        by_path.setdefault(got.path, []).append(got.json()["event"])
    assert by_path == {
        "/a": ["case.opened"],
        "/b": ["case.assigned", "case.resolved", "case.closed"],
    }
    assert WebhookDelivery.objects.filter(endpoint=opened).count() == 1
    assert WebhookDelivery.objects.filter(endpoint=later).count() == 3
    closed = json.loads(WebhookDelivery.objects.get(event_type="case.closed").body)
    assert closed["case"]["state"] == "closed"
    assert closed["case"]["handling_unit"]["name"] == "城东物业"


def test_an_inactive_endpoint_gets_nothing(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(receiver, superuser, EventType.OPENED)
    services.endpoint_update(
        endpoint=endpoint,
        name=endpoint.name,
        url=endpoint.url,
        event_types=endpoint.event_types,
        active=False,
        actor=superuser,
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    assert WebhookDelivery.objects.count() == 0 and receiver.got == []


def test_no_personal_data_in_the_body(
    receiver, superuser, tree, people, category, django_capture_on_commit_callbacks
):
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        cw.case_open(
            actor=people.grid_a1,
            category=category,
            unit=tree.compound_a1,
            title="王秀英 13812345678 反映电梯停了",
            description="住3栋502，电话13912345678，身份证450922199001011234",
            urgency="normal",
        )
    text = receiver.got[0].body.decode()
    for secret in ("13812345678", "13912345678", "450922199001011234", "502", "住3栋"):
        assert secret not in text
    body = json.loads(text)
    assert set(body) == {"event", "event_id", "occurred_at", "case", "detail"}
    assert set(body["case"]) == {
        "id",
        "number",
        "title",
        "category",
        "unit",
        "handling_unit",
        "state",
        "urgency",
        "opened_at",
        "sign_due_at",
        "due_at",
    }
    assert "description" not in text and "grid-a1" not in text


def test_failures_back_off_then_succeed(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, "boom"), (503, "busy"), (200, "ok")]
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    delivery = WebhookDelivery.objects.get()
    first = DeliveryAttempt.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at - first.at == timedelta(minutes=1)
    # Not yet due: the beat queues nothing.
    assert services.outbound_retry_due(now=delivery.next_attempt_at - timedelta(seconds=1)) == 0
    t2 = delivery.next_attempt_at
    assert services.webhook_send(delivery_id=delivery.pk, now=t2) == "failed"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code, delivery.error) == (2, 503, "HTTP 503")
    assert delivery.next_attempt_at == t2 + timedelta(minutes=5)
    assert services.webhook_send(delivery_id=delivery.pk, now=delivery.next_attempt_at) == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("sent", 3, None)
    codes = list(DeliveryAttempt.objects.order_by("id").values_list("response_code", flat=True))
    assert codes == [500, 503, 200]
    # Every attempt carried the same body and delivery id, each signed afresh.
    assert len({got.body for got in receiver.got}) == 1
    assert {got.headers["x-minqing-delivery"] for got in receiver.got} == {str(delivery.pk)}


def test_the_retry_beat_sends_what_is_due(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, "boom"), (200, "ok")]
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    delivery = WebhookDelivery.objects.get()
    assert services.outbound_retry_due(now=delivery.next_attempt_at) == 1  # eager: sent now
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(receiver.got) == 2


def test_the_backoff_schedule():
    minutes = [services.retry_delay(n).total_seconds() / 60 for n in range(1, 8)]
    assert minutes == [1, 5, 30, 120, 720, 720, 720]


def test_given_up_after_max_attempts(
    receiver, superuser, open_case, settings, django_capture_on_commit_callbacks
):
    settings.MINQING_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [(500, "boom")]
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    delivery = WebhookDelivery.objects.get()
    for _ in range(2):
        services.webhook_send(delivery_id=delivery.pk, now=delivery.next_attempt_at)
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert services.outbound_retry_due(now=timezone.now() + timedelta(days=3)) == 0
    assert services.webhook_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.got) == 3


def test_an_unreachable_endpoint_is_an_attempt_with_its_error(
    superuser, open_case, django_capture_on_commit_callbacks
):
    services.endpoint_create(
        name="gone", url="http://127.0.0.1:9/hook", event_types=["case.opened"], actor=superuser
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_code is None
    assert "ConnectionRefused" in delivery.error or "URLError" in delivery.error
    assert DeliveryAttempt.objects.get().error == delivery.error


def test_a_delivery_is_claimed_once(
    receiver, superuser, open_case, django_capture_on_commit_callbacks
):
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=False):
        open_case()
    delivery = WebhookDelivery.objects.get()
    assert services.webhook_send(delivery_id=delivery.pk) == "sent"
    assert services.webhook_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.got) == 1
    # A delivery another worker holds is not sent by this one either.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="sending")
    assert services.webhook_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.got) == 1


def test_a_dead_workers_claim_is_released_after_the_lease(
    receiver, superuser, open_case, settings, django_capture_on_commit_callbacks
):
    settings.MINQING_CLAIM_LEASE_SECONDS = 600
    _endpoint(receiver, superuser, EventType.OPENED)
    with django_capture_on_commit_callbacks(execute=False):
        open_case()
    now = timezone.now()
    WebhookDelivery.objects.update(status="sending", claimed_at=now)
    assert services.outbound_retry_due(now=now + timedelta(seconds=599)) == 0
    assert services.outbound_retry_due(now=now + timedelta(seconds=601)) == 1
    assert WebhookDelivery.objects.get().status == "sent"


def test_overdue_comes_from_the_sweep(
    receiver, superuser, open_case, drive, django_capture_on_commit_callbacks
):
    """At the deadline plus a minute an in-progress case owes 'due now' and escalation level 1:
    two overdue events, nothing else."""
    _endpoint(receiver, superuser, EventType.OVERDUE)
    case = drive(open_case(), "in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(now=case.due_at + timedelta(minutes=1))
    details = sorted(
        (got.json()["detail"]["reminder"], got.json()["detail"]["level"]) for got in receiver.got
    )
    assert details == [("due_now", 0), ("escalated", 1)]
    assert {got.json()["event"] for got in receiver.got} == {"case.overdue"}


def test_endpoint_input_is_checked(superuser, people):
    with pytest.raises(ValidationFailed) as bad:
        services.endpoint_create(
            name="x", url="ftp://a/b", event_types=["case.opened"], actor=superuser
        )
    assert bad.value.field == "url"
    with pytest.raises(ValidationFailed) as bad:
        services.endpoint_create(
            name="x", url="https://a.example/", event_types=[], actor=superuser
        )
    assert bad.value.field == "event_types"
    with pytest.raises(ValidationFailed) as bad:
        services.endpoint_create(
            name="x", url="https://a.example/", event_types=["case.eaten"], actor=superuser
        )
    assert bad.value.field == "event_types"
    with pytest.raises(ValidationFailed) as bad:
        services.endpoint_create(
            name=" ", url="https://a.example/", event_types=["case.opened"], actor=superuser
        )
    assert bad.value.field == "name"
    with pytest.raises(NotPermitted):
        services.endpoint_create(
            name="x", url="https://a.example/", event_types=["case.opened"], actor=people.admin
        )
    from webhooks.models import Endpoint

    assert Endpoint.objects.count() == 0


def test_rotating_the_secret_signs_with_the_new_one(superuser):
    endpoint = services.endpoint_create(
        name="x", url="https://a.example/", event_types=["case.opened"], actor=superuser
    )
    old = endpoint.secret
    assert old.startswith("whsec_") and len(old) > 40
    rotated = services.endpoint_rotate_secret(endpoint=endpoint, actor=superuser)
    assert rotated.secret != old
