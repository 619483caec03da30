"""Checks shared by the intake services."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.scope import scope_for
from casework.workflow import COLLECTORS, SUPERVISORS
from requests_app.models import Request, RequestStatus

#: Who may collect requests and act on them: the field roles, and supervisors and admins.
INTAKE_ROLES = (*COLLECTORS, *SUPERVISORS)
#: Where a request can be about.
REQUEST_PLACE_KINDS = (UnitKind.GRID, UnitKind.COMPOUND, UnitKind.BUILDING)
#: A tablet's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
#: How long a request may wait in an offline tablet's outbox and still be entered.
MAX_BACKDATE = timedelta(days=30)
#: How long after a visit it may still be recorded (from notes taken on paper).
MAX_VISIT_BACKDATE = timedelta(days=366)


def check_may_collect_at(actor, unit: OrgUnit, *, field: str = "unit") -> None:
    """The actor may collect at ``unit``; a unit outside their scope is unknown to them."""
    scope = scope_for(actor)
    if not scope.covers_path(unit.path):
        raise ValidationFailed(_("No such place."), field=field, code="does_not_exist")
    if not scope.has_role(*INTAKE_ROLES, path=unit.path):
        raise NotPermitted(_("You may not collect requests for this place."), field=field)


def check_may_act_on(actor, request) -> None:
    """The actor may act on ``request``: out of scope is a 404, in scope without a role a 403."""
    scope = scope_for(actor)
    if not scope.covers_path(request.unit.path):
        raise NotFound(_("No such request."))
    if not scope.has_role(*INTAKE_ROLES, path=request.unit.path):
        raise NotPermitted(_("You may not act on this request."))


def clean_past_time(
    value: datetime | None, *, field: str, oldest: timedelta | None = None
) -> datetime:
    """``value`` (now when ``None``), refused when in the future or older than ``oldest``."""
    now = timezone.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise ValidationFailed(_("This time is in the future."), field=field, code="future")
    if oldest is not None and value < now - oldest:
        raise ValidationFailed(
            _("This time is too long ago (at most %(days)d days).") % {"days": oldest.days},
            field=field,
            code="too_old",
        )
    return value


def lock_request(request: Request) -> Request:
    try:
        locked = (
            Request.objects.select_for_update()
            .select_related("unit", "category")
            .get(pk=request.pk)
        )
    except Request.DoesNotExist:
        raise NotFound(_("No such request.")) from None
    return locked


def check_collected(request: Request) -> None:
    if request.status != RequestStatus.COLLECTED:
        raise Conflict(
            _("This request has already been dealt with (%(status)s).")
            % {"status": RequestStatus(request.status).label},
            code="invalid_state",
            extra={"status": request.status},
        )
