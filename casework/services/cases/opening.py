"""Opening a case (协助办理), and duplicates joining it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casework import events
from casework.errors import NotPermitted, ValidationFailed
from casework.models import Case, CaseState, Category, OrgUnit, Urgency
from casework.models.org import UnitKind
from casework.selectors.scope import scope_for
from casework.services.cases._core import lock, text
from casework.workflow import COLLECTORS, SUPERVISORS

#: Places a case can be about: the community level and below.
CASE_PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND, UnitKind.BUILDING)


@transaction.atomic
def case_open(
    *,
    actor,
    category: Category,
    unit: OrgUnit,
    title: str,
    description: str = "",
    urgency: str = Urgency.NORMAL,
    request_id: int | None = None,
    channel: str | None = None,
) -> Case:
    """Open a case about ``unit`` (协助办理): state ``new``, waiting for a supervisor to assign it.

    The actor must collect requests or supervise over ``unit``. ``request_id`` and ``channel``
    name the request it comes from, if any. Writes an ``opened`` event.
    """
    scope = scope_for(actor)
    if not scope.has_role(*COLLECTORS, *SUPERVISORS, path=unit.path):
        raise NotPermitted(_("You may not open a case for this place."), field="unit")
    if unit.kind not in CASE_PLACE_KINDS:
        raise ValidationFailed(
            _("A case is about a community, grid, compound or building."), field="unit"
        )
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Unknown urgency."), field="urgency")
    if not category.is_active:
        raise ValidationFailed(_("This category is no longer in use."), field="category")
    title = text(title, field="title", required=True, limit=120)
    description = text(description, field="description")
    case = Case.objects.create(
        category=category,
        unit=unit,
        urgency=urgency,
        title=title,
        description=description,
        created_by=actor,
    )
    events.case_opened(case, actor=actor, request_id=request_id, channel=channel)
    return case


@transaction.atomic
def case_request_merged(*, case: Case, actor, request_id: int) -> None:
    """Record on ``case`` that a duplicate request joined it (the request points at the case)."""
    case = lock(case, version=None)
    if case.state in (CaseState.CLOSED, CaseState.CANCELLED):
        raise ValidationFailed(
            _("A request can only join a case that is still open."), field="case"
        )
    events.request_merged(case, actor=actor, request_id=request_id)
