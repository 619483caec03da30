"""Four-party consultations (四方协商): recording meetings and their decisions on cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.errors import NotPermitted, ValidationFailed
from casework.models import (
    AgendaItem,
    Case,
    CaseState,
    Meeting,
    MeetingParticipant,
    OrgUnit,
    ParticipantRole,
    UnitKind,
)
from casework.selectors.scope import scope_for
from casework.services.cases import case_settle
from casework.text import clean_text
from casework.workflow import SUPERVISORS

MEETING_PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND)


def _require_supervisor(actor, unit: OrgUnit) -> None:
    if not scope_for(actor).has_role(*SUPERVISORS, path=unit.path):
        raise NotPermitted(_("Only a supervisor of this place may record its consultations."))


@transaction.atomic
def meeting_create(
    *,
    actor,
    unit: OrgUnit,
    held_at: datetime,
    place: str,
    topic: str,
    participants: Iterable[tuple[str, str]],
    cases: Iterable[Case] = (),
    minutes: str = "",
) -> Meeting:
    """Record a consultation held at ``unit`` with its participants ``(role, name)`` and agenda."""
    _require_supervisor(actor, unit)
    if unit.kind not in MEETING_PLACE_KINDS:
        raise ValidationFailed(
            _("A consultation is held for a community, grid or compound."), field="unit"
        )
    topic = clean_text(topic, field="topic", limit=120, required=True, label=_("Topic"))
    place = clean_text(place, field="place", limit=120, required=True, label=_("Place"))
    minutes = clean_text(minutes, field="minutes", limit=10000, label=_("Minutes"))
    if held_at > timezone.now():
        raise ValidationFailed(_("Record a meeting after it is held."), field="held_at")
    rows = [
        (role, clean_text(name, field="participants", limit=64, label=_("Participants")))
        for role, name in participants
    ]
    if not rows:
        raise ValidationFailed(_("List who took part."), field="participants")
    for role, name in rows:
        if role not in ParticipantRole.values:
            raise ValidationFailed(_("Unknown party."), field="participants")
        if not name:
            raise ValidationFailed(_("Each participant needs a name."), field="participants")
    meeting = Meeting.objects.create(
        unit=unit,
        held_at=held_at,
        place=place,
        topic=topic,
        minutes=minutes,
        created_by=actor,
    )
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=meeting, role=role, name=name) for role, name in rows
    )
    for case in cases:
        meeting_add_case(actor=actor, meeting=meeting, case=case)
    return meeting


@transaction.atomic
def meeting_add_case(*, actor, meeting: Meeting, case: Case) -> AgendaItem:
    """Put a case of the meeting's place on its agenda."""
    _require_supervisor(actor, meeting.unit)
    if not case.unit.path.startswith(meeting.unit.path):
        raise ValidationFailed(_("That case is not about this place."), field="cases")
    if case.state in (CaseState.CLOSED, CaseState.CANCELLED):
        raise ValidationFailed(_("That case is already finished."), field="cases")
    item, _created = AgendaItem.objects.get_or_create(meeting=meeting, case=case)
    return item


@transaction.atomic
def meeting_decide(
    *, actor, item: AgendaItem, decision: str, resolves: bool, version: int | None = None
) -> AgendaItem:
    """Record the meeting's decision on one case: an event on the case; it may resolve it."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__unit").get(pk=item.pk)
    _require_supervisor(actor, item.meeting.unit)
    decision = clean_text(
        decision, field="decision", limit=4000, required=True, label=_("Decision")
    )
    if item.decided_at:
        raise ValidationFailed(_("This item was already decided."), field="decision")
    if resolves:
        case_settle(
            case=item.case_id,
            actor=actor,
            result=decision,
            meeting_id=item.meeting_id,
            version=version,
        )
    else:
        case = Case.objects.select_for_update().get(pk=item.case_id)
        events.consultation_decided(
            case, actor=actor, meeting_id=item.meeting_id, decision=decision
        )
    item.decision = decision
    item.resolved = resolves
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "resolved", "decided_at"])
    return item
