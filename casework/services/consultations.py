"""Meetings (四方协商, 联席会议, 居民议事会, …): recording them, their topics (议题) and decisions.

A topic is about a case or not; settling a case's topic settles the case (the workflow's
``settle``, with its event on the case); a topic without a case has no case history to write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
    MeetingType,
    OrgUnit,
    ParticipantRole,
    UnitKind,
)
from casework.models.consultations import FOUR_PARTY
from casework.selectors.scope import scope_for
from casework.services.cases import case_settle
from casework.text import clean_text
from casework.workflow import SUPERVISORS

MEETING_PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND)


@dataclass(frozen=True)
class TopicInput:
    """A topic raised at a meeting: ``title`` (may be empty when ``case`` is given, which then
    titles it), and, when the meeting decided on it, ``decision`` and whether it ``resolves``
    (settles) the topic."""

    title: str = ""
    case: Case | None = None
    decision: str = ""
    resolves: bool = False


def meeting_type_for(value: MeetingType | str | None, *, field: str = "type") -> MeetingType:
    """The active meeting type ``value`` names (a type or its code); four-party by default."""
    code = value.code if isinstance(value, MeetingType) else (value or FOUR_PARTY)
    found = MeetingType.objects.filter(code=code, active=True).first()
    if found is None:
        raise ValidationFailed(_("No such meeting type."), field=field)
    return found


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
    type: MeetingType | str | None = None,
    topics: Iterable[TopicInput] = (),
) -> Meeting:
    """Record a meeting of ``type`` (four-party by default) held at ``unit``, with its
    participants ``(role, name)``, the ``cases`` on its agenda and the ``topics`` raised."""
    _require_supervisor(actor, unit)
    meeting_type = meeting_type_for(type)
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
        type=meeting_type,
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
    for topic in topics:
        try:
            meeting_add_topic(actor=actor, meeting=meeting, topic=topic)
        except ValidationFailed as refused:
            raise ValidationFailed(refused.message, field="topics", code=refused.code) from None
    return meeting


@transaction.atomic
def meeting_add_case(*, actor, meeting: Meeting, case: Case) -> AgendaItem:
    """Put a case of the meeting's place on its agenda."""
    _require_supervisor(actor, meeting.unit)
    if not case.unit.path.startswith(meeting.unit.path):
        raise ValidationFailed(_("That case is not about this place."), field="cases")
    if case.state in (CaseState.CLOSED, CaseState.CANCELLED):
        raise ValidationFailed(_("That case is already finished."), field="cases")
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting, case=case, defaults={"title": case.title[:120]}
    )
    return item


@transaction.atomic
def meeting_add_topic(*, actor, meeting: Meeting, topic: TopicInput) -> AgendaItem:
    """Add a topic raised at ``meeting``, about a case of its place or not, and the meeting's
    decision on it when there is one (settling a case's topic settles the case)."""
    _require_supervisor(actor, meeting.unit)
    case = topic.case
    title = clean_text(
        topic.title, field="title", limit=120, required=case is None, label=_("Topic")
    )
    if case is not None:
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise ValidationFailed(
                _("That case is already on this meeting's agenda."), field="case"
            )
        try:
            item = meeting_add_case(actor=actor, meeting=meeting, case=case)
        except ValidationFailed as refused:
            raise ValidationFailed(refused.message, field="case", code=refused.code) from None
        if title:
            item.title = title
            item.save(update_fields=["title"])
    else:
        item = AgendaItem.objects.create(meeting=meeting, title=title)
    if topic.resolves or topic.decision:
        item = meeting_decide(
            actor=actor, item=item, decision=topic.decision, resolves=topic.resolves
        )
    return item


@transaction.atomic
def meeting_decide(
    *, actor, item: AgendaItem, decision: str, resolves: bool, version: int | None = None
) -> AgendaItem:
    """Record the meeting's decision on one topic; ``resolves`` settles it. On a case's topic the
    decision is an event on the case, and settling it settles the case."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__unit").get(pk=item.pk)
    _require_supervisor(actor, item.meeting.unit)
    decision = clean_text(
        decision, field="decision", limit=4000, required=True, label=_("Decision")
    )
    if item.decided_at:
        raise ValidationFailed(_("This item was already decided."), field="decision")
    # A topic without a case has no case history to write.
    if item.case_id is not None and resolves:
        case_settle(
            case=item.case_id,
            actor=actor,
            result=decision,
            meeting_id=item.meeting_id,
            version=version,
        )
    elif item.case_id is not None:
        case = Case.objects.select_for_update().get(pk=item.case_id)
        events.consultation_decided(
            case, actor=actor, meeting_id=item.meeting_id, decision=decision
        )
    item.decision = decision
    item.resolved = resolves
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "resolved", "decided_at"])
    return item
