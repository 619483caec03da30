"""Showing a resident's phone or ID number in full: a privilege of named roles, with a reason,
throttled, and always recorded.

A reveal (查看完整信息) is allowed to the roles in ``REVEAL_ROLES`` over the place concerned, with
a reason, at most ``MINQING_REVEAL_LIMIT`` times in ``MINQING_REVEAL_WINDOW_MINUTES`` per person.
The reveal that reaches the limit tells the administrators over the person's units (an inbox
notification); any further one in the window is refused with ``Throttled`` (429).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, Throttled, ValidationFailed
from casework.models import Membership, NotificationKind, OrgUnit, Role, User
from casework.selectors.scope import scope_for
from casework.services.notifications import notify
from casework.text import clean_text
from requests_app.models import PersonalDataAccess, PersonalField, Request, Resident
from requests_app.personal import decrypt
from requests_app.selectors import request_get, resident_get

#: Who may show a number in full: not volunteers, not handlers (who call through the case).
REVEAL_ROLES = (Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.SUPERVISOR, Role.ADMIN)
REASON_MAX = 200


def reveal_limit() -> int:
    """How many numbers one person may show in full within ``reveal_window()``."""
    return getattr(settings, "MINQING_REVEAL_LIMIT", 20)


def reveal_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "MINQING_REVEAL_WINDOW_MINUTES", 10))


@transaction.atomic
def resident_phone_reveal(
    *, actor, resident: Resident, request: Request | None = None, reason: str = ""
) -> str:
    """Return the resident's full phone and record who saw it, why (and from which request).

    The resident must be visible to the actor (``NotFound`` otherwise), through a place where
    the actor holds a revealing role (``NotPermitted``); ``reason`` is required; over the limit,
    ``Throttled``. Nothing is recorded when refused.
    """
    resident = resident_get(viewer=actor, pk=resident.pk)
    _check_role(actor, _resident_places(resident, request))
    reason = _clean_reason(reason)
    if not resident.phone:
        raise ValidationFailed(_("No phone is recorded."), field="phone", code="empty")
    _record(actor, PersonalField.PHONE, resident=resident, request=request, reason=reason)
    return resident.phone


@transaction.atomic
def request_id_number_reveal(*, actor, request: Request, reason: str = "") -> str:
    """Return the request's ID number decrypted, and record who saw it and why.

    Same preconditions as ``resident_phone_reveal``, over the request's place.
    """
    request = request_get(viewer=actor, pk=request.pk)
    _check_role(actor, [request.unit.path])
    reason = _clean_reason(reason)
    if not request.id_number_encrypted:
        raise ValidationFailed(_("No ID number is recorded."), field="id_number", code="empty")
    clear = decrypt(request.id_number_encrypted)
    _record(
        actor, PersonalField.ID_NUMBER, resident=request.resident, request=request, reason=reason
    )
    return clear


def _resident_places(resident: Resident, request: Request | None) -> list[str]:
    """The paths of the places the resident belongs to: their home and their requests'."""
    if request is not None:
        return [request.unit.path]
    paths = set(resident.requests.values_list("unit__path", flat=True))
    if resident.unit_id:
        paths.add(resident.unit.path)
    return sorted(paths)


def _check_role(actor, paths: list[str]) -> None:
    scope = scope_for(actor)
    if not any(scope.has_role(*REVEAL_ROLES, path=path) for path in paths):
        raise NotPermitted(
            _("Your role may not show phone or ID numbers in full."), code="may_not_reveal"
        )


def _clean_reason(reason: str) -> str:
    return clean_text(
        reason, field="reason", limit=REASON_MAX, required=True, label=_("Reason for showing")
    )


def _record(actor, field: str, *, resident, request, reason: str) -> None:
    """Count the actor's recent reveals (their user row locked, so two at once count right),
    refuse over the limit, record this one, and tell the admins when it reaches the limit."""
    User.objects.select_for_update().filter(pk=actor.pk).values_list("pk").first()
    limit, window = reveal_limit(), reveal_window()
    since = timezone.now() - window
    recent = PersonalDataAccess.objects.filter(actor=actor, created_at__gte=since).count()
    if recent >= limit:
        minutes = int(window.total_seconds() // 60)
        raise Throttled(
            _(
                "You have shown %(n)d numbers in full in the last %(minutes)d minutes, the most "
                "allowed. Try again later; the administrators have been told."
            )
            % {"n": recent, "minutes": minutes},
            extra={"limit": limit, "window_minutes": minutes},
        )
    PersonalDataAccess.objects.create(
        actor=actor, field=field, resident=resident, request=request, reason=reason
    )
    if recent + 1 == limit:
        _alert_admins(actor, count=limit, minutes=int(window.total_seconds() // 60))


def _alert_admins(actor, *, count: int, minutes: int) -> None:
    """An inbox notification to the administrators over the actor's units (the superusers
    when there are none), about a burst of reveals."""
    scope = scope_for(actor)
    unit_paths = [path for path, _role in scope.role_paths]
    over = Q(pk__in=[])
    step = OrgUnit.steplen
    ancestors = {p[:i] for p in unit_paths for i in range(step, len(p) + 1, step)}
    if ancestors:
        over = Q(unit__path__in=ancestors)
    admins = set(
        Membership.objects.filter(
            over, role=Role.ADMIN, unit__is_active=True, user__is_active=True
        )
        .exclude(user=actor)
        .values_list("user_id", flat=True)
    )
    if not admins:
        admins = set(
            User.objects.filter(is_superuser=True, is_active=True)
            .exclude(pk=actor.pk)
            .values_list("pk", flat=True)
        )
    name = actor.get_full_name() or actor.get_username()
    notify(
        user_ids=admins,
        kind=NotificationKind.REVEAL_BURST,
        text=_("%(name)s showed %(n)d phone or ID numbers in full within %(minutes)d minutes.")
        % {"name": name, "n": count, "minutes": minutes},
    )
