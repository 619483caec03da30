"""Writes of the webhooks app: endpoints, the fan-out of case events, sending, retrying, replay.

The fan-out runs inside the transaction that recorded the case events, so a delivery exists
exactly when its event does; sending happens after commit on Celery. Each send first claims its
row with one conditional ``UPDATE`` (pending → sending), so two workers, a retried task or a
replay racing a retry never post the same message twice; a claim whose worker died is released
after ``MINQING_CLAIM_LEASE_SECONDS``, as casework's email/SMS claims are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, ValidationFailed
from casework.models import Category, OrgUnit
from casework.services.notifications import claim_lease, requeue_after
from casework.text import clean_text
from webhooks import http, payloads, robots
from webhooks.models import (
    DeliveryAttempt,
    Endpoint,
    EventType,
    RobotDelivery,
    SendStatus,
    UnitRobot,
    WebhookDelivery,
)
from webhooks.signing import new_secret, signature

log = logging.getLogger("minqing.webhooks")

DEFAULT_BACKOFF = (60, 300, 1800, 7200, 43200)


# --- Settings, read when used ------------------------------------------------------------------


def backoff() -> tuple[int, ...]:
    """Seconds to wait after the 1st, 2nd, … failed attempt (the last repeats)."""
    return tuple(getattr(settings, "MINQING_WEBHOOK_BACKOFF_SECONDS", DEFAULT_BACKOFF))


def max_attempts() -> int:
    """Attempts before a delivery is given up as failed (a replay starts a new count)."""
    return int(getattr(settings, "MINQING_WEBHOOK_MAX_ATTEMPTS", 6))


def send_timeout() -> float:
    return float(getattr(settings, "MINQING_WEBHOOK_TIMEOUT_SECONDS", 5.0))


def retry_delay(attempts: int, schedule: tuple[int, ...] | None = None) -> timedelta:
    """The wait after the ``attempts``-th failure: 1 min, 5 min, 30 min, 2 h, 12 h, 12 h…"""
    schedule = schedule or backoff()
    return timedelta(seconds=schedule[min(attempts, len(schedule)) - 1])


# --- Endpoints ---------------------------------------------------------------------------------


def _endpoint_fields(*, name: str, url: str, event_types: Iterable[str]) -> dict:
    name = clean_text(name, field="name", limit=80, required=True, label=_("Name"))
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(_("Enter an http or https URL."), field="url") from None
    if len(url) > 500:
        raise ValidationFailed(_("The URL is too long."), field="url")
    chosen = sorted(set(event_types or ()))
    if not chosen:
        raise ValidationFailed(_("Choose at least one event."), field="event_types")
    unknown = [value for value in chosen if value not in EventType.values]
    if unknown:
        raise ValidationFailed(
            _("Unknown event: %(event)s.") % {"event": unknown[0]}, field="event_types"
        )
    return {"name": name, "url": url, "event_types": chosen}


def _require_superuser(actor) -> None:
    if not (actor and actor.is_active and actor.is_superuser):
        raise NotPermitted(_("Only a superuser manages webhooks."))


@transaction.atomic
def endpoint_create(
    *, name: str, url: str, event_types: Iterable[str], actor, active: bool = True, now=None
) -> Endpoint:
    """Register an endpoint with a new signing secret. Superusers only."""
    _require_superuser(actor)
    now = now or timezone.now()
    return Endpoint.objects.create(
        **_endpoint_fields(name=name, url=url, event_types=event_types),
        active=bool(active),
        secret=new_secret(),
        created_by=actor,
        created_at=now,
        secret_rotated_at=now,
    )


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, name: str, url: str, event_types: Iterable[str], active: bool, actor
) -> Endpoint:
    """Change an endpoint's name, address, events or switch it off; the secret stays."""
    _require_superuser(actor)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    for field, value in _endpoint_fields(name=name, url=url, event_types=event_types).items():
        setattr(endpoint, field, value)
    endpoint.active = bool(active)
    endpoint.save(update_fields=["name", "url", "event_types", "active"])
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor, now=None) -> Endpoint:
    """Give the endpoint a new secret; deliveries sent from now on are signed with it."""
    _require_superuser(actor)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = now or timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint


# --- Fan-out: case events → deliveries, in the events' transaction ----------------------------


