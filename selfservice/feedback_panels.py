"""What selfservice adds to other apps' pages, registered in ``SelfServiceConfig.ready()``: the
rating form below the tracking page's result, and both answers (the worker's 回访 and the
resident's own) with any disagreement on the case page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseState, EventKind, Satisfaction
from casework.selectors.events import SATISFACTION, SOLVED
from casework.selectors.scope import scope_for
from selfservice.feedback_forms import RatingForm
from selfservice.feedback_selectors import CHECKER_ROLES, may_check_row, rating_state
from selfservice.models import RatingDisagreement, ResidentRating


def track_rating_panel(request, found, *, form=None, action=None, with_code=True) -> str:
    """Below the tracking page's result: the rating form while the result may be rated, or the
    resident's answer once given. One query for a resolved or closed case, none else. The form
    posts to ``/track/rating/`` with the code, or to ``action`` (the SMS link's page, which
    needs no code)."""
    # Only a result can be rated: a case still being worked reads nothing more.
    if not found.case_id or found.case.state not in (CaseState.RESOLVED, CaseState.CLOSED):
        return ""
    state = rating_state(case=found.case, now=timezone.now())
    if state.rating is None and not state.open:
        return ""
    return render_to_string(
        "selfservice/feedback_track_panel.html",
        {
            "state": state,
            "form": form or RatingForm(),
            "code": found.tracking_code_display if with_code else "",
            "action": action or reverse("selfservice:track-rating"),
        },
        request,
    )


def _answer_events(case) -> list:
    """The case's answers as its history holds them (回访 and the resident's own), oldest first;
    none without reading for a case that never had a result (the case page's usual count)."""
    if case.state not in (CaseState.RESOLVED, CaseState.CLOSED) and not case.reopen_count:
        return []
    return list(
        case.events.filter(kind__in=(EventKind.FEEDBACK, EventKind.RESIDENT_FEEDBACK))
        .select_related("actor")
        .order_by("created_at", "id")
    )


def case_answers_panel(request, case) -> str:
    """On the case page: every 回访 a worker recorded and every answer the resident gave
    themselves, and each disagreement (flagged while unchecked). Nothing is read for a case
    that never had a result; one query for a case with 回访 only, three with both kinds."""
    answers = _answer_events(case)
    if not answers:
        return ""
    labels = dict(Satisfaction.choices)
    visits = [
        {
            "at": event.created_at,
            "who": event.actor.get_full_name() if event.actor_id else "",
            "solved": bool(event.data.get(SOLVED)),
            "satisfaction": labels.get(event.data.get(SATISFACTION), ""),
            "note": event.note,
        }
        for event in answers
        if event.kind == EventKind.FEEDBACK
    ]
    ratings, flags = [], []
    if len(visits) < len(answers):
        ratings = list(ResidentRating.objects.filter(case=case).order_by("created_at", "id"))
    if visits and ratings:
        flags = list(
            RatingDisagreement.objects.filter(case=case)
            .select_related("worker", "checked_by", "case__unit")
            .order_by("created_at", "id")
        )
    scope = scope_for(request.user)
    for flag in flags:
        flag.can_check = may_check_row(request.user, flag)
        flag.can_see = flag.worker_id == request.user.pk or scope.has_role(
            *CHECKER_ROLES, path=case.unit.path
        )
    return render_to_string(
        "selfservice/feedback_case_panel.html",
        {"case": case, "visits": visits, "ratings": ratings, "flags": flags},
        request,
    )
