"""Org units and people, as the viewer may see them."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import Membership, OrgUnit, User
from casework.selectors.scope import scope_for


def unit_list(
    *,
    viewer,
    kind: str | None = None,
    parent: OrgUnit | None = None,
    within: OrgUnit | None = None,
) -> QuerySet[OrgUnit]:
    """Units in the viewer's scope, optionally of one kind, under one parent or one subtree."""
    scope = scope_for(viewer)
    qs = OrgUnit.objects.filter(scope.units_q())
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.order_by("path")


def unit_get(*, viewer, pk) -> OrgUnit:
    """The unit ``pk`` if the viewer may see it; ``NotFound`` otherwise (never a 403 leak)."""
    try:
        return unit_list(viewer=viewer).get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such unit."), field="unit") from None


def unit_ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit's ancestors from the root down, in one query."""
    step = OrgUnit.steplen
    prefixes = [unit.path[:i] for i in range(step, len(unit.path), step)]
    return OrgUnit.objects.filter(path__in=prefixes).order_by("path")


def person_list(*, viewer, role: str | None = None, unit: OrgUnit | None = None) -> QuerySet[User]:
    """People with a membership in the viewer's scope; only those memberships are shown."""
    scope = scope_for(viewer)
    memberships = Membership.objects.filter(scope.units_q("unit__")).select_related("unit")
    if role:
        memberships = memberships.filter(role=role)
    if unit is not None:
        memberships = memberships.filter(unit__path__startswith=unit.path)
    return (
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(scope.units_q("unit__"))
                .select_related("unit")
                .order_by("unit__path", "role"),
                to_attr="visible_memberships",
            )
        )
        .order_by("username")
    )


#: A compound's path is six levels long: city, county, town, community, grid, compound.
COMPOUND_PATH_LEN = 6 * OrgUnit.steplen


def compound_name(path_field: str) -> Subquery:
    """Annotation: the name of the compound a place lies in (a building alone, "2栋", says
    little). One correlated subquery in the list's own SQL, not a query per row."""
    return Subquery(
        OrgUnit.objects.filter(
            path=Substr(OuterRef(path_field), 1, COMPOUND_PATH_LEN), kind="compound"
        ).values("name")[:1]
    )
