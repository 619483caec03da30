"""The deadline sweep: reminders owed by deadlines, sent once; overdue cases climb the hierarchy.

The database is the source of truth. Each reminder is recorded under its unique key
(case × kind × level × deadline) before anything is sent, in the same transaction as the inbox
notifications and the case's events, so re-running the sweep, two beat processes, a retried task
or a worker killed mid-sweep never send a second one. ``now`` is a value the sweep passes to the
database, never the database's own clock, so tests can travel in time.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework import alerts, events
from casework.models import Case, CoHandling, EventKind, Reminder, SweepRun
from casework.services.cases import escalation_period
from casework.services.notifications import Recipients, deliveries_requeue, notify_many

BATCH = 500


def queue_wait(expires, *, now: datetime) -> float | None:
    """How long a sweep waited in its queue, from the expiry beat set (sent + one period);
    ``None`` when it was not sent by beat (run by hand, or eagerly)."""
    if not expires:
        return None
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, UTC)
    sent = expires - timedelta(seconds=float(getattr(settings, "MINQING_SWEEP_SECONDS", 60)))
    return round(max((now - sent).total_seconds(), 0.0), 1)


def deadline_sweep(
    *, now: datetime | None = None, batch: int = BATCH, waited: float | None = None
) -> SweepRun:
    """Run one sweep at ``now`` (default: the current time); safe to repeat, even concurrently.

    ``waited`` is how long the task waited in its queue, kept in the run's counts for /healthz.
    """
    started = timezone.now()
    now = now or started
    run = SweepRun.objects.create(started_at=started, now=now)
    period = escalation_period()
    token = uuid.uuid4()
    counts: Counter[str] = Counter()
    while True:
        with transaction.atomic():
            done = _sweep_batch(now=now, period=period, token=token, batch=batch, counts=counts)
        if done < batch:
            break
    counts["requeued"] = deliveries_requeue()
    if waited is not None:
        counts["waited_seconds"] = waited
    run.finished_at = timezone.now()
    run.counts = dict(counts)
    run.save(update_fields=["finished_at", "counts"])
    SweepRun.objects.filter(started_at__lt=started - timedelta(days=7)).delete()
    return run


def _sweep_batch(*, now, period, token, batch, counts) -> int:
    cases = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(next_alert_at__lte=now)
        .select_related("unit", "owner_unit")
        .order_by("next_alert_at", "pk")[:batch]
    )
    if not cases:
        return 0
    co_due: dict[int, list] = {}
    for case_id, due_at in CoHandling.objects.filter(
        case__in=cases, done_at__isnull=True, due_at__isnull=False
    ).values_list("case_id", "due_at"):
        co_due.setdefault(case_id, []).append(due_at)
    tz = timezone.get_current_timezone()
    clocks = {c.pk: alerts.clock_of(c, co_due=tuple(co_due.get(c.pk, ())), tz=tz) for c in cases}
    owed = {case.pk: alerts.owed(clocks[case.pk], now, period) for case in cases}
    Reminder.objects.bulk_create(
        [
            Reminder(
                case=case,
                kind=o.kind,
                level=o.level,
                deadline=o.deadline,
                created_at=now,
                sweep=token,
            )
            for case in cases
            for o in owed[case.pk]
        ],
        ignore_conflicts=True,
    )
    # Only the reminders this sweep recorded are new; another sweep's rows carry its own token.
    fresh = Reminder.objects.filter(sweep=token, case__in=cases).values_list(
        "case_id", "kind", "level"
    )
    by_case: dict[int, list[tuple[str, int]]] = {}
    for case_id, kind, level in fresh:
        by_case.setdefault(case_id, []).append((kind, level))
    book = Recipients(c for c in cases if c.pk in by_case)
    notes: list[tuple] = []
    history: list[tuple] = []
    for case in cases:
        for kind, level in sorted(by_case.get(case.pk, []), key=lambda kl: kl[1]):
            counts[kind] += 1
            if kind == "escalated":
                users = book.supervisors_at_level(case, level)
                unit_id = book.level_unit_id(case, level)
                history.append((case, EventKind.ESCALATED, {"level": level, "unit": unit_id}))
                case.escalation_level = max(case.escalation_level, level)
            elif kind == "park_review":
                users = book.supervisors(case)
                history.append((case, EventKind.REMINDED, {"reminder": kind, "level": level}))
            elif kind in ("co_due_soon", "co_overdue"):
                users = book.co_handlers(case)
                if kind == "co_overdue":
                    users = [*users, *book.handlers(case)]
                history.append((case, EventKind.REMINDED, {"reminder": kind, "level": level}))
            else:
                users = book.handlers(case)
                if kind == "due_now":
                    users = [*users, *book.supervisors(case)]
                history.append((case, EventKind.REMINDED, {"reminder": kind, "level": level}))
            notes.extend((uid, kind, case, "") for uid in dict.fromkeys(users))
        case.next_alert_at = alerts.next_alert(clocks[case.pk], now, period)
    notify_many(notes, now=now)
    events.sweep_recorded(history, at=now)
    Case.objects.bulk_update(cases, ["next_alert_at", "escalation_level"])
    counts["cases"] += len(cases)
    return len(cases)