def events_fan_out(*, events: list) -> tuple[list[int], list[int]]:
    """Write a delivery for each subscribed endpoint and each concerned robot of ``events``
    (``CaseEvent`` rows just written), and queue them after commit. Events no one is told of
    cost no query."""
    typed = [
        (e, kind) for e in events if (kind := payloads.event_type(e.kind, e.to_state, e.data))
    ]
    robot_events = [e for e in events if e.kind in payloads.ROBOT_KINDS]
    if not typed and not robot_events:
        return [], []
    pairs = []
    if typed:
        endpoints = list(Endpoint.objects.filter(active=True).only("pk", "event_types"))
        pairs = [(e, kind, ep) for e, kind in typed for ep in endpoints if kind in ep.event_types]
    robot_pairs = _robots_for(robot_events) if robot_events else []
    if not pairs and not robot_pairs:
        return [], []
    cases = [e.case for e, *_rest in pairs] + [e.case for e, _robot in robot_pairs]
    categories = Category.objects.in_bulk({c.category_id for c in cases})
    units = OrgUnit.objects.in_bulk(
        {c.unit_id for c in cases} | {c.owner_unit_id for c in cases if c.owner_unit_id}
    )
    now = timezone.now()
    bodies: dict[tuple[int, str], str] = {}
    webhook_rows = []
    for event, kind, endpoint in pairs:
        case = event.case
        body = bodies.get((event.pk, kind))
        if body is None:
            body = bodies[(event.pk, kind)] = payloads.webhook_body(
                event=event,
                kind=kind,
                case=case,
                category=categories.get(case.category_id),
                unit=units.get(case.unit_id),
                owner_unit=units.get(case.owner_unit_id),
            )
        webhook_rows.append(
            WebhookDelivery(
                endpoint=endpoint,
                event_type=kind,
                event_key=payloads.event_key(event),
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )
    texts: dict[int, str] = {}
    robot_rows = []
    for event, robot in robot_pairs:
        if event.pk not in texts:
            texts[event.pk] = payloads.robot_text(
                event=event, case=event.case, unit=units.get(event.case.unit_id)
            )
        robot_rows.append(
            RobotDelivery(
                robot=robot,
                event_key=payloads.event_key(event),
                text=texts[event.pk][:500],
                created_at=now,
                next_attempt_at=now,
            )
        )
    webhook_ids = [d.pk for d in WebhookDelivery.objects.bulk_create(webhook_rows)]
    robot_ids = [d.pk for d in RobotDelivery.objects.bulk_create(robot_rows)]
    transaction.on_commit(lambda: enqueue(webhook_ids=webhook_ids, robot_ids=robot_ids))
    return webhook_ids, robot_ids


def _robots_for(events: list) -> list[tuple]:
    """Each (event, robot) pair: robots of a unit on the case's place's path (the place and
    every unit above it) or of the unit handling the case, that take this kind of message."""
    step = OrgUnit.steplen
    paths: set[str] = set()
    owners: set[int] = set()
    case_units = OrgUnit.objects.in_bulk({e.case.unit_id for e in events})
    for e in events:
        path = case_units[e.case.unit_id].path
        paths.update(path[:i] for i in range(step, len(path) + 1, step))
        if e.case.owner_unit_id:
            owners.add(e.case.owner_unit_id)
    robots = list(
        UnitRobot.objects.filter(active=True)
        .filter(Q(unit__path__in=paths) | Q(unit_id__in=owners))
        .select_related("unit")
    )
    pairs = []
    for e in events:
        path = case_units[e.case.unit_id].path
        wanted = "escalations" if e.kind == payloads.K.ESCALATED else "reminders"
        for robot in robots:
            concerned = path.startswith(robot.unit.path) or robot.unit_id == e.case.owner_unit_id
            if concerned and getattr(robot, wanted):
                pairs.append((e, robot))
    return pairs


def enqueue(*, webhook_ids: Iterable[int] = (), robot_ids: Iterable[int] = ()) -> int:
    """Queue sends on Celery; a broker that is down is logged, the retry beat sends them later."""
    from webhooks.tasks import send_robot, send_webhook

    queued = 0
    try:
        for pk in webhook_ids:
            send_webhook.delay(pk)
            queued += 1
        for pk in robot_ids:
            send_robot.delay(pk)
            queued += 1
    except Exception as exc:  # kombu's OperationalError and friends: the broker is away
        log.warning("broker unavailable, deliveries left for the retry beat: %s", exc)
    return queued


# --- Sending -----------------------------------------------------------------------------------


def _claim(model, pk: int, now: datetime) -> bool:
    """Take the row for this worker: one UPDATE, so two workers never both send it."""
    return bool(
        model.objects.filter(pk=pk, status=SendStatus.PENDING).update(
            status=SendStatus.SENDING, claimed_at=now
        )
    )


def _after_failure(attempts: int, now: datetime) -> dict:
    if attempts >= max_attempts():
        return {"status": SendStatus.FAILED, "next_attempt_at": None}
    return {"status": SendStatus.PENDING, "next_attempt_at": now + retry_delay(attempts)}


def webhook_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """POST one webhook delivery if it is still pending, signed now, and record the attempt.

    2xx is sent; anything else (another status, a timeout, a refused connection) is retried
    after the backoff, and given up as failed after ``MINQING_WEBHOOK_MAX_ATTEMPTS``.
    """
    now = now or timezone.now()
    if not _claim(WebhookDelivery, delivery_id, now):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=SendStatus.FAILED, next_attempt_at=None, error="endpoint switched off"
        )
        return "inactive"
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Minqing-Webhooks/1",
        "X-Minqing-Event": delivery.event_type,
        "X-Minqing-Delivery": str(delivery.pk),
        "X-Minqing-Timestamp": str(timestamp),
        "X-Minqing-Signature": signature(secret=endpoint.secret, timestamp=timestamp, body=body),
    }
    started = time.monotonic()
    code, text, error = None, "", ""
    try:
        answer = http.request(endpoint.url, body=body, headers=headers, timeout=send_timeout())
        code, text = answer.status, answer.text
        if not answer.ok:
            error = f"HTTP {answer.status}"
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = int((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            replay=delivery.attempts == 0 and delivery.replays > 0,
            timestamp=timestamp,
            response_code=code,
            response_body=text[:500],
            error=error,
            duration_ms=elapsed,
        )
        if not error:
            WebhookDelivery.objects.filter(pk=delivery_id).update(
                status=SendStatus.SENT,
                sent_at=timezone.now(),
                attempts=attempts,
                response_code=code,
                error="",
                next_attempt_at=None,
            )
            return "sent"
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            attempts=attempts, response_code=code, error=error, **_after_failure(attempts, now)
        )
    log.warning("webhook delivery %s attempt %s failed: %s", delivery_id, attempts, error)
    return "failed"


