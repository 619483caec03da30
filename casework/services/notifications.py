"""Notifications: the in-app inbox always, email and SMS where a person asked for them.

Inbox rows and delivery rows are written in the caller's transaction, so a notification exists
exactly when its cause does. Sending happens after commit, through Celery; if the broker is down
the delivery stays pending and the next sweep queues it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.channels import send_email, sms_backend
from casework.errors import NotFound
from casework.models import (
    Case,
    Channel,
    CoHandling,
    Delivery,
    DeliveryStatus,
    Membership,
    Notification,
    NotificationKind,
    NotificationPreference,
    OrgUnit,
    Role,
    User,
)

log = logging.getLogger("minqing.notify")

MAX_ATTEMPTS = 5


def claim_lease() -> timedelta:
    """A delivery claimed longer ago than this is taken to have died with its worker."""
    return timedelta(seconds=getattr(settings, "MINQING_CLAIM_LEASE_SECONDS", 600))


def requeue_after() -> timedelta:
    """A pending delivery younger than this was just queued by its cause: leave it be."""
    return timedelta(seconds=getattr(settings, "MINQING_REQUEUE_AFTER_SECONDS", 60))


# --- Who is told -------------------------------------------------------------------------------


class Recipients:
    """Finds who to tell about a batch of cases, with a query per role, not per case."""

    LEVEL_KINDS = {1: "community", 2: "town", 3: "county"}

    def __init__(self, cases: Iterable[Case]):
        self.cases = list(cases)
        paths: set[str] = set()
        step = OrgUnit.steplen
        for case in self.cases:
            paths.update(case.unit.path[:i] for i in range(step, len(case.unit.path) + 1, step))
            if case.owner_unit_id:
                paths.add(case.owner_unit.path)
        # Co-handling units (协办) and whether their part is still open, in one query.
        self.co_parts: dict[int, list[tuple[str, bool]]] = {}
        for case_id, path, done_at in CoHandling.objects.filter(
            case__in=[c.pk for c in self.cases]
        ).values_list("case_id", "unit__path", "done_at"):
            self.co_parts.setdefault(case_id, []).append((path, done_at is None))
            paths.add(path)
        rows = (
            Membership.objects.filter(unit__path__in=paths, unit__is_active=True)
            .filter(role__in=[Role.HANDLER, Role.SUPERVISOR, Role.ADMIN, Role.GRID_WORKER])
            .filter(user__is_active=True, user__is_service_account=False)
            .values_list("unit__path", "unit__kind", "role", "user_id")
        )
        self.by_path: dict[tuple[str, str], list[int]] = {}
        self.kind_of: dict[str, str] = {}
        for path, kind, role, user_id in rows:
            self.by_path.setdefault((path, role), []).append(user_id)
            self.kind_of[path] = kind
        self.unit_ids = dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "pk"))

    def _ancestors(self, case: Case):
        step = OrgUnit.steplen
        return [case.unit.path[:i] for i in range(len(case.unit.path), 0, -step)]

    def handlers(self, case: Case) -> list[int]:
        if case.handler_id:
            return [case.handler_id]
        if case.owner_unit_id:
            return self.by_path.get((case.owner_unit.path, Role.HANDLER), [])
        return []

    def co_handlers(self, case: Case, *, pending_only: bool = True) -> list[int]:
        """The handlers of the case's co-handling units (only those whose part is open)."""
        users: list[int] = []
        for path, pending in self.co_parts.get(case.pk, []):
            if pending or not pending_only:
                users += self.by_path.get((path, Role.HANDLER), [])
        return sorted(set(users))

    def supervisors_at_level(self, case: Case, level: int) -> list[int]:
        """The supervisors of the community (1), town (2) or county (3) above the case."""
        kind = self.LEVEL_KINDS[min(level, 3)]
        for path in self._ancestors(case):
            if self.kind_of.get(path) == kind or self._kind_by_depth(path) == kind:
                users = self.by_path.get((path, Role.SUPERVISOR), []) + self.by_path.get(
                    (path, Role.ADMIN), []
                )
                return sorted(set(users))
        return []

    @staticmethod
    def _kind_by_depth(path: str) -> str | None:
        return {2: "county", 3: "town", 4: "community"}.get(len(path) // OrgUnit.steplen)

    def level_unit_id(self, case: Case, level: int) -> int | None:
        """The community (1), town (2) or county (3) a case climbs to, from the loaded paths."""
        depth = {1: 4, 2: 3, 3: 2}[min(level, 3)]
        return self.unit_ids.get(case.unit.path[: depth * OrgUnit.steplen])

    def supervisors(self, case: Case) -> list[int]:
        """The nearest supervisors above the case's place."""
        for path in self._ancestors(case):
            users = self.by_path.get((path, Role.SUPERVISOR), [])
            if users:
                return users
        return []

    def collectors(self, case: Case) -> list[int]:
        """The grid workers of the case's grid, who make the return visit (回访)."""
        for path in self._ancestors(case):
            users = self.by_path.get((path, Role.GRID_WORKER), [])
            if users:
                return users
        return []


# --- Writing notifications ---------------------------------------------------------------------


def notify(
    *,
    user_ids: Iterable[int],
    kind: str,
    case: Case | None = None,
    text: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """Put a notification in each person's inbox and queue their email/SMS, in one transaction."""
    return notify_many([(uid, kind, case, text) for uid in set(user_ids)], now=now)


def notify_many(
    rows: Iterable[tuple[int, str, Case | None, str]], *, now: datetime | None = None
) -> list[Notification]:
    """Bulk form of :func:`notify`: ``(user_id, kind, case, text)`` rows, a few queries in all."""
    now = now or timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(user_id=uid, kind=kind, case=case, text=text[:300], created_at=now)
        for uid, kind, case, text in rows
    )
    if not notifications:
        return []
    if not all(n.pk for n in notifications):
        # Backends without RETURNING (none we support) would leave ids unset.
        raise RuntimeError("bulk_create did not return primary keys")
    user_ids = {n.user_id for n in notifications}
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    contacts = dict(
        (uid, (email, phone))
        for uid, email, phone in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "email", "phone"
        )
    )
    deliveries = []
    queued_at = timezone.now()  # the wall clock, even when the sweep travels in time
    for n in notifications:
        pref = prefs.get(n.user_id)
        email, phone = contacts.get(n.user_id, ("", ""))
        if pref and pref.email and email:
            deliveries.append(
                Delivery(notification=n, channel=Channel.EMAIL, created_at=queued_at)
            )
        if pref and pref.sms and phone:
            deliveries.append(Delivery(notification=n, channel=Channel.SMS, created_at=queued_at))
    if deliveries:
        created = Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: enqueue_deliveries(ids))
    return notifications


