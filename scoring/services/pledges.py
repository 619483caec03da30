"""Pledges (承诺档案), the random draw of pledges to check (双随机) and the checks' outcomes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, ValidationFailed
from casework.models import Membership, OrgUnit, Role, UnitKind, User
from casework.selectors.scope import scope_for
from casework.text import clean_text
from scoring import calc
from scoring.access import check_past_date, require_supervisor_over
from scoring.models import (
    Commitment,
    Indicator,
    Verification,
    VerificationDraw,
    VerificationOutcome,
)
from scoring.services.common import require_self_or_supervisor, touch_quarter_of

MAX_SAMPLE = 500


def _check_year(year: int, *, field: str = "year") -> None:
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 1:
        raise ValidationFailed(_("Choose a year close to this one."), field=field)


@transaction.atomic
def commitment_create(
    *, actor, person, unit: OrgUnit, year: int, indicator: Indicator, text: str
) -> Commitment:
    """Add a pledge to ``person``'s commitment list of ``year``, in a common category."""
    require_self_or_supervisor(actor, person, unit)
    _check_year(year)
    if not (indicator.is_common and indicator.is_active):
        raise ValidationFailed(
            _("Pledges are made in one of the common categories."), field="indicator"
        )
    text = clean_text(text, field="text", limit=300, required=True, label=_("Pledge"))
    return Commitment.objects.create(
        person=person, unit=unit, year=year, indicator=indicator, text=text, created_by=actor
    )


