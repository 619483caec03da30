"""The resident rates the result (pages), and supervisors check where the resident and the 回访
disagree.

- ``/track/rating/`` (POST, no login): the rating form below the tracking page's result; the
  code travels in the form, never in this address. Success goes back to the tracking page with a
  message; bad input or a refusal shows the tracking page again with the form's errors.
- ``/rate/<token>/`` (no login): the SMS link's page, the same progress and form. A wrong token
  is a 404, a used or expired link a 410, both with a page that says so.
- ``/feedback/disagreements/`` and ``/feedback/disagreements/<id>/`` (+ ``check/``): the
  supervisors' queue and each one's check; a worker's own record.

The public pages are throttled per address like ``/track/`` and carry its headers; their forms
have Django's CSRF token (it needs no login).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casework.errors import Conflict, DomainError, NotFound
from casework.throttle import budget_retry_after, over_budget
from casework.views.errors import or_404
from casework.views.paging import page_of
from requests_app.services import tracking_code_normalise
from requests_app.views.forms import TrackForm
from requests_app.views.track import progress, public_headers, track_find, track_panels
from selfservice.feedback import (
    disagreement_check,
    rating_by_link,
    rating_link_check,
    rating_record,
    token_digest,
)
from selfservice.feedback_forms import CheckForm, RatingForm
from selfservice.feedback_panels import track_rating_panel
from selfservice.feedback_selectors import (
    VIEWS,
    checks_anywhere,
    disagreement_get,
    disagreement_list,
    may_check_row,
    verification_record,
)
from selfservice.models import DisagreementOutcome, RatingLink, RatingVia

#: Rating posts and link pages allowed per client address per window (as /track/'s look-ups).
RATE_LIMIT = 30
RATE_WINDOW = 600


def _throttled(request):
    """The 429 page when the address is over its budget, else ``None``."""
    if not over_budget(request, "rate", limit=RATE_LIMIT, window=RATE_WINDOW):
        return None
    response = render(
        request,
        "requests_app/track.html",
        {"form": TrackForm(), "searched": True, "throttled": True},
        status=429,
    )
    response["Retry-After"] = budget_retry_after(request, "rate", window=RATE_WINDOW)
    return public_headers(response)


def _public(response):
    response["Cache-Control"] = "no-store"
    return public_headers(response)


def _add_refusal(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _done_message(request, rating) -> None:
    if rating.pleased:
        messages.success(request, _("Thank you: your rating is recorded."))
    else:
        messages.success(
            request,
            _("Thank you: your rating is recorded. The case is looked at again."),
        )


def _back_to_track(code: str):
    return redirect(reverse("requests_app:track") + "?" + urlencode({"code": code}))


@require_POST
def track_rating(request):
    """The rating form of the tracking page."""
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    found = track_find(code=tracking_code_normalise(request.POST.get("code", "")))
    if found is None:
        context = {"form": TrackForm(), "searched": True}
        return _public(render(request, "requests_app/track.html", context, status=404))
    form = RatingForm(request.POST)
    done, status = _submit(
        request,
        form,
        found,
        lambda answer: rating_record(request=found.pk, via=RatingVia.TRACK, **answer),
    )
    if done is not None:
        return done
    context = {
        "form": TrackForm(initial={"code": found.tracking_code_display}),
        "searched": True,
        "found": progress(found),
        "panels": [track_rating_panel(request, found, form=form)],
    }
    return _public(render(request, "requests_app/track.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    """The SMS link's page: where the request stands, and the rating form while the link
    lives."""
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    try:
        link = rating_link_check(token=token)
    except NotFound as exc:
        context = {"dead": "invalid", "dead_message": exc.message, "searched": False}
        return _public(render(request, "selfservice/feedback_rate.html", context, status=404))
    except Conflict as exc:
        return _dead_link(request, token, exc)
    found = track_find(code=link.request.tracking_code)
    form = RatingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        done, status = _submit(
            request, form, found, lambda answer: rating_by_link(token=token, **answer)
        )
        if done is not None:
            return done
    context = {
        "found": progress(found),
        "panels": [
            track_rating_panel(request, found, form=form, action=request.path, with_code=False)
        ],
        "searched": True,
    }
    return _public(render(request, "selfservice/feedback_rate.html", context, status=status))


def _dead_link(request, token: str, exc: Conflict):
    """A used or expired link (410): it still shows where the request stands (the token proves
    the resident holds it), without the form."""
    request_code = (
        RatingLink.objects.filter(token_digest=token_digest(token))
        .values_list("request__tracking_code", flat=True)
        .first()
    )
    found = track_find(code=request_code or "")
    context = {
        "dead": exc.code,
        "dead_message": exc.message,
        "searched": found is not None,
    }
    if found is not None:
        context["found"] = progress(found)
        context["panels"] = track_panels(request, found)
    return _public(render(request, "selfservice/feedback_rate.html", context, status=410))


# --- Supervisors: the disagreements -------------------------------------------------------------


def _list_filters(request) -> tuple[str, str]:
    default_view = "queue" if checks_anywhere(request.user) else "mine"
    view = request.GET.get("view") or default_view
    if view not in VIEWS:
        view = default_view
    outcome = request.GET.get("outcome")
    if outcome is None:
        outcome = DisagreementOutcome.PENDING if view == "queue" else ""
    if outcome not in ("", *DisagreementOutcome.values):
        outcome = ""
    return view, outcome


@login_required
def disagreement_index(request):
    """The queue of disagreements to check (supervisors), or the worker's own record: the list,
    oldest first, and per worker how many 回访 were disputed, stood or failed."""
    view, outcome = _list_filters(request)
    page = page_of(request, disagreement_list(viewer=request.user, view=view, outcome=outcome))
    for row in page.object_list:
        row.can_check = may_check_row(request.user, row)
    return render(
        request,
        "selfservice/feedback_disagreements.html",
        {
            "page": page,
            "view": view,
            "outcome": outcome,
            "views": [
                ("queue", _("To check in my places")),
                ("mine", _("About my return visits")),
                ("all", _("All I can see")),
            ],
            "outcomes": [("", _("Any outcome")), *DisagreementOutcome.choices],
            "record": verification_record(viewer=request.user, view=view),
            "checks": checks_anywhere(request.user),
        },
    )


def _detail(request, row, *, form=None, status=200):
    return render(
        request,
        "selfservice/feedback_disagreement.html",
        {
            "row": row,
            "can_check": may_check_row(request.user, row),
            "form": form or CheckForm(),
        },
        status=status,
    )


@login_required
def disagreement_detail(request, pk: int):
    """One disagreement: the two answers side by side, and the check form for a supervisor."""
    return _detail(request, or_404(disagreement_get, viewer=request.user, pk=pk))


@require_POST
@login_required
def disagreement_check_view(request, pk: int):
    """Record a supervisor's check; a refusal shows the disagreement with the reason."""
    row = or_404(disagreement_get, viewer=request.user, pk=pk)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _detail(request, row, form=form, status=400)
    try:
        disagreement_check(
            disagreement=row,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        _add_refusal(form, exc)
        return _detail(request, row, form=form, status=exc.status)
    messages.success(request, _("The check is recorded."))
    return redirect("selfservice:disagreement-detail", pk=row.pk)


def _submit(request, form, found, record):
    """Record the answer of a valid form through ``record``: the redirect back to the tracking
    page when it is taken, else ``None`` and the status to answer the form again with (400, or
    the refusal's own with its message on the form)."""
    if not form.is_valid():
        return None, 400
    try:
        rating = record(form.answer())
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        _add_refusal(form, exc)
        return None, exc.status
    _done_message(request, rating)
    return _back_to_track(found.tracking_code_display), 200