def robot_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """Post one robot message if it is still pending; failures back off like webhooks."""
    now = now or timezone.now()
    if not _claim(RobotDelivery, delivery_id, now):
        return "skipped"
    delivery = RobotDelivery.objects.select_related("robot").get(pk=delivery_id)
    robot = delivery.robot
    if not robot.active:
        RobotDelivery.objects.filter(pk=delivery_id).update(
            status=SendStatus.FAILED, next_attempt_at=None, error="robot switched off"
        )
        return "inactive"
    attempts = delivery.attempts + 1
    try:
        code = robots.robot_post(
            kind=robot.kind,
            url=robot.url,
            secret=robot.secret,
            text=delivery.text,
            timeout=send_timeout(),
        )
    except (robots.RobotError, OSError) as exc:
        RobotDelivery.objects.filter(pk=delivery_id).update(
            attempts=attempts,
            response_code=getattr(exc, "status", None),
            error=f"{type(exc).__name__}: {exc}"[:300],
            **_after_failure(attempts, now),
        )
        log.warning("robot message %s attempt %s failed: %s", delivery_id, attempts, exc)
        return "failed"
    RobotDelivery.objects.filter(pk=delivery_id).update(
        status=SendStatus.SENT,
        sent_at=timezone.now(),
        attempts=attempts,
        response_code=code,
        error="",
        next_attempt_at=None,
    )
    return "sent"


def outbound_retry_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """What the retry beat runs each minute: release claims whose worker died, then queue the
    deliveries whose next attempt has come (and first attempts the broker lost)."""
    now = now or timezone.now()
    queued = {}
    for model in (WebhookDelivery, RobotDelivery):
        model.objects.filter(status=SendStatus.SENDING, claimed_at__lt=now - claim_lease()).update(
            status=SendStatus.PENDING, next_attempt_at=now
        )
        queued[model] = list(
            model.objects.filter(status=SendStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(attempts__gt=0) | Q(created_at__lte=now - requeue_after()))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    return enqueue(webhook_ids=queued[WebhookDelivery], robot_ids=queued[RobotDelivery])


@transaction.atomic
def delivery_replay(*, delivery_ids: Iterable[int], actor, now: datetime | None = None) -> int:
    """Send deliveries again with their very body, a new timestamp and signature (the admin's
    "replay"). One being sent at this moment is left alone. Superusers only."""
    _require_superuser(actor)
    now = now or timezone.now()
    rows = list(
        WebhookDelivery.objects.select_for_update()
        .filter(pk__in=list(delivery_ids))
        .exclude(status=SendStatus.SENDING)
    )
    for row in rows:
        row.status = SendStatus.PENDING
        row.attempts = 0
        row.next_attempt_at = now
        row.replays += 1
        row.replayed_by = actor
        row.replayed_at = now
        row.error = ""
    WebhookDelivery.objects.bulk_update(
        rows,
        [
            "status",
            "attempts",
            "next_attempt_at",
            "replays",
            "replayed_by",
            "replayed_at",
            "error",
        ],
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(webhook_ids=ids))
    return len(rows)
