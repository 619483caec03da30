"""The resident rates the result: their own answer, the SMS link that asks for it, and the
disagreements with the worker's return visit (回访) a supervisor checks.

- ``rating_record``: the resident's answer about the latest result of their request's case,
  from the tracking page or the SMS link. casework records it on the case
  (``casework.services.resident_feedback_record``: one ``resident_feedback`` event, counted in
  the rates as an answer; unsolved or unsatisfied on a resolved case reopens it for redo); the
  ``ResidentRating`` row keeps where it came from. One answer per result.
- ``rating_link_issue`` / ``rating_sms_send``: when a case is resolved (``receivers_feedback``),
  the resident of its first request with a phone gets an SMS with a link ``/rate/<token>/``
  (``secrets.token_urlsafe(24)``, only its SHA-256 kept), dead once used, once the result is
  rated another way or redone, and after ``MINQING_RATING_LINK_DAYS`` days.
- ``disagreement_raise``: whichever of the two answers comes second compares them; where one
  accepts the result (solved, and satisfied or basically satisfied) and the other does not, a
  ``RatingDisagreement`` is raised and the supervisors over the case's place are told.
- ``disagreement_check``: a supervisor over the place (never the worker who recorded the 回访)
  decides: the 回访 stands, or the resident is right: a failed verification of that worker, and
  the case goes back for redo if it still waits for feedback.

Each is one transaction; the SMS is sent after commit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.channels import mask_phone, sms_backend
from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Case, CaseEvent, CaseState, NotificationKind, Satisfaction
from casework.selectors.events import SATISFACTION, SOLVED
from casework.selectors.scope import scope_for
from casework.services import case_reopen, resident_feedback_record
from casework.services.notifications import Recipients, notify
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from requests_app.models import Request
from selfservice.models import (
    DisagreementOutcome,
    RatingDisagreement,
    RatingLink,
    RatingVia,
    ResidentRating,
)

log = logging.getLogger("minqing.selfservice")

#: Random bytes in a link's token (32 URL-safe characters).
TOKEN_BYTES = 24
#: A supervisor's note on a check: at most this many characters.
NOTE_LIMIT = 500


def link_days() -> int:
    """How long an SMS link stays usable after the result it asks about."""
    return int(getattr(settings, "MINQING_RATING_LINK_DAYS", 14))


def token_digest(token: str) -> str:
    """What is kept of a link's token: its SHA-256, in hex. 192 random bits need no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def pleased(*, solved: bool, satisfaction: str) -> bool:
    """Whether an answer accepts the result: solved, and satisfied or basically satisfied."""
    return bool(solved) and satisfaction in (
        Satisfaction.SATISFIED,
        Satisfaction.BASICALLY_SATISFIED,
    )


# --- The resident's answer ----------------------------------------------------------------------


@transaction.atomic
def rating_record(
    *,
    request: Request | int,
    solved: bool,
    satisfaction: str,
    comment: str = "",
    via: str,
    now: datetime | None = None,
) -> ResidentRating:
    """Record the resident's own answer about the latest result of ``request``'s case.

    Refusals as ``casework.services.resident_feedback_record`` (409 ``rating_closed`` /
    ``already_rated``, 400 naming ``solved``, ``satisfaction`` or ``comment``), and 409
    ``no_result`` for a request without a case. Side effects: the case's ``resident_feedback``
    event (and its redo), the ``ResidentRating``, the result's SMS link made dead, and a
    ``RatingDisagreement`` when the worker's 回访 of the same result says otherwise.
    """
    now = now or timezone.now()
    request_id = request if isinstance(request, int) else request.pk
    found = Request.objects.filter(pk=request_id).values_list("pk", "case_id").first()
    if found is None:
        raise NotFound(_("No request has this code."))
    if via not in RatingVia.values:
        raise ValidationFailed(_("Say where the answer was given."), field="via")
    case_id = found[1]
    if case_id is None:
        raise Conflict(_("This request has no result to rate yet."), code="no_result")
    answer = resident_feedback_record(
        case=case_id,
        solved=solved,
        satisfaction=satisfaction,
        comment=comment,
        via=via,
        now=now,
    )
    try:
        with transaction.atomic():
            rating = ResidentRating.objects.create(
                case=answer.case,
                request_id=request_id,
                round=answer.round,
                solved=solved,
                satisfaction=satisfaction,
                comment=answer.event.note,
                via=via,
                event=answer.event,
                created_at=now,
            )
    except IntegrityError:  # the case lock makes this unreachable; the constraint stays as a net
        raise Conflict(_("This result has been rated already."), code="already_rated") from None
    RatingLink.objects.filter(case=answer.case, round=answer.round, used_at__isnull=True).update(
        used_at=now
    )
    if answer.visit is not None:
        disagreement_raise(rating=rating, visit=answer.visit, case=answer.case, now=now)
    return rating


