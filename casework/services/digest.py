"""The daily digest: one notification a morning listing what each handler has due or overdue."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case, Membership, NotificationKind, NotificationPreference, Role
from casework.services.notifications import notify_many


@transaction.atomic
def digest_send(*, now: datetime | None = None) -> int:
    """Notify each handler with open cases due within a day or overdue; returns how many."""
    now = now or timezone.now()
    horizon = now + timedelta(days=1)
    cases = Case.objects.filter(
        state__in=["assigned", "in_progress"], due_at__lte=horizon
    ).values_list("handler_id", "owner_unit_id", "due_at")
    unit_handlers: dict[int, list[int]] = {}
    for user_id, unit_id in Membership.objects.filter(role=Role.HANDLER).values_list(
        "user_id", "unit_id"
    ):
        unit_handlers.setdefault(unit_id, []).append(user_id)
    due, overdue = Counter(), Counter()
    for handler_id, unit_id, due_at in cases:
        users = [handler_id] if handler_id else unit_handlers.get(unit_id, [])
        for uid in users:
            (overdue if due_at <= now else due)[uid] += 1
    opted_out = set(
        NotificationPreference.objects.filter(Q(digest=False)).values_list("user_id", flat=True)
    )
    rows = []
    for uid in sorted(set(due) | set(overdue)):
        if uid in opted_out:
            continue
        text = _("%(due)d due within a day, %(overdue)d overdue") % {
            "due": due[uid],
            "overdue": overdue[uid],
        }
        rows.append((uid, NotificationKind.DIGEST, None, text))
    notify_many(rows, now=now)
    return len(rows)