def enqueue_deliveries(ids: Iterable[int]) -> int:
    """Queue deliveries on Celery; a broker that is down is logged, the sweep retries later."""
    from casework.tasks import deliver

    queued = 0
    for delivery_id in ids:
        try:
            deliver.delay(delivery_id)
        except Exception as exc:  # kombu's OperationalError and friends: the broker is away
            log.warning("broker unavailable, delivery %s left for the sweep: %s", delivery_id, exc)
            break
        queued += 1
    return queued


# --- Sending -----------------------------------------------------------------------------------


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take the delivery for this worker: one UPDATE, so two workers never both send it."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
    )


def notification_text(notification: Notification) -> str:
    label = NotificationKind(notification.kind).label
    if notification.case_id:
        case = notification.case
        text = _("%(what)s: case %(number)s “%(title)s”") % {
            "what": label,
            "number": case.number,
            "title": case.title,
        }
    else:
        text = str(label)
    if notification.text:
        text = f"{text} — {notification.text}"
    return text


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one delivery if it is still pending; safe to run twice (the second finds it claimed).

    Raises the channel's error after recording it, so the task can retry with backoff.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = Delivery.objects.select_related("notification__user", "notification__case").get(
        pk=delivery_id
    )
    notification = delivery.notification
    text = notification_text(notification)
    try:
        if delivery.channel == Channel.EMAIL:
            send_email(to=notification.user.email, subject=text[:78], text=text)
        else:
            sms_backend().send(phone=notification.user.phone, text=text, key=str(delivery.pk))
    except Exception as exc:
        attempts = delivery.attempts + 1
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING,
            attempts=attempts,
            error=str(exc)[:300],
        )
        raise
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=delivery.attempts + 1
    )
    return "sent"


def deliveries_requeue() -> int:
    """Queue again what the broker lost: pending deliveries, and claims whose worker died.

    Judged by the wall clock, not by the sweep's ``now``: leases are about live workers.
    """
    now = timezone.now()
    Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - claim_lease()
    ).update(status=DeliveryStatus.PENDING)
    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, created_at__lte=now - requeue_after()
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    return enqueue_deliveries(ids) if ids else 0


# --- The inbox ---------------------------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int, now: datetime | None = None) -> None:
    """Mark one of the user's notifications read (idempotent)."""
    updated = Notification.objects.filter(pk=notification_id, user=user)
    if not updated.exists():
        raise NotFound(_("No such notification."), field="notification")
    updated.filter(read_at__isnull=True).update(read_at=now or timezone.now())


def notifications_mark_all_read(*, user, now: datetime | None = None) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


@transaction.atomic
def preference_set(*, user, email: bool, sms: bool, digest: bool) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "digest": digest}
    )
    return pref


def unread_count(user) -> int:
    return Notification.objects.filter(Q(user=user) & Q(read_at__isnull=True)).count()
