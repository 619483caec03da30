"""Cases as the viewer may see them, the supervisor's queues, and one case's history."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    CaseState,
    CoHandling,
    OrgUnit,
    Role,
    User,
)
from casework.models.org import HANDLING_KINDS, UnitKind
from casework.selectors.org import compound_name
from casework.selectors.scope import Scope, scope_for

#: Queues a supervisor works from, in the order the page shows them.
QUEUES = ("new", "due_soon", "overdue", "awaiting_feedback", "reopened", "parked")
WORKING_STATES = (CaseState.ASSIGNED, CaseState.IN_PROGRESS, CaseState.REOPENED)


def case_scope_q(scope: Scope) -> Q:
    """Cases about a place in scope, owned by or shared with a unit in scope, or handled by me."""
    if scope.everything:
        return Q()
    q = Q(handler_id=scope.user_id) if scope.user_id else Q(pk__in=[])
    if scope.paths:
        q |= scope.units_q("unit__") | scope.units_q("owner_unit__")
        shared = CoHandling.objects.filter(case_id=OuterRef("pk")).filter(scope.units_q("unit__"))
        q |= Q(Exists(shared))
    return q


def _reverse_prefetches() -> list[str]:
    """Relations other apps hang on Case (``Request.case`` → ``requests``), if installed."""
    names = {rel.get_accessor_name() for rel in Case._meta.related_objects}
    return [name for name in ("requests",) if name in names]


def queue_q(name: str, *, now: datetime) -> Q:
    """The filter of one queue at ``now``."""
    if name == "new":
        return Q(state=CaseState.NEW)
    if name == "due_soon":
        return Q(state__in=WORKING_STATES, due_soon_at__lte=now, due_at__gt=now)
    if name == "overdue":
        return Q(state__in=WORKING_STATES, due_at__lte=now)
    if name == "awaiting_feedback":
        return Q(state=CaseState.RESOLVED)
    if name == "reopened":
        return Q(state=CaseState.REOPENED)
    if name == "parked":
        return Q(state=CaseState.PARKED)
    raise ValueError(name)


def case_list(
    *,
    viewer,
    state: str | None = None,
    queue: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Case]:
    """Cases the viewer may see, newest first, with what a list row shows already joined."""
    qs = (
        Case.objects.filter(case_scope_q(scope_for(viewer)))
        .select_related("category", "category__parent", "unit", "owner_unit", "handler")
        .prefetch_related("co_handlers", "co_handling__unit", "extensions", *_reverse_prefetches())
        .annotate(compound_name=compound_name("unit__path"))
    )
    if state:
        qs = qs.filter(state=state)
    if queue:
        qs = qs.filter(queue_q(queue, now=now or timezone.now()))
    return qs.order_by("-created_at", "-id")


def case_get(*, viewer, pk) -> Case:
    """The case ``pk`` if the viewer may see it, else ``NotFound``."""
    try:
        return case_list(viewer=viewer).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such case."), field="case") from None


def case_in_scope(*, viewer, pk) -> Case:
    """The bare case ``pk`` if the viewer may see it, else ``NotFound``: for reads of one of its
    parts (history, photos) that need none of a list's joins."""
    try:
        return Case.objects.filter(case_scope_q(scope_for(viewer))).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such case."), field="case") from None


def case_visible(*, viewer, pk) -> bool:
    """Whether the viewer may see case ``pk`` (one query, no joins)."""
    return Case.objects.filter(case_scope_q(scope_for(viewer)), pk=pk).exists()


def case_after_action(*, viewer, pk) -> Case:
    """The case as an action left it: with the list's joins while the actor still sees it;
    otherwise bare (a handler who returned it), so the answer still says where it went."""
    found = case_list(viewer=viewer).filter(pk=pk).first()
    if found is not None:
        return found
    return Case.objects.select_related("category", "unit", "owner_unit", "handler").get(pk=pk)


def case_photos(*, case: Case) -> QuerySet[CasePhoto]:
    """The case's photos, oldest first, with who added them."""
    return case.photos.select_related("added_by").order_by("added_at", "id")


