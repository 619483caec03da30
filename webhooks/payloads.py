"""What a case event becomes outside: the webhook event type, the JSON body, the robot's line.

Bodies carry the case's public fields only (number, title with phone and ID numbers scrubbed,
category, places, state, deadlines): never a resident's name, phone, address or the request's
text, and no staff names either.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.models import CaseState, EventKind, NotificationKind
from casework.text import scrub_personal
from webhooks.models import EventType

K = EventKind
#: Reminders that mean a deadline has passed: they are the ``case.overdue`` event.
OVERDUE_REMINDERS = frozenset({"sign_overdue", "due_now"})
#: Case events a unit's group robot posts.
ROBOT_KINDS = frozenset({K.REMINDED, K.ESCALATED})


def event_type(kind: str, to_state: str, data: dict) -> str | None:
    """The webhook event a case event is, or ``None`` when integrations are not told of it.

    Transfers and sends up count as assignments (as the rates do); a case is resolved by its
    handler or settled by a meeting, closed by the resident's answer or a supervisor; overdue is
    a passed deadline (sign-for or resolve) and each escalation that follows it.
    """
    if kind == K.OPENED:
        return EventType.OPENED
    if kind in (K.ASSIGNED, K.TRANSFERRED, K.SENT_UP):
        return EventType.ASSIGNED
    if kind in (K.RESOLVED, K.CONSULTED) and to_state == CaseState.RESOLVED:
        return EventType.RESOLVED
    if to_state == CaseState.CLOSED:
        return EventType.CLOSED
    if kind == K.ESCALATED or (kind == K.REMINDED and data.get("reminder") in OVERDUE_REMINDERS):
        return EventType.OVERDUE
    return None


def event_key(event) -> str:
    """The event's id outside, the same for every endpoint and robot."""
    return f"case-event-{event.pk}"


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, in the deployment's time zone (``+08:00``)."""
    if value is None:
        return None
    return timezone.localtime(value, timezone.get_default_timezone()).isoformat()


def webhook_body(*, event, kind: str, case, category, unit, owner_unit) -> str:
    """The JSON text sent for ``event`` (a ``CaseEvent``), fixed once: retries and replays send
    these very bytes."""
    detail: dict[str, Any] = {"casework_event": event.kind}
    if kind == EventType.OVERDUE:
        detail["reminder"] = event.data.get("reminder", "escalated")
        detail["level"] = event.data.get("level", 0)
    body = {
        "event": kind,
        "event_id": event_key(event),
        "occurred_at": iso(event.created_at),
        "case": {
            "id": case.pk,
            "number": case.number,
            "title": scrub_personal(case.title),
            "category": {"code": category.code, "name": category.name} if category else None,
            "unit": {"id": unit.pk, "name": unit.name} if unit else None,
            "handling_unit": (
                {"id": owner_unit.pk, "name": owner_unit.name} if owner_unit else None
            ),
            "state": case.state,
            "urgency": case.urgency,
            "opened_at": iso(case.created_at),
            "sign_due_at": iso(case.sign_due_at),
            "due_at": iso(case.due_at),
        },
        "detail": detail,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def robot_text(*, event, case, unit) -> str:
    """The line a group robot posts, in the deployment's language."""
    with translation.override(settings.LANGUAGE_CODE):
        if event.kind == K.ESCALATED:
            what = _("Overdue, escalated to level %(level)d") % {
                "level": event.data.get("level") or 0
            }
        else:
            what = str(NotificationKind(event.data["reminder"]).label)
        values = {
            "what": what,
            "number": case.number,
            "title": scrub_personal(case.title),
            "place": unit.name if unit else "",
        }
        if case.due_at:
            values["due"] = timezone.localtime(
                case.due_at, timezone.get_default_timezone()
            ).strftime("%Y-%m-%d %H:%M")
            return _("%(what)s: case %(number)s “%(title)s” at %(place)s, due %(due)s") % values
        return _("%(what)s: case %(number)s “%(title)s” at %(place)s") % values
