"""Recording evidence that is not a case: service cards, dual registration, volunteer teams and
activities, supervisors' evaluations. (Pledges are in ``pledges``, the intake in ``intake``.)

Every record is dated; a record dated in a published quarter is refused (the quarter is frozen)
and one dated in a computed quarter flags it as changed, so nobody publishes stale results.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import OrgUnit, UnitKind, User
from casework.text import clean_text
from scoring.access import check_past_date, require_supervisor_over, supervises_person
from scoring.models import (
    DualRegistration,
    DualServiceRecord,
    Grade,
    Quarter,
    QuarterStatus,
    ServiceCardEntry,
    ServiceCardKind,
    SupervisorEvaluation,
    VolunteerActivity,
    VolunteerTeam,
)
from scoring.services.common import require_self_or_supervisor, touch_quarter_of

# --- Service card (党员服务登记卡) ------------------------------------------------------------


@transaction.atomic
def service_card_record(
    *,
    actor,
    person,
    unit: OrgUnit,
    kind: str,
    occurred_on: date,
    title: str,
    description: str = "",
) -> ServiceCardEntry:
    """Log a line of ``person``'s service card at ``unit``.

    Routine work is logged once a week (the week of ``occurred_on``, Monday first), special work
    per event, key work per activity.
    """
    if kind not in ServiceCardKind.values:
        raise ValidationFailed(_("Unknown kind of service card entry."), field="kind")
    require_self_or_supervisor(actor, person, unit)
    check_past_date(occurred_on, field="occurred_on")
    title = clean_text(title, field="title", limit=120, required=True, label=_("What was done"))
    description = clean_text(description, field="description", limit=2000, label=_("Details"))
    week_start = occurred_on - timedelta(days=occurred_on.weekday())
    touch_quarter_of(occurred_on, field="occurred_on")
    try:
        with transaction.atomic():
            return ServiceCardEntry.objects.create(
                person=person,
                unit=unit,
                kind=kind,
                occurred_on=occurred_on,
                week_start=week_start,
                title=title,
                description=description,
                recorded_by=actor,
            )
    except IntegrityError:
        # The database keeps one routine entry a week (also when two tablets log at once).
        raise ValidationFailed(
            _("Routine work is logged once a week, and this week is already logged."),
            field="occurred_on",
        ) from None


# --- Dual registration (双报到) ---------------------------------------------------------------


@transaction.atomic
def dual_registration_create(
    *,
    actor,
    person,
    home_unit: OrgUnit,
    community: OrgUnit,
    registered_on: date,
) -> DualRegistration:
    """Register an in-service party member of ``home_unit`` with ``community`` for the year of
    ``registered_on``. By a supervisor or admin over the community."""
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationFailed(_("Members register with a community."), field="community")
    require_supervisor_over(actor, community.path, field="community")
    check_past_date(registered_on, field="registered_on")
    if home_unit.path.startswith(community.path):
        raise ValidationFailed(
            _("Dual registration is for members who work outside the community."),
            field="home_unit",
        )
    year = registered_on.year
    if DualRegistration.objects.filter(person=person, community=community, year=year).exists():
        raise ValidationFailed(
            _("This member is already registered with this community this year."),
            field="person",
        )
    return DualRegistration.objects.create(
        person=person,
        home_unit=home_unit,
        community=community,
        year=year,
        registered_on=registered_on,
        registered_by=actor,
    )


@transaction.atomic
def dual_service_record(
    *,
    actor,
    registration: DualRegistration,
    served_on: date,
    hours,
    description: str,
) -> DualServiceRecord:
    """Record hours of service a registered member gave in the community, by the member or a
    supervisor over the community."""
    if actor.pk != registration.person_id:
        require_supervisor_over(actor, registration.community.path, field="registration")
    check_past_date(served_on, field="served_on")
    if served_on < registration.registered_on or served_on.year != registration.year:
        raise ValidationFailed(
            _("The service must fall within the year of the registration."), field="served_on"
        )
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Give the hours as a number."), field="hours") from None
    if not Decimal(0) < hours <= Decimal(24):
        raise ValidationFailed(_("Between 0.1 and 24 hours in a day."), field="hours")
    description = clean_text(
        description, field="description", limit=200, required=True, label=_("What was done")
    )
    touch_quarter_of(served_on, field="served_on")
    return DualServiceRecord.objects.create(
        registration=registration,
        served_on=served_on,
        hours=hours,
        description=description,
        recorded_by=actor,
    )


# --- Volunteer teams and activities -----------------------------------------------------------


@transaction.atomic
def volunteer_team_create(
    *, actor, name: str, unit: OrgUnit, leader=None, members: Iterable[User] = ()
) -> VolunteerTeam:
    """Set up a volunteer team serving ``unit`` (a community or below)."""
    if unit.kind not in (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND):
        raise ValidationFailed(_("A team serves a community, a grid or a compound."), field="unit")
    require_supervisor_over(actor, unit.path, field="unit")
    name = clean_text(name, field="name", limit=100, required=True, label=_("Team name"))
    team = VolunteerTeam.objects.create(name=name, unit=unit, leader=leader, created_by=actor)
    people = {person.pk for person in members} | ({leader.pk} if leader else set())
    team.members.set(people)
    return team


@transaction.atomic
def volunteer_activity_record(
    *,
    actor,
    team: VolunteerTeam,
    title: str,
    held_on: date,
    place: str,
    people_served: int,
    participants: Iterable[User],
    organiser=None,
) -> VolunteerActivity:
    """Record an activity the team held: date, place, who took part, how many were served.

    By the team's leader or a supervisor over the team's unit.
    """
    if actor.pk != team.leader_id:
        require_supervisor_over(actor, team.unit.path, field="team")
    if not team.is_active:
        raise ValidationFailed(_("This team is no longer active."), field="team")
    check_past_date(held_on, field="held_on")
    title = clean_text(title, field="title", limit=120, required=True, label=_("Activity"))
    place = clean_text(place, field="place", limit=120, required=True, label=_("Place"))
    if people_served is None or not 0 <= int(people_served) <= 100_000:
        raise ValidationFailed(_("Give the number of people served."), field="people_served")
    people = {person.pk for person in participants}
    if not people:
        raise ValidationFailed(_("Name at least one participant."), field="participants")
    touch_quarter_of(held_on, field="held_on")
    activity = VolunteerActivity.objects.create(
        team=team,
        title=title,
        held_on=held_on,
        place=place,
        people_served=int(people_served),
        organiser=organiser,
        recorded_by=actor,
    )
    activity.participants.set(people)
    return activity


# --- Supervisors' evaluations (双向考评) -------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *, actor, quarter: Quarter, person, grade: str, note: str = "", now: datetime | None = None
) -> SupervisorEvaluation:
    """Record (or change) a supervisor's evaluation of ``person`` for ``quarter``.

    By a supervisor or admin over a unit the person belongs to, never of oneself; refused once
    the quarter is published or before it has started.
    """
    if grade not in Grade.values:
        raise ValidationFailed(_("Choose a grade."), field="grade")
    note = clean_text(note, field="note", limit=2000, label=_("Comment"))
    if actor.pk == person.pk:
        raise NotPermitted(_("Nobody evaluates themselves."), field="person")
    if not supervises_person(actor, person):
        raise NotPermitted(_("You do not supervise this person."), field="person")
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if quarter.status == QuarterStatus.PUBLISHED:
        raise Conflict(
            _("Quarter %(quarter)s is published; its evidence can no longer change.")
            % {"quarter": quarter.code},
            code="quarter_published",
            field="quarter",
        )
    if (now or timezone.now()) < quarter.starts_at:
        raise ValidationFailed(_("This quarter has not started yet."), field="quarter")
    evaluation, _created = SupervisorEvaluation.objects.update_or_create(
        quarter=quarter,
        person=person,
        defaults={"grade": grade, "note": note, "evaluator": actor},
    )
    if quarter.status == QuarterStatus.COMPUTED and not quarter.stale:
        quarter.stale = True
        quarter.save(update_fields=["stale"])
    return evaluation
