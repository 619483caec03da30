"""Appeals (申诉) of ledger entries: filed by the worker, decided by the county.

A worker appeals one of their own entries of a computed, unpublished quarter, until
``ScoringPolicy.appeal_days`` after the quarter's last day, with a reason and optional evidence
(text, a photo). A supervisor or admin of the county (or city) above where the worker was ranked
decides it, with a reason; an upheld appeal writes a manual entry correcting the points, which
computing the quarter again keeps. The quarter cannot be published while an appeal is pending
(``quarter_publish``). Every step writes an ``AppealEvent`` and tells the other side in the inbox.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Membership, NotificationKind, OrgUnit
from casework.models.org import PLACE_KINDS
from casework.photos import clean_photo, photo_files_forget, photo_save
from casework.services.notifications import notify
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from scoring.access import APPEAL_DECIDING_KINDS, decides_appeals_over
from scoring.models import (
    Appeal,
    AppealEvent,
    AppealEventKind,
    AppealStatus,
    Quarter,
    ScoreEntry,
    ScoreResult,
    SourceKind,
    entry_key,
)
from scoring.selectors.appeals import appeal_window_refusal
from scoring.selectors.explain import entry_reason
from scoring.services.ledger import MAX_MANUAL_POINTS, _changed, _open_quarter
from scoring.sources import source_label


def _event(appeal: Appeal, kind: str, actor, at: datetime, note: str = "", **data) -> None:
    AppealEvent.objects.create(appeal=appeal, kind=kind, actor=actor, at=at, note=note, data=data)


def _home_unit(quarter: Quarter, person) -> OrgUnit:
    """Where the person was ranked in the quarter, else the deepest place they belong to."""
    result = ScoreResult.objects.filter(quarter=quarter, person=person).select_related("unit")
    found = result.first()
    if found is not None:
        return found.unit
    membership = (
        Membership.objects.filter(user=person, unit__is_active=True, unit__kind__in=PLACE_KINDS)
        .select_related("unit")
        .order_by("-unit__depth", "unit__path")
        .first()
    )
    if membership is None:
        raise ValidationFailed(_("Only the points of a community's workers can be appealed."))
    return membership.unit


def appeal_deciders(unit: OrgUnit) -> list[int]:
    """The supervisors and admins of the county and city above ``unit`` (one query)."""
    step = OrgUnit.steplen
    ancestors = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    return sorted(
        set(
            Membership.objects.filter(
                role__in=SUPERVISORS,
                unit__is_active=True,
                unit__kind__in=APPEAL_DECIDING_KINDS,
                unit__path__in=ancestors,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    )


def appeal_file(
    *,
    actor,
    entry: ScoreEntry | int,
    reason: str,
    evidence_text: str = "",
    evidence_photo=None,
    now: datetime | None = None,
) -> Appeal:
    """File an appeal of one of the actor's own entries.

    Preconditions: the entry is the actor's (anyone else's is ``NotFound``), not itself an
    appeal's correction; its quarter is computed, not published, and the window is open
    (``appeal_window_refusal``); no appeal of the same entry is pending. Keeps a snapshot of the
    entry. Side effects: an ``AppealEvent`` (filed) and an inbox notification to each decider.
    The photo is written before the transaction and removed again if it fails.
    """
    now = now or timezone.now()
    entry_pk = entry if isinstance(entry, int) else entry.pk
    reason = clean_text(reason, field="reason", limit=2000, required=True, label=_("Reason"))
    evidence_text = clean_text(
        evidence_text, field="evidence_text", limit=4000, label=_("Evidence")
    )
    clean = clean_photo(evidence_photo, field="evidence_photo") if evidence_photo else None
    stored: list[str] = []
    try:
        with transaction.atomic():
            found = (
                ScoreEntry.objects.select_related("indicator", "quarter")
                .filter(pk=entry_pk, person_id=actor.pk)
                .first()
            )
            if found is None:
                raise NotFound(_("No such entry among your points."), field="entry")
            if found.manual and found.detail.get("appeal"):
                raise ValidationFailed(
                    _("This entry is the correction of an appeal; it cannot be appealed."),
                    field="entry",
                    code="appeal_correction",
                )
            quarter = Quarter.objects.select_for_update().get(pk=found.quarter_id)
            refusal = appeal_window_refusal(quarter, today=timezone.localdate(now))
            if refusal:
                raise Conflict(refusal, code="appeal_closed", field="entry")
            key = entry_key(found)
            pending = Appeal.objects.filter(
                quarter=quarter, person_id=actor.pk, entry_key=key, status=AppealStatus.PENDING
            )
            if pending.exists():
                raise Conflict(
                    _("An appeal of this entry is already awaiting a decision."),
                    code="appeal_pending",
                    field="entry",
                )
            unit = _home_unit(quarter, actor)
            if clean is not None:
                stored.append(photo_save(clean, folder="scoring/appeals", now=now))
            appeal = Appeal.objects.create(
                quarter=quarter,
                person=actor,
                unit=unit,
                entry_key=key,
                entry_id_filed=found.pk,
                source=found.source,
                indicator=found.indicator,
                quantity=found.quantity,
                points=found.points,
                refs=found.refs,
                entry_text=f"{source_label(found.source)}: {entry_reason(found)}"[:2000],
                reason=reason,
                evidence_text=evidence_text,
                evidence_photo=stored[0] if stored else "",
                filed_at=now,
            )
            _event(appeal, AppealEventKind.FILED, actor, now, reason, points=str(found.points))
            deciders = [pk for pk in appeal_deciders(unit) if pk != actor.pk]
            notify(
                user_ids=deciders,
                kind=NotificationKind.APPEAL_FILED,
                text=_("%(name)s appeals %(points)s points of %(quarter)s: %(entry)s")
                % {
                    "name": actor.get_full_name(),
                    "points": found.points,
                    "quarter": quarter.code,
                    "entry": source_label(found.source),
                },
                now=now,
            )
    except IntegrityError:
        photo_files_forget(stored)
        # Two filings of the same entry at once: the constraint let one through.
        raise Conflict(
            _("An appeal of this entry is already awaiting a decision."),
            code="appeal_pending",
            field="entry",
        ) from None
    except BaseException:
        photo_files_forget(stored)
        raise
    return appeal


def _locked(appeal: Appeal | int) -> Appeal:
    pk = appeal if isinstance(appeal, int) else appeal.pk
    found = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("quarter", "unit", "person", "indicator")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No such appeal."), field="appeal")
    return found


def _points(value, *, field: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Give the points as a number."), field=field) from None
    if not points.is_finite() or abs(points) > Decimal("99999"):
        raise ValidationFailed(_("Give the points as a number."), field=field)
    return points


@transaction.atomic
def appeal_decide(
    *,
    actor,
    appeal: Appeal | int,
    upheld: bool,
    reason: str,
    corrected_points=None,
    now: datetime | None = None,
) -> Appeal:
    """Decide a pending appeal, with a reason.

    By a supervisor or admin of the county or city above where the appellant was ranked, never
    the appellant. Upheld: the entry should have been worth ``corrected_points`` (default 0, the
    disputed points cancelled); a manual entry worth the difference is written in the entry's
    category (kept by computing again) and the quarter is flagged as changed. Rejected: no
    points change and ``corrected_points`` must be empty. Side effects: an ``AppealEvent`` and a
    notification to the appellant.
    """
    now = now or timezone.now()
    appeal = _locked(appeal)
    if appeal.person_id == actor.pk:
        raise NotPermitted(_("Nobody decides their own appeal."), field="appeal")
    if not decides_appeals_over(actor, appeal.unit.path):
        raise NotPermitted(
            _("Appeals are decided by the county's supervisors and administrators."),
            field="appeal",
        )
    if not appeal.is_pending:
        raise Conflict(
            _("This appeal is already %(status)s.") % {"status": appeal.get_status_display()},
            code="appeal_decided",
            field="appeal",
        )
    reason = clean_text(
        reason, field="reason", limit=2000, required=True, label=_("Reason for the decision")
    )
    quarter = _open_quarter(appeal.quarter)
    fields = ["status", "decided_by", "decided_at", "decision_reason"]
    if upheld:
        corrected = (
            Decimal("0.00")
            if corrected_points in (None, "")
            else _points(corrected_points, field="corrected_points")
        )
        adjustment = corrected - appeal.points
        if adjustment == 0:
            raise ValidationFailed(
                _("The corrected points equal the disputed points: reject the appeal instead."),
                field="corrected_points",
            )
        if abs(adjustment) > MAX_MANUAL_POINTS:
            raise ValidationFailed(
                _("A correction changes at most %(max)s points.") % {"max": MAX_MANUAL_POINTS},
                field="corrected_points",
            )
        correction = ScoreEntry.objects.create(
            quarter=quarter,
            person_id=appeal.person_id,
            unit=None,
            indicator=appeal.indicator,
            source=SourceKind.MANUAL,
            quantity=Decimal(1),
            per=None,
            points=adjustment,
            manual=True,
            reason=_("Appeal upheld: %(reason)s") % {"reason": reason},
            detail={"appeal": appeal.pk, "corrects": appeal.entry_key},
            created_by=actor,
            created_at=now,
        )
        _changed(quarter)
        appeal.status = AppealStatus.UPHELD
        appeal.corrected_points = corrected
        appeal.adjustment = adjustment
        appeal.correction = correction
        fields += ["corrected_points", "adjustment", "correction"]
        kind = AppealEventKind.UPHELD
        data = {"corrected_points": str(corrected), "adjustment": str(adjustment)}
    else:
        if corrected_points not in (None, ""):
            raise ValidationFailed(
                _("A rejected appeal changes no points: leave the corrected points empty."),
                field="corrected_points",
            )
        appeal.status = AppealStatus.REJECTED
        kind = AppealEventKind.REJECTED
        data = {}
    appeal.decided_by = actor
    appeal.decided_at = now
    appeal.decision_reason = reason
    appeal.save(update_fields=fields)
    _event(appeal, kind, actor, now, reason, **data)
    notify(
        user_ids=[appeal.person_id],
        kind=NotificationKind.APPEAL_DECIDED,
        text=_("Your appeal of %(quarter)s is %(status)s: %(reason)s")
        % {
            "quarter": quarter.code,
            "status": appeal.get_status_display(),
            "reason": reason,
        },
        now=now,
    )
    return appeal


@transaction.atomic
def appeal_withdraw(*, actor, appeal: Appeal | int, now: datetime | None = None) -> Appeal:
    """Withdraw a pending appeal: by the appellant only. Records an ``AppealEvent``."""
    now = now or timezone.now()
    appeal = _locked(appeal)
    if appeal.person_id != actor.pk:
        raise NotPermitted(_("Only the appellant may withdraw an appeal."), field="appeal")
    if not appeal.is_pending:
        raise Conflict(
            _("This appeal is already %(status)s.") % {"status": appeal.get_status_display()},
            code="appeal_decided",
            field="appeal",
        )
    appeal.status = AppealStatus.WITHDRAWN
    appeal.save(update_fields=["status"])
    _event(appeal, AppealEventKind.WITHDRAWN, actor, now)
    return appeal
