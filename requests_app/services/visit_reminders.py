"""The monthly visit reminder (遍访提醒): a 民情书记 with no visit yet this month is told, once."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Membership, NotificationKind, Role
from casework.selectors.dashboard import next_month
from casework.services.notifications import notify_many
from requests_app.models import VisitReminder
from requests_app.selectors.coverage import month_of, secretary_month_visits


def reminder_day(month_first: date) -> int:
    """The day of the month from which secretaries without a visit are reminded: the setting,
    or the month's last day in a month too short for it (31 in February)."""
    last = (next_month(month_first) - timedelta(days=1)).day
    return max(1, min(int(getattr(settings, "MINQING_VISIT_REMINDER_DAY", 20)), last))


@transaction.atomic
def visit_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each 民情书记 with no visit this month; returns how many were reminded.

    Does nothing before ``MINQING_VISIT_REMINDER_DAY`` (local date). A secretary is anyone
    active holding ``Role.MINQING_SECRETARY`` at an active unit; a visit is one of the kinds the
    visit figures count, with them as visitor, visited this month up to ``now``. Each person is
    reminded at most once a month: a ``VisitReminder`` row per (person, month) is written
    first, ignoring conflicts, and only the rows this run wrote (its ``run`` token) get an inbox
    notification (with email or SMS as each person's preferences ask, through
    ``notify_many``), in the same transaction. Safe to run again, or twice at once.
    A handful of queries however many secretaries.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    month = month_of(today)
    if today.day < reminder_day(month.first):
        return 0
    visited = secretary_month_visits(month).filter(visited_at__lte=now).values("visitor_id")
    reminded = VisitReminder.objects.filter(month=month.first).values("person_id")
    due = list(
        Membership.objects.filter(
            role=Role.MINQING_SECRETARY, unit__is_active=True, user__is_active=True
        )
        .exclude(user_id__in=visited)
        .exclude(user_id__in=reminded)
        .values_list("user_id", flat=True)
        .order_by("user_id")
        .distinct()
    )
    if not due:
        return 0
    token = uuid.uuid4()
    VisitReminder.objects.bulk_create(
        [VisitReminder(person_id=pk, month=month.first, created_at=now, run=token) for pk in due],
        ignore_conflicts=True,
    )
    # Another run may have recorded some of them first: only this run's rows are told.
    mine = list(
        VisitReminder.objects.filter(run=token).values_list("person_id", flat=True).order_by()
    )
    text = _(
        "You have recorded no visit this month. Please go down to the compounds of your "
        "community (遍访) and record the visit."
    )
    notify_many([(pk, NotificationKind.VISIT_REMINDER, None, text) for pk in mine], now=now)
    return len(mine)
