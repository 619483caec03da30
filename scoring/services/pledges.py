"""Pledges (承诺档案), the random draw of pledges to check (双随机) and the checks' outcomes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted, ValidationFailed
from casework.models import OrgUnit, User
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
    assigned = calc.assign_inspectors([(c, owners[c]) for c in sample], inspector_ids, seed)
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