@transaction.atomic
def verification_draw(
    *,
    actor,
    unit: OrgUnit,
    year: int,
    sample_size: int,
    inspectors: Iterable[User] = (),
    seed: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> VerificationDraw:
    """Draw pledges of ``year`` under ``unit`` to check, and an inspector for each (双随机).

    The pledges and inspectors drawn from and the seed are logged with the draw, so
    ``scoring.calc.draw_sample`` gives the same sample again from them. Nobody inspects their
    own pledge. Creates one pending check per drawn pledge.
    """
    require_supervisor_over(actor, unit.path, field="unit")
    _check_year(year)
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise ValidationFailed(
            _("Draw between 1 and %(most)d pledges.") % {"most": MAX_SAMPLE},
            field="sample_size",
        )
    note = clean_text(note, field="note", limit=200, label=_("Note"))
    owners = dict(
        Commitment.objects.filter(year=year, unit__path__startswith=unit.path).values_list(
            "id", "person_id"
        )
    )
    if not owners:
        raise ValidationFailed(_("There are no pledges of that year to draw from."), field="year")
    inspector_ids = sorted({person.pk for person in inspectors})
    scope = scope_for(actor)
    if not scope.everything:
        visible = set(
            User.objects.filter(
                pk__in=inspector_ids, memberships__unit__in=OrgUnit.objects.filter(scope.units_q())
            ).values_list("pk", flat=True)
        )
        if visible != set(inspector_ids):
            raise NotPermitted(_("Inspectors must be people you can see."), field="inspectors")
    seed = secrets.randbits(48) if seed is None else int(seed)
    sample = calc.draw_sample(owners, sample_size, seed)
    targets = [(c, owners[c]) for c in sample]
    if inspector_ids:
        assigned = calc.assign_inspectors(targets, inspector_ids, seed)
    else:
        pools = town_inspector_pools(sample)
        assigned = calc.assign_inspectors_by_pool(targets, pools, seed)
        inspector_ids = sorted(set().union(*pools.values())) if pools else []
    draw = VerificationDraw.objects.create(
        unit=unit,
        year=year,
        sample_size=sample_size,
        seed=seed,
        population=sorted(owners),
        inspectors=inspector_ids,
        drawn_by=actor,
        drawn_at=now or timezone.now(),
        note=note,
    )
    Verification.objects.bulk_create(
        Verification(draw=draw, commitment_id=c, inspector_id=assigned[c]) for c in sample
    )
    return draw


def _community_of(unit: OrgUnit, communities: dict[str, OrgUnit]) -> OrgUnit | None:
    """The community at or above ``unit``, from ``communities`` (by path)."""
    step = OrgUnit.steplen
    for end in range(len(unit.path), 0, -step):
        found = communities.get(unit.path[:end])
        if found is not None:
            return found
    return None


def town_inspector_pools(commitment_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each pledge, the people who may check it when no inspector pool is given: the
    supervisors of the other communities of the town its community is in, never anyone who
    belongs to the pledge's own community. Raises ``ValidationFailed`` (``inspectors``) when a
    pledge has nobody."""
    pledges = list(Commitment.objects.filter(pk__in=list(commitment_ids)).select_related("unit"))
    step = OrgUnit.steplen
    prefixes = {
        p.unit.path[:end] for p in pledges for end in range(step, len(p.unit.path) + 1, step)
    }
    communities = {
        u.path: u for u in OrgUnit.objects.filter(path__in=prefixes, kind=UnitKind.COMMUNITY)
    }
    towns = {
        u.path
        for u in OrgUnit.objects.filter(
            path__in={c.parent_path() for c in communities.values()}, kind=UnitKind.TOWN
        )
    }
    # Supervisors of the active communities of those towns, by community path.
    supervisors: dict[str, set[int]] = {}
    members: dict[str, set[int]] = {}
    if towns:
        town_q = Q()
        for path in towns:
            town_q |= Q(unit__path__startswith=path)
        rows = Membership.objects.filter(town_q, user__is_active=True).values_list(
            "user_id", "role", "unit__path", "unit__kind", "unit__is_active"
        )
        for user_id, role, path, kind, active in rows:
            town = next(t for t in towns if path.startswith(t))
            if len(path) <= len(town):
                continue  # the town's own people
            members.setdefault(path[: len(town) + step], set()).add(user_id)
            if role == Role.SUPERVISOR and kind == UnitKind.COMMUNITY and active:
                supervisors.setdefault(path, set()).add(user_id)
    pools: dict[int, set[int]] = {}
    for pledge in pledges:
        community = _community_of(pledge.unit, communities)
        town = community.parent_path() if community is not None else None
        pool: set[int] = set()
        if town in towns:
            for path, people in supervisors.items():
                if path.startswith(town) and path != community.path:
                    pool |= people
            pool -= members.get(community.path, set())
            pool.discard(pledge.person_id)
        if not pool:
            raise ValidationFailed(
                _(
                    "No supervisor of another community of the same town can check the pledges "
                    "of %(place)s: choose the inspectors to draw from."
                )
                % {"place": community or pledge.unit},
                field="inspectors",
            )
        pools[pledge.pk] = pool
    return pools


@transaction.atomic
def verification_record(
    *, actor, verification: Verification, outcome: str, visited_on: date, note: str = ""
) -> Verification:
    """Record what the check of a drawn pledge found: kept or broken.

    By the drawn inspector or a supervisor over the draw's unit, never by the pledge's owner.
    A recorded outcome can be corrected until its quarter is published.
    """
    verification = (
        Verification.objects.select_for_update(of=("self",))
        .select_related("draw__unit", "commitment")
        .get(pk=verification.pk)
    )
    if outcome not in (VerificationOutcome.KEPT, VerificationOutcome.BROKEN):
        raise ValidationFailed(_("Say whether the pledge was kept."), field="outcome")
    note = clean_text(note, field="note", limit=2000, label=_("What residents said"))
    if actor.pk == verification.commitment.person_id:
        raise NotPermitted(_("Nobody checks their own pledge."), field="verification")
    if actor.pk != verification.inspector_id:
        require_supervisor_over(actor, verification.draw.unit.path, field="verification")
    check_past_date(visited_on, field="visited_on")
    if visited_on < timezone.localdate(verification.draw.drawn_at):
        raise ValidationFailed(_("The visit cannot be before the draw."), field="visited_on")
    if verification.visited_on:
        touch_quarter_of(verification.visited_on, field="visited_on")
    touch_quarter_of(visited_on, field="visited_on")
    verification.outcome = outcome
    verification.visited_on = visited_on
    verification.note = note
    verification.recorded_by = actor
    verification.recorded_at = timezone.now()
    verification.save(
        update_fields=["outcome", "visited_on", "note", "recorded_by", "recorded_at"]
    )
    return verification
