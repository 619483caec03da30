"""Nomination rounds, candidates, awards and the honour roll, as the viewer may see them.

A round belongs to its county: the people of that county see it (those over it, in it or in a
unit below it: a town supervisor nominates there, a worker reads the roll). Candidates are cut
to the viewer's scope, except that the county sees them all and a worker sees their own. The
honour roll of a county and year lists every award of it to anyone of the county: it is the
public praise of named staff, with no resident in it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import OrgUnit, UnitKind
from casework.selectors.scope import scope_for
from scoring.models import Award, HonourAction, Nomination, NominationRound


def _related_county_q(viewer, prefix: str = "") -> Q:
    """Counties in the viewer's scope, or above a unit of theirs."""
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    step = OrgUnit.steplen
    above = {path[:end] for path in scope.paths for end in range(step, len(path) + 1, step)}
    return scope.units_q(prefix) | Q(**{f"{prefix}path__in": sorted(above)})


def county_visible(*, viewer, county_id) -> OrgUnit:
    """The county if it is the viewer's (in or over their scope); ``NotFound`` otherwise."""
    try:
        county = (
            OrgUnit.objects.filter(kind=UnitKind.COUNTY)
            .filter(_related_county_q(viewer))
            .get(pk=county_id)
        )
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such county."), field="county") from None
    return county


def counties_for(*, viewer) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(kind=UnitKind.COUNTY)
        .filter(_related_county_q(viewer))
        .order_by("path")
    )


def round_list(*, viewer) -> QuerySet[NominationRound]:
    return (
        NominationRound.objects.filter(_related_county_q(viewer, "county__"))
        .select_related("county", "opened_by")
        .order_by("-year", "county__path", "title", "pk")
    )


def round_get(*, viewer, pk) -> NominationRound:
    try:
        return round_list(viewer=viewer).get(pk=pk)
    except (NominationRound.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such nomination round."), field="round") from None


def nomination_list(*, viewer, round: NominationRound) -> QuerySet[Nomination]:
    """The round's candidates the viewer may see, the highest cumulative points first."""
    scope = scope_for(viewer)
    qs = Nomination.objects.filter(round=round)
    if not scope.covers_path(round.county.path):
        qs = qs.filter(scope.units_q("unit__") | Q(person=viewer))
    return qs.select_related(
        "person", "unit", "community", "nominated_by", "decided_by", "award"
    ).order_by("-cumulative_total", "person__name", "pk")


def nomination_get(*, viewer, pk) -> Nomination:
    scope = scope_for(viewer)
    qs = Nomination.objects.filter(round__in=round_list(viewer=viewer)).filter(
        scope.units_q("unit__") | Q(person=viewer)
    )
    try:
        return qs.select_related("round", "round__county", "person").get(pk=pk)
    except (Nomination.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such candidate."), field="nomination") from None


def round_actions(*, round: NominationRound) -> QuerySet[HonourAction]:
    return round.actions.select_related("actor", "nomination__person").order_by("-at", "-id")


def honour_roll(*, county: OrgUnit, year: int) -> list[Award]:
    """Every award of ``county`` in ``year``, in certificate order (not scoped: for the
    quarterly report, which the caller has scoped to the county already)."""
    return list(
        Award.objects.filter(county=county, year=year)
        .select_related("person", "unit", "community", "county")
        .order_by("certificate_number", "pk")
    )


def honour_rolls(*, counties: list[OrgUnit], year: int) -> dict[int, list[Award]]:
    """``honour_roll`` of several counties in one query, by county id."""
    rolls: dict[int, list[Award]] = {county.pk: [] for county in counties}
    for award in (
        Award.objects.filter(county__in=counties, year=year)
        .select_related("person", "unit", "community", "county")
        .order_by("county_id", "certificate_number", "pk")
    ):
        rolls[award.county_id].append(award)
    return rolls


def award_get(*, viewer, pk) -> Award:
    """An award for its worker and the people over them or of their county's round."""
    scope = scope_for(viewer)
    qs = Award.objects.filter(Q(person=viewer) | scope.units_q("unit__"))
    try:
        return qs.select_related("person", "unit", "community", "county").get(pk=pk)
    except (Award.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such award."), field="award") from None
