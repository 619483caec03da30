"""Call-backs and their samples (抽查回访) as the viewer may see them, and the verification
figures the quarterly report prints.

A checker sees the call-backs of requests at places where they hold a checking role (a
supervisor or admin over the place, or a hotline call-back operator there), never their own;
a worker sees their own samples (not the residents called). Lists are a fixed number of queries.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import OrgUnit
from casework.selectors.org import compound_name
from casework.selectors.scope import scope_for
from requests_app.models import (
    Callback,
    CallbackOutcome,
    CallbackSample,
    RequestEvent,
    RequestEventKind,
)
from requests_app.scoring_sources import answer_voided, sample_complete
from requests_app.selectors.requests import mask_name
from requests_app.services.callbacks import CHECKER_ROLES


def checking_q(viewer, prefix: str = "") -> Q:
    """``Q`` over the places (through ``prefix``) where the viewer may check call-backs."""
    scope = scope_for(viewer)
    if scope.everything:
        return Q()
    paths = sorted({path for path, role in scope.role_paths if role in CHECKER_ROLES})
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def may_check_anywhere(viewer) -> bool:
    scope = scope_for(viewer)
    return scope.everything or any(role in CHECKER_ROLES for _p, role in scope.role_paths)


def _mask(rows):
    for row in rows:
        resident = row.request.resident
        row.resident_masked = (
            {"name": mask_name(resident.name), "phone": resident.phone_masked}
            if resident is not None
            else None
        )
    return rows


def callback_list(
    *, viewer, outcome: str | None = None, month: date | None = None
) -> QuerySet[Callback]:
    """The call-backs the viewer may check (their own answers left out), oldest first; the
    request's code, place, category and answer joined, its resident masked by the caller."""
    qs = (
        Callback.objects.filter(checking_q(viewer, "request__unit__"))
        .exclude(sample__worker_id=viewer.pk)
        .select_related(
            "sample",
            "sample__worker",
            "request",
            "request__unit",
            "request__category",
            "request__resident",
            "checked_by",
        )
        .annotate(compound_name=compound_name("request__unit__path"))
        .order_by("answered_at", "pk")
    )
    if outcome in CallbackOutcome.values:
        qs = qs.filter(outcome=outcome)
    if month is not None:
        qs = qs.filter(sample__month=month)
    return qs


def callback_rows(rows) -> list[Callback]:
    """A page of ``callback_list`` with ``resident_masked`` set on each row."""
    return _mask(list(rows))


def callback_get(*, viewer, pk) -> Callback:
    """One call-back the viewer may check; ``NotFound`` otherwise (never a 403). Their own
    answers are found, so that recording one is refused with the reason."""
    try:
        found = (
            Callback.objects.filter(checking_q(viewer, "request__unit__"))
            .select_related(
                "sample",
                "sample__worker",
                "request",
                "request__unit",
                "request__category",
                "request__resident",
                "checked_by",
            )
            .annotate(compound_name=compound_name("request__unit__path"))
            .get(pk=pk)
        )
    except (Callback.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such call-back.")) from None
    return _mask([found])[0]


def sample_list(*, viewer, month: date | None = None, flagged: bool | None = None):
    """Samples the viewer may see: those over places where they check call-backs, and their
    own; with the counts of their call-backs by outcome. One query."""
    qs = (
        CallbackSample.objects.filter(checking_q(viewer, "unit__") | Q(worker_id=viewer.pk))
        .select_related("worker", "unit", "drawn_by")
        .annotate(
            pending=Count("callbacks", filter=Q(callbacks__outcome=CallbackOutcome.PENDING)),
            confirmed=Count("callbacks", filter=Q(callbacks__outcome=CallbackOutcome.CONFIRMED)),
            failed=Count("callbacks", filter=Q(callbacks__outcome=CallbackOutcome.FAILED)),
        )
        .order_by("-month", "-flagged", "worker__name", "pk")
    )
    if month is not None:
        qs = qs.filter(month=month)
    if flagged is not None:
        qs = qs.filter(flagged=flagged)
    return qs


def verification_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict:
    """The verification results of ``[start, end)`` at ``unit`` and below, for the quarterly
    report (抽查回访):

    ``answers`` on-the-spot answers given there; ``sampled`` of them drawn for a call-back;
    ``confirmed``, ``failed`` (= voided) and ``unchecked`` call-backs; ``pending`` answers not
    scoring yet (their month's sample not drawn or not fully checked, voided ones apart);
    ``verified`` answers that score; ``flagged`` the workers flagged for review in a month of
    the window, ``[{"name", "month", "share", "median"}]``. Four queries.
    """
    prefix = Q(request__unit__path__startswith=unit.path)
    answers = RequestEvent.objects.filter(
        prefix, kind=RequestEventKind.ANSWERED_ON_SPOT, created_at__gte=start, created_at__lt=end
    )
    counted = answers.order_by().aggregate(
        answers=Count("pk"),
        verified=Count("pk", filter=Q(sample_complete()) & ~Q(answer_voided())),
        voided=Count("pk", filter=Q(answer_voided())),
    )
    calls = (
        Callback.objects.filter(prefix, answered_at__gte=start, answered_at__lt=end)
        .order_by()
        .aggregate(
            sampled=Count("pk"),
            confirmed=Count("pk", filter=Q(outcome=CallbackOutcome.CONFIRMED)),
            failed=Count("pk", filter=Q(outcome=CallbackOutcome.FAILED)),
            unchecked=Count("pk", filter=Q(outcome=CallbackOutcome.PENDING)),
        )
    )
    local_start = timezone.localtime(start).date().replace(day=1)
    flagged = [
        {
            "name": sample.worker.get_full_name(),
            "month": f"{sample.month:%Y-%m}",
            "share": sample.answered_share,
            "median": sample.peer_median,
        }
        for sample in CallbackSample.objects.filter(
            unit__path__startswith=unit.path,
            flagged=True,
            month__gte=local_start,
            starts_at__lt=end,
        )
        .select_related("worker")
        .order_by("month", "worker__name")
    ]
    return {
        "answers": counted["answers"],
        "sampled": calls["sampled"],
        "confirmed": calls["confirmed"],
        "failed": calls["failed"],
        "unchecked": calls["unchecked"],
        "voided": counted["voided"],
        "verified": counted["verified"],
        "pending": counted["answers"] - counted["verified"] - counted["voided"],
        "flagged": flagged,
    }
