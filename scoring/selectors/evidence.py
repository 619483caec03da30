"""Evidence as the viewer may see it: their own records and those of units in their scope."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from casework.errors import NotFound
from casework.models import Membership, OrgUnit, User
from casework.selectors.scope import scope_for
from casework.workflow import SUPERVISORS
from scoring.models import (
    Commitment,
    DualRegistration,
    DualServiceRecord,
    Quarter,
    ServiceCardEntry,
    SupervisorEvaluation,
    Verification,
    VerificationDraw,
    VolunteerActivity,
    VolunteerTeam,
)
from scoring.selectors.rules import policy_get


def _get(qs: QuerySet, pk, what: str):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"No such {what}.", field=what) from None


def service_card_list(*, viewer, person: User | None = None) -> QuerySet[ServiceCardEntry]:
    scope = scope_for(viewer)
    qs = ServiceCardEntry.objects.filter(Q(person=viewer) | scope.units_q("unit__"))
    if person is not None:
        qs = qs.filter(person=person)
    return qs.select_related("person", "unit", "recorded_by").order_by("-occurred_on", "-pk")


def commitment_list(*, viewer, year: int | None = None) -> QuerySet[Commitment]:
    scope = scope_for(viewer)
    qs = Commitment.objects.filter(Q(person=viewer) | scope.units_q("unit__"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("person", "unit", "indicator").order_by("-year", "person__name", "pk")


def draw_list(*, viewer) -> QuerySet[VerificationDraw]:
    """Draws under the viewer's scope, and those where the viewer was drawn as an inspector."""
    scope = scope_for(viewer)
    inspected = Verification.objects.filter(inspector=viewer).values("draw_id")
    return (
        VerificationDraw.objects.filter(scope.units_q("unit__") | Q(pk__in=inspected))
        .select_related("unit", "drawn_by")
        .order_by("-drawn_at", "-pk")
    )


def draw_get(*, viewer, pk) -> VerificationDraw:
    checks = Verification.objects.select_related(
        "commitment__person", "commitment__indicator", "inspector", "recorded_by"
    ).order_by("commitment__person__name", "pk")
    return _get(
        draw_list(viewer=viewer).prefetch_related(
            Prefetch("verifications", queryset=checks, to_attr="checks")
        ),
        pk,
        "draw",
    )


def verification_get(*, viewer, pk) -> Verification:
    draws = draw_list(viewer=viewer)
    return _get(
        Verification.objects.filter(draw__in=draws).select_related("draw", "commitment"),
        pk,
        "verification",
    )


def dual_registration_list(*, viewer, year: int | None = None) -> QuerySet[DualRegistration]:
    scope = scope_for(viewer)
    qs = DualRegistration.objects.filter(Q(person=viewer) | scope.units_q("community__"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("person", "home_unit", "community").order_by(
        "-year", "community__path", "person__name", "pk"
    )


def dual_registration_get(*, viewer, pk) -> DualRegistration:
    records = DualServiceRecord.objects.select_related("recorded_by").order_by("-served_on", "-pk")
    return _get(
        dual_registration_list(viewer=viewer).prefetch_related(
            Prefetch("records", queryset=records, to_attr="services")
        ),
        pk,
        "registration",
    )


def team_list(*, viewer) -> QuerySet[VolunteerTeam]:
    scope = scope_for(viewer)
    mine = VolunteerTeam.objects.filter(Q(leader=viewer) | Q(members=viewer)).values("pk")
    return (
        VolunteerTeam.objects.filter(scope.units_q("unit__") | Q(pk__in=mine))
        .select_related("unit", "leader")
        .order_by("unit__path", "name", "pk")
    )


def team_get(*, viewer, pk) -> VolunteerTeam:
    activities = (
        VolunteerActivity.objects.select_related("organiser")
        .prefetch_related("participants")
        .order_by("-held_on", "-pk")
    )
    return _get(
        team_list(viewer=viewer).prefetch_related(
            "members", Prefetch("activities", queryset=activities[:100], to_attr="recent")
        ),
        pk,
        "team",
    )


def supervised_workers(*, viewer) -> QuerySet[User]:
    """The ranked workers the viewer supervises (for the quarterly evaluation), not themselves."""
    scope = scope_for(viewer)
    roles = policy_get().ranked_roles or []
    memberships = Membership.objects.filter(
        role__in=roles, unit__is_active=True, user__is_service_account=False
    )
    if not scope.everything:
        q = Q(pk__in=[])
        for path, role in scope.role_paths:
            if role in SUPERVISORS:
                q |= Q(unit__path__startswith=path)
        memberships = memberships.filter(q)
    return (
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(pk=viewer.pk)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role__in=roles).select_related("unit"),
                to_attr="ranked_memberships",
            )
        )
        .order_by("name", "username")
    )


def evaluation_sheet(
    *, viewer, quarter: Quarter
) -> list[tuple[User, SupervisorEvaluation | None]]:
    """Each worker the viewer supervises with their evaluation for ``quarter`` (if any)."""
    workers = list(supervised_workers(viewer=viewer))
    done = {
        e.person_id: e
        for e in SupervisorEvaluation.objects.filter(
            quarter=quarter, person__in=[w.pk for w in workers]
        ).select_related("evaluator")
    }
    return [(worker, done.get(worker.pk)) for worker in workers]


def places_for(*, viewer, kinds=None) -> QuerySet[OrgUnit]:
    """Units the viewer may pick as the place of a record."""
    scope = scope_for(viewer)
    qs = OrgUnit.objects.filter(scope.units_q(), is_active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")


def people_for(*, viewer) -> QuerySet[User]:
    """People the viewer may name in a record: themselves and anyone with a membership in
    scope."""
    scope = scope_for(viewer)
    in_scope = Membership.objects.filter(scope.units_q("unit__")).values("user_id")
    return User.objects.filter(Q(pk=viewer.pk) | Q(pk__in=in_scope), is_active=True).order_by(
        "name", "username"
    )


def is_supervisor(viewer) -> bool:
    scope = scope_for(viewer)
    return scope.everything or any(role in SUPERVISORS for _, role in scope.role_paths)
