"""Recording visits (走访) by 民情书记 and grid workers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.dashboard import events_changed
from casework.selectors.scope import scope_for
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from requests_app.models import Visit, VisitKind
from requests_app.services._common import (
    INTAKE_ROLES,
    MAX_VISIT_BACKDATE,
    check_may_collect_at,
    clean_past_time,
)

VISIT_PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND)


@transaction.atomic
def visit_create(
    *,
    actor,
    unit: OrgUnit,
    visited_at: datetime | None = None,
    visitor=None,
    kind: str = VisitKind.SECRETARY,
    note: str = "",
) -> Visit:
    """Record a visit to a community, grid or compound.

    The visitor (the actor unless given) must collect or supervise over ``unit``; recording a
    visit for someone else takes a supervisor or admin over ``unit``. ``visited_at`` may not be
    in the future, nor more than ``MAX_VISIT_BACKDATE`` ago.
    """
    if kind not in VisitKind.values:
        raise ValidationFailed(_("Unknown kind of visit."), field="kind", code="invalid_choice")
    if unit.kind not in VISIT_PLACE_KINDS:
        raise ValidationFailed(_("A visit goes to a community, grid or compound."), field="unit")
    check_may_collect_at(actor, unit)
    visitor = visitor or actor
    if visitor.pk != actor.pk:
        if not scope_for(actor).has_role(*SUPERVISORS, path=unit.path):
            raise NotPermitted(
                _("Only a supervisor records a visit for someone else."), field="visitor"
            )
        if not scope_for(visitor).has_role(*INTAKE_ROLES, path=unit.path):
            raise ValidationFailed(
                _("This person does not collect requests there."), field="visitor"
            )
    # The dashboard's cached figures count visits: refresh them once committed.
    transaction.on_commit(events_changed)
    return Visit.objects.create(
        kind=kind,
        visitor=visitor,
        unit=unit,
        visited_at=clean_past_time(visited_at, field="visited_at", oldest=MAX_VISIT_BACKDATE),
        note=clean_text(note, field="note", limit=2000, label=_("Note")),
        created_by=actor,
    )
