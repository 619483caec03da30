"""The intake: scoring evidence another app reports (push), as an alternative to keeping a
points source of its own that scoring reads (pull, see ``scoring.providers``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.models import OrgUnit
from scoring import calc
from scoring.models import Evidence, Quarter, QuarterStatus
from scoring.sources import INTAKE_SOURCES


@transaction.atomic
def score_evidence_record(
    *,
    source: str,
    occurred_at: datetime,
    source_ref: str,
    person=None,
    unit: OrgUnit | None = None,
    quantity=1,
    reason: str = "",
) -> Evidence:
    """Report one piece of scoring evidence from another app, e.g. a request answered on the
    spot: ``source="answered_on_spot"``, ``person`` = who answered, ``unit`` = where,
    ``source_ref="requests_app.request:123"``.

    Idempotent on ``(source, source_ref)``: sending the same record again changes nothing (a
    withdrawn one is restored). Never refused for a published quarter, so the caller's own work
    never fails because of scoring: the record is kept and counts if the quarter is reopened
    and computed again. A computed quarter of that date is flagged as changed.
    """
    if source not in INTAKE_SOURCES:
        raise ValidationFailed(_("Scoring does not take this kind of evidence."), field="source")
    if person is None and unit is None:
        raise ValidationFailed(_("Evidence must name a person or a unit."), field="person")
    source_ref = (source_ref or "").strip()
    if not source_ref or len(source_ref) > 100:
        raise ValidationFailed(_("Name the record the evidence stands for."), field="source_ref")
    try:
        quantity = Decimal(str(quantity))
    except InvalidOperation:
        raise ValidationFailed(_("Give the quantity as a number."), field="quantity") from None
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be positive."), field="quantity")
    if timezone.is_naive(occurred_at):
        raise ValidationFailed(_("Give the time with its time zone."), field="occurred_at")
    existing = Evidence.objects.select_for_update().filter(source=source, source_ref=source_ref)
    evidence = existing.first()
    if evidence is not None and evidence.withdrawn_at is None:
        return evidence
    _mark_changed(occurred_at)
    if evidence is not None:
        evidence.withdrawn_at = None
        evidence.save(update_fields=["withdrawn_at"])
        return evidence
    return Evidence.objects.create(
        source=source,
        person=person,
        unit=unit,
        occurred_at=occurred_at,
        quantity=quantity,
        source_ref=source_ref,
        reason=(reason or "").strip()[:200],
    )


@transaction.atomic
def score_evidence_withdraw(*, source: str, source_ref: str) -> bool:
    """Withdraw reported evidence whose source was undone (e.g. an on-the-spot answer turned
    into a case). Returns whether there was anything to withdraw."""
    evidence = (
        Evidence.objects.select_for_update()
        .filter(source=source, source_ref=source_ref, withdrawn_at__isnull=True)
        .first()
    )
    if evidence is None:
        return False
    _mark_changed(evidence.occurred_at)
    evidence.withdrawn_at = timezone.now()
    evidence.save(update_fields=["withdrawn_at"])
    return True


def _mark_changed(at: datetime) -> None:
    code = calc.QuarterKey.of(timezone.localdate(at)).code
    Quarter.objects.filter(code=code, status=QuarterStatus.COMPUTED, stale=False).update(
        stale=True
    )