def queue_counts(*, viewer, now: datetime | None = None) -> dict[str, int]:
    """How many cases each queue holds for the viewer, in one query."""
    now = now or timezone.now()
    qs = Case.objects.filter(
        case_scope_q(scope_for(viewer)), state__in=[*OPEN_STATES, "resolved", "parked"]
    )
    return qs.aggregate(**{name: Count("pk", filter=queue_q(name, now=now)) for name in QUEUES})


def my_cases(*, viewer) -> QuerySet[Case]:
    """The handler's own worklist: assigned to them, or to their unit with nobody named yet, or
    with a co-handling part (协办) of their unit still to report."""
    scope = scope_for(viewer)
    units_q = Q(handler__isnull=True, owner_unit_id__in=scope.unit_ids)
    open_part = CoHandling.objects.filter(
        case_id=OuterRef("pk"), unit_id__in=scope.unit_ids, done_at__isnull=True
    )
    return (
        case_list(viewer=viewer)
        .filter(Q(handler=viewer) | units_q | Q(Exists(open_part)))
        .filter(state__in=WORKING_STATES)
        .order_by("due_at", "id")
    )


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def _chain(unit) -> list[str]:
    """The paths of ``unit`` and every place above it, top first."""
    step = OrgUnit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def dispatch_units(case: Case) -> QuerySet[OrgUnit]:
    """Units a case about ``case.unit`` may be assigned or transferred to.

    The places above it (a community, town or county backstops, 兜底) and the handling units
    attached to any of those places or to the case's own place (a department, the property
    company, an owners' committee, a town's or county's service desk).
    """
    step = OrgUnit.steplen
    chain = _chain(case.unit)
    q = Q(path__in=chain, kind__in=[UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY])
    for path in chain:
        q |= Q(path__startswith=path, depth=len(path) // step + 1, kind__in=HANDLING_KINDS)
    return OrgUnit.objects.filter(q, is_active=True).order_by("path")


def dispatch_handlers(units) -> QuerySet[User]:
    """People who handle cases for any of ``units``."""
    return User.objects.filter(
        memberships__role=Role.HANDLER, memberships__unit__in=units, is_active=True
    ).distinct()


#: The levels a case can be sent up to (兜底), nearest first.
DESK_LEVELS = (UnitKind.TOWN, UnitKind.COUNTY)


def desk_rows() -> list[tuple[str, str, OrgUnit]]:
    """Every active service desk as ``(parent's path, parent's kind, desk)``, by path: one query
    (a county has a desk per town and one of its own — dozens of rows, not thousands)."""
    step = OrgUnit.steplen
    desks = list(OrgUnit.objects.filter(kind=UnitKind.DESK, is_active=True).order_by("path"))
    kinds = (
        dict(
            OrgUnit.objects.filter(path__in={d.path[:-step] for d in desks}).values_list(
                "path", "kind"
            )
        )
        if desks
        else {}
    )
    return [(d.path[:-step], kinds.get(d.path[:-step], ""), d) for d in desks]


def desks_above(case: Case, rows: list[tuple[str, str, OrgUnit]] | None = None) -> dict:
    """The service desks (网格化服务管理中心 / 综治中心) of the town and county above the case's
    place, by level; a level without an active desk is left out. ``rows`` are
    :func:`desk_rows`, read once for a list of cases; two queries when not given."""
    place = case.unit.path
    desks: dict[str, OrgUnit] = {}
    for parent, kind, desk in desk_rows() if rows is None else rows:
        if kind in DESK_LEVELS and place.startswith(parent):
            desks.setdefault(kind, desk)
    return desks


def desk_held(case: Case, desks: dict[str, OrgUnit]) -> int:
    """The index in ``DESK_LEVELS`` of the desk holding ``case``, -1 when no desk holds it."""
    holding = [lvl for lvl in DESK_LEVELS if lvl in desks and desks[lvl].pk == case.owner_unit_id]
    return DESK_LEVELS.index(holding[0]) if holding else -1


def send_up_levels(case: Case, desks: dict[str, OrgUnit]) -> list[str]:
    """Where ``case`` may be sent up (兜底), nearest first: only ever higher than the desk that
    holds it, and only to a level that has a desk."""
    return [lvl for lvl in DESK_LEVELS[desk_held(case, desks) + 1 :] if lvl in desks]
