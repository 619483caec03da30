"""Recording the rhythm of 双报到: the report-in on arrival, monthly accounts, quarterly meetings.

By the community's staff (a supervisor or admin over the community the member registered with).
A record counts for the month or quarter its date falls in; one per registration, kind and
period. Records are not edited: a wrong one is withdrawn with a reason (kept, with who and when)
and recorded again, so the rows are the history.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, ValidationFailed
from casework.text import clean_text
from scoring.access import check_past_date, require_supervisor_over
from scoring.models import CadenceKind, DualCadenceRecord, DualRegistration


def cadence_period(kind: str, day: date) -> int:
    """The period a record dated ``day`` counts for: 0 (report-in), the month, the quarter."""
    if kind == CadenceKind.MONTHLY:
        return day.month
    if kind == CadenceKind.QUARTERLY:
        return (day.month - 1) // 3 + 1
    return 0


@transaction.atomic
def dual_cadence_record(
    *,
    actor,
    registration: DualRegistration,
    kind: str,
    held_on: date,
    note: str = "",
    now: datetime | None = None,
) -> DualCadenceRecord:
    """Record a report-in, a monthly account (its short text required) or a quarterly meeting.

    The date falls within the registration's year, not before the registration, not in the
    future. A second record of the same kind for the same period is refused (withdraw the first).
    """
    now = now or timezone.now()
    registration = (
        DualRegistration.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=registration.pk)
    )
    require_supervisor_over(actor, registration.community.path, field="registration")
    if kind not in CadenceKind.values:
        raise ValidationFailed(
            _("Choose a report-in, a monthly account or a quarterly meeting."),
            field="kind",
            code="invalid_choice",
        )
    if not isinstance(held_on, date):
        raise ValidationFailed(_("Enter a valid date."), field="held_on")
    check_past_date(held_on, field="held_on")
    if held_on.year != registration.year or held_on < registration.registered_on:
        raise ValidationFailed(
            _("The date must fall within the registration's year, from its registration on."),
            field="held_on",
        )
    note = clean_text(
        note,
        field="note",
        limit=300,
        required=kind == CadenceKind.MONTHLY,
        label=_("What was reported") if kind == CadenceKind.MONTHLY else _("Note"),
    )
    period = cadence_period(kind, held_on)
    taken = DualCadenceRecord.objects.filter(
        registration=registration, kind=kind, period=period, withdrawn_at__isnull=True
    )
    if taken.exists():
        raise Conflict(_already(kind, period), code="already_recorded", field="held_on")
    try:
        with transaction.atomic():
            return DualCadenceRecord.objects.create(
                registration=registration,
                kind=kind,
                period=period,
                held_on=held_on,
                note=note,
                recorded_by=actor,
                recorded_at=now,
            )
    except IntegrityError:
        raise Conflict(_already(kind, period), code="already_recorded", field="held_on") from None


def _already(kind: str, period: int) -> str:
    if kind == CadenceKind.MONTHLY:
        return _("This month's account is already recorded (month %(n)d).") % {"n": period}
    if kind == CadenceKind.QUARTERLY:
        return _("This quarter's meeting is already recorded (quarter %(n)d).") % {"n": period}
    return _("The report-in is already recorded.")


@transaction.atomic
def dual_cadence_withdraw(
    *, actor, record: DualCadenceRecord | int, reason: str, now: datetime | None = None
) -> DualCadenceRecord:
    """Withdraw a wrong record, with a reason; it stays, marked withdrawn, and no longer counts."""
    now = now or timezone.now()
    pk = record if isinstance(record, int) else record.pk
    found = (
        DualCadenceRecord.objects.select_for_update(of=("self",))
        .select_related("registration__community")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No such record."), field="record")
    require_supervisor_over(actor, found.registration.community.path, field="record")
    if found.withdrawn_at is not None:
        raise Conflict(_("This record is already withdrawn."), code="withdrawn", field="record")
    reason = clean_text(reason, field="reason", limit=300, required=True, label=_("Why"))
    found.withdrawn_at = now
    found.withdrawn_by = actor
    found.withdraw_reason = reason
    found.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    return found