# --- The SMS link --------------------------------------------------------------------------------


def rating_link_issue(*, case: Case, now: datetime) -> RatingLink | None:
    """Make the link that asks the resident about the case's new result, and send it by SMS
    after commit. Called inside the resolving transaction (``receivers_feedback``). Nothing when
    no request of the case has a resident with a phone, or the result has its link already."""
    request = (
        Request.objects.filter(case=case, resident__isnull=False)
        .exclude(resident__phone="")
        .order_by("collected_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    if request is None:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    try:
        with transaction.atomic():
            link = RatingLink.objects.create(
                case=case,
                request_id=request,
                round=case.reopen_count,
                token_digest=token_digest(token),
                created_at=now,
                expires_at=now + timedelta(days=link_days()),
            )
    except IntegrityError:
        return None
    link_id = link.pk
    transaction.on_commit(lambda: rating_sms_queue(link_id=link_id, token=token))
    return link


def rating_sms_queue(*, link_id: int, token: str) -> None:
    """Hand the SMS to Celery (queue ``deliveries``); a broker or provider failure is logged,
    never raised into the request that resolved the case: the resident can still rate the
    result on the tracking page."""
    from selfservice.feedback_tasks import send_rating_sms

    try:
        send_rating_sms.delay(link_id, token)
    except Exception as exc:  # kombu's OperationalError, or the eager task's own failure
        log.warning("rating SMS for link %s not sent: %s", link_id, exc)


def rating_url(token: str) -> str:
    """The link's address as the SMS writes it: ``MINQING_PUBLIC_URL`` + ``/rate/<token>/``."""
    base = getattr(settings, "MINQING_PUBLIC_URL", "").rstrip("/")
    return base + reverse("selfservice:rate", args=[token])


def rating_sms_text(*, link: RatingLink, token: str) -> str:
    """The SMS, in the site's language (the resident has no preference on record)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Your request %(code)s (%(category)s) has a result. Was it solved? Tell us within "
            "%(days)d days: %(url)s"
        ) % {
            "code": link.request.tracking_code_display,
            "category": link.request.category.name,
            "days": link_days(),
            "url": rating_url(token),
        }


def rating_sms_send(*, link_id: int, token: str, now: datetime | None = None) -> bool:
    """Send the link's SMS once: claimed by one conditional UPDATE (a retry or a second copy of
    the task sends nothing twice), released again when the provider fails so a retry may send.
    Nothing is sent for a link used, expired, or whose token does not match. The number is
    masked in the log (the console backend masks it too)."""
    now = now or timezone.now()
    link = (
        RatingLink.objects.select_related("request__resident", "request__category")
        .filter(pk=link_id, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None or link.token_digest != token_digest(token):
        return False
    resident = link.request.resident
    phone = resident.phone if resident is not None else ""
    if not phone:
        return False
    if not RatingLink.objects.filter(pk=link.pk, sent_at__isnull=True).update(sent_at=now):
        return False
    try:
        sms_backend().send(
            phone=phone, text=rating_sms_text(link=link, token=token), key=f"rate-{link.pk}"
        )
    except Exception:
        RatingLink.objects.filter(pk=link.pk).update(sent_at=None)
        log.warning("rating SMS to %s failed (link %s)", mask_phone(phone), link.pk)
        raise
    return True


def rating_link_check(*, token: str, now: datetime | None = None) -> RatingLink:
    """The live link of ``token``, with its request and case.

    ``NotFound`` for a token no link has (wrong or mistyped). ``Conflict`` ``link_used`` once it
    was used or its result rated another way; ``link_expired`` after its days, or once the
    result it asks about was redone or can no longer be rated.
    """
    now = now or timezone.now()
    if not token or len(token) > 64:
        raise NotFound(_("This link is not valid."))
    link = (
        RatingLink.objects.select_related("case", "request", "request__category")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if link is None:
        raise NotFound(_("This link is not valid."))
    answered = ResidentRating.objects.filter(case_id=link.case_id, round=link.round).exists()
    if link.used_at is not None or answered:
        raise Conflict(_("This link has been used: the result is rated."), code="link_used")
    if link.expires_at <= now or link.case.reopen_count != link.round:
        raise Conflict(_("This link has expired."), code="link_expired")
    return link


@transaction.atomic
def rating_by_link(
    *, token: str, solved: bool, satisfaction: str, comment: str = "", now=None
) -> ResidentRating:
    """The resident's answer through the SMS link: ``rating_link_check``, then
    ``rating_record`` for the link's request (which makes the link dead)."""
    now = now or timezone.now()
    link = rating_link_check(token=token, now=now)
    return rating_record(
        request=link.request_id,
        solved=solved,
        satisfaction=satisfaction,
        comment=comment,
        via=RatingVia.SMS,
        now=now,
    )


# --- Disagreements -------------------------------------------------------------------------------


def disagreement_raise(
    *, rating: ResidentRating, visit: CaseEvent, case: Case, now: datetime
) -> RatingDisagreement | None:
    """Flag the result when the resident's answer and the worker's 回访 disagree (in the caller's
    transaction, the case locked). Once per result; the supervisors over the place are told."""
    solved = bool(visit.data.get(SOLVED))
    satisfaction = visit.data.get(SATISFACTION) or ""
    if pleased(solved=solved, satisfaction=satisfaction) == rating.pleased:
        return None
    if visit.actor_id is None or satisfaction not in Satisfaction.values:
        return None
    try:
        with transaction.atomic():
            flag = RatingDisagreement.objects.create(
                case=case,
                round=rating.round,
                rating=rating,
                visit=visit,
                worker_id=visit.actor_id,
                visit_at=visit.created_at,
                visit_solved=solved,
                visit_satisfaction=satisfaction,
                created_at=now,
            )
    except IntegrityError:  # flagged already for this result
        return None
    notify(
        user_ids=set(Recipients([case]).supervisors(case)) - {visit.actor_id},
        kind=NotificationKind.RATING_DISPUTED,
        case=case,
        text=_("The resident's own rating and the return visit disagree: please check."),
        now=now,
    )
    return flag


def visit_recorded(event: CaseEvent) -> RatingDisagreement | None:
    """A worker's 回访 was written (inside ``feedback_record``'s transaction): compare it with the
    resident's own answer about the same result, if there is one."""
    case = event.case
    # The 回访 that reopened the case has moved it on to its next result already.
    round_ = case.reopen_count - (1 if event.to_state == CaseState.REOPENED else 0)
    rating = ResidentRating.objects.filter(case=case, round=round_).first()
    if rating is None:
        return None
    return disagreement_raise(rating=rating, visit=event, case=case, now=event.created_at)


@transaction.atomic
def disagreement_check(
    *,
    disagreement: RatingDisagreement | int,
    actor,
    outcome: str,
    note: str = "",
    now: datetime | None = None,
) -> RatingDisagreement:
    """A supervisor decides a disagreement: the 回访 stands, or the resident is right.

    Preconditions: a supervisor or administrator over the case's place (403), not the worker
    who recorded the 回访 (403), not checked yet (409 ``checked``); ``outcome`` one of the two
    (400), a note when the resident is right (400 ``note``). Side effects: the row records who,
    when, what and why; the resident found right counts against the worker's verification
    record, and a case still waiting for feedback is reopened for redo (its own event).
    """
    now = now or timezone.now()
    pk = disagreement if isinstance(disagreement, int) else disagreement.pk
    row = (
        RatingDisagreement.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit")
        .get(pk=pk)
    )
    if not scope_for(actor).has_role(*SUPERVISORS, path=row.case.unit.path):
        raise NotPermitted(_("Only a supervisor over the place checks this."))
    if actor.pk == row.worker_id:
        raise NotPermitted(_("You recorded this return visit: another supervisor checks it."))
    if not row.is_pending:
        raise Conflict(_("This disagreement has been checked already."), code="checked")
    if outcome not in (DisagreementOutcome.WORKER_STANDS, DisagreementOutcome.RESIDENT_RIGHT):
        raise ValidationFailed(_("Choose who is right."), field="outcome", code="invalid_choice")
    resident_right = outcome == DisagreementOutcome.RESIDENT_RIGHT
    note = clean_text(note, field="note", limit=NOTE_LIMIT, required=resident_right)
    row.outcome = outcome
    row.note = note
    row.checked_by = actor
    row.checked_at = now
    row.save(update_fields=["outcome", "note", "checked_by", "checked_at"])
    if resident_right and row.case.state == CaseState.RESOLVED:
        case_reopen(case=row.case, actor=actor, reason=note)
    return row
