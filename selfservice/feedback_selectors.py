"""Reads of the residents' ratings and their disagreements with the 回访, scoped to the viewer.

A supervisor or administrator sees the disagreements about cases at places they hold that role
over (the queue they check); every worker sees those about the 回访 they recorded themselves
(their verification record). Lists are one query however long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound, ValidationFailed
from casework.models import Case, Role
from casework.selectors.scope import scope_for
from casework.services.cases.resident import rating_open
from selfservice.models import DisagreementOutcome, RatingDisagreement, ResidentRating

#: Who checks disagreements over a place.
CHECKER_ROLES = (Role.SUPERVISOR, Role.ADMIN)
#: The lists a viewer may ask for: the queue to check, their own record, or both.
VIEWS = ("queue", "mine", "all")


@dataclass(frozen=True)
class RatingState:
    """Where the resident's rating of a case's latest result stands."""

    round: int
    #: Their answer about it, if they gave one.
    rating: ResidentRating | None
    #: Whether they may answer now.
    open: bool


def rating_state(*, case: Case, now: datetime) -> RatingState:
    """The resident's rating of ``case``'s latest result (one query)."""
    rating = ResidentRating.objects.filter(case=case, round=case.reopen_count).first()
    return RatingState(
        round=case.reopen_count,
        rating=rating,
        open=rating is None and rating_open(case, now=now),
    )


def _checking_q(scope) -> Q:
    q = Q(pk__in=[])
    for path in sorted({path for path, role in scope.role_paths if role in CHECKER_ROLES}):
        q |= Q(case__unit__path__startswith=path)
    return q


def checks_anywhere(viewer) -> bool:
    scope = scope_for(viewer)
    return scope.everything or any(role in CHECKER_ROLES for _path, role in scope.role_paths)


def disagreement_list(
    *, viewer, view: str = "all", outcome: str | None = None
) -> QuerySet[RatingDisagreement]:
    """The disagreements the viewer may see: ``queue`` those at places they check, ``mine``
    those about the 回访 they recorded, ``all`` both; ``outcome`` one of
    ``DisagreementOutcome``. Oldest first (the queue is worked in order); case, place,
    category, handling unit, worker, resident's rating and checker joined."""
    if view not in VIEWS:
        raise ValidationFailed(
            _("Choose queue, mine or all."), field="view", code="invalid_choice"
        )
    if outcome not in (None, "", *DisagreementOutcome.values):
        raise ValidationFailed(
            _("Choose pending, worker_stands or resident_right."),
            field="outcome",
            code="invalid_choice",
        )
    scope = scope_for(viewer)
    mine = Q(worker_id=viewer.pk)
    checking = Q() if scope.everything else _checking_q(scope)
    q = {"queue": checking, "mine": mine, "all": checking | mine}[view]
    rows = (
        RatingDisagreement.objects.filter(q)
        .select_related(
            "case",
            "case__unit",
            "case__category",
            "case__owner_unit",
            "worker",
            "rating",
            "checked_by",
        )
        .order_by("created_at", "pk")
    )
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows


def disagreement_get(*, viewer, pk) -> RatingDisagreement:
    """One disagreement the viewer may see; ``NotFound`` otherwise (never a 403)."""
    try:
        return disagreement_list(viewer=viewer).get(pk=pk)
    except (RatingDisagreement.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such disagreement.")) from None


def may_check_row(viewer, row: RatingDisagreement) -> bool:
    """Whether the viewer may check ``row`` (no query: the scope is cached, the place joined):
    a supervisor or administrator over its place who did not record the 回访."""
    scope = scope_for(viewer)
    return (
        row.is_pending
        and row.worker_id != viewer.pk
        and scope.has_role(*CHECKER_ROLES, path=row.case.unit.path)
    )


def verification_record(*, viewer, view: str = "all") -> list[dict]:
    """Per worker, over the disagreements the viewer may see: how many 回访 residents disputed,
    how many wait for a check, how many stood and how many failed (the resident was right,
    counted against the worker). Most failures first. One query."""
    rows = (
        disagreement_list(viewer=viewer, view=view)
        .order_by()
        .values("worker_id", "worker__name")
        .annotate(
            disputed=Count("pk"),
            pending=Count("pk", filter=Q(outcome=DisagreementOutcome.PENDING)),
            stood=Count("pk", filter=Q(outcome=DisagreementOutcome.WORKER_STANDS)),
            failed=Count("pk", filter=Q(outcome=DisagreementOutcome.RESIDENT_RIGHT)),
        )
        .order_by("-failed", "-pending", "worker__name", "worker_id")
    )
    return [
        {
            "worker": {"id": row["worker_id"], "name": row["worker__name"]},
            "disputed": row["disputed"],
            "pending": row["pending"],
            "stood": row["stood"],
            "failed": row["failed"],
        }
        for row in rows
    ]


def failed_verifications(*, worker_ids, start: datetime, end: datetime) -> set[int]:
    """The workers among ``worker_ids`` a resident was found right against, about a 回访 they
    recorded in ``[start, end)``: requests_app's call-back draw counts each as a failed
    call-back of that month (their next sample is drawn at the raised rate). One query."""
    return set(
        RatingDisagreement.objects.filter(
            worker_id__in=worker_ids,
            outcome=DisagreementOutcome.RESIDENT_RIGHT,
            visit_at__gte=start,
            visit_at__lt=end,
        ).values_list("worker_id", flat=True)
    )
