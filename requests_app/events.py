"""The only writers of request history. One small function per kind of event.

Events are append-only: nothing in the code, the admin or the API updates or deletes one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.selectors.dashboard import events_changed
from requests_app.models import Request, RequestEvent, RequestEventKind


def _record(request: Request, kind: str, *, actor, data: dict[str, Any] | None, at=None):
    # The dashboard's cached figures count requests and visits too: refresh them once committed.
    transaction.on_commit(events_changed)
    return RequestEvent.objects.create(
        request=request, kind=kind, actor=actor, created_at=at or timezone.now(), data=data or {}
    )


def request_collected(request: Request, *, actor, at=None) -> RequestEvent:
    return _record(
        request,
        RequestEventKind.COLLECTED,
        actor=actor,
        data={"channel": request.channel, "visit": request.visit_id},
        at=at,
    )


def request_acknowledged(request: Request, *, actor, at=None) -> RequestEvent:
    """受理: a worker took up a request that came in by itself (the public door, Open311)."""
    return _record(request, RequestEventKind.ACKNOWLEDGED, actor=actor, data=None, at=at)


def request_answered_on_spot(request: Request, *, actor, at=None) -> RequestEvent:
    return _record(request, RequestEventKind.ANSWERED_ON_SPOT, actor=actor, data=None, at=at)


def request_case_opened(request: Request, *, actor, at=None) -> RequestEvent:
    return _record(
        request, RequestEventKind.CASE_OPENED, actor=actor, data={"case": request.case_id}, at=at
    )


def request_merged(request: Request, *, actor, at=None) -> RequestEvent:
    return _record(
        request,
        RequestEventKind.MERGED,
        actor=actor,
        data={"into": request.merged_into_id, "case": request.case_id},
        at=at,
    )


def request_rejected(request: Request, *, actor, at=None) -> RequestEvent:
    return _record(
        request,
        RequestEventKind.REJECTED,
        actor=actor,
        data={"reason": request.reject_reason},
        at=at,
    )


def request_photo_added(request: Request, *, actor, photo_id: int, at=None) -> RequestEvent:
    return _record(
        request, RequestEventKind.PHOTO_ADDED, actor=actor, data={"photo": photo_id}, at=at
    )
