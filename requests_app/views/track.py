"""The public tracking page: a resident enters the code and sees where the request stands.

No login, no personal data: only the category, the dates and a coarse state. Look-ups are
throttled per address so codes cannot be tried in bulk (they are not guessable anyway).
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework.models import CaseState
from casework.throttle import budget_retry_after, over_budget
from requests_app.models import Request, RequestStatus
from requests_app.selectors import request_track
from requests_app.services import tracking_code_normalise
from requests_app.services.requests import TRACKING_ALPHABET, TRACKING_LENGTH
from requests_app.views.forms import TrackForm

#: Look-ups allowed per client address per window.
TRACK_LIMIT = 30
TRACK_WINDOW = 600

#: What a resident is told, from the request's status and its case's state.
CASE_STAGES = {
    CaseState.NEW: _("Received, waiting to be assigned"),
    CaseState.ASSIGNED: _("Being handled"),
    CaseState.IN_PROGRESS: _("Being handled"),
    CaseState.REOPENED: _("Being handled again"),
    CaseState.RESOLVED: _("Resolved, waiting for your feedback"),
    CaseState.CLOSED: _("Closed"),
    CaseState.CANCELLED: _("Closed without action"),
    CaseState.PARKED: _("Included in a plan: waiting for its budget or project (挂账)"),
}
REQUEST_STAGES = {
    RequestStatus.COLLECTED: _("Received"),
    RequestStatus.ANSWERED_ON_SPOT: _("Answered on the spot"),
    RequestStatus.REJECTED: _("Not taken up"),
}


def _throttled(request) -> bool:
    return over_budget(request, "track", limit=TRACK_LIMIT, window=TRACK_WINDOW)


def track(request):
    form = TrackForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        context["searched"] = True
        if _throttled(request):
            context["throttled"] = True
            response = render(request, "requests_app/track.html", context, status=429)
            response["Retry-After"] = budget_retry_after(request, "track", window=TRACK_WINDOW)
            return response
        found = request_track(code=tracking_code_normalise(form.cleaned_data["code"]))
        if found is not None:
            stage = (
                CASE_STAGES[found.case.state]
                if found.case_id is not None
                else REQUEST_STAGES.get(found.status, "")
            )
            context["found"] = {
                "code": found.tracking_code_display,
                "category": found.category.name,
                "collected_on": found.collected_at,
                "decided_on": found.decided_at,
                "stage": stage,
                "case_opened": found.case_id is not None,
                "closed_on": found.case.closed_at if found.case_id else None,
            }
    response = render(request, "requests_app/track.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def tracking_url(request, code: str) -> str:
    """The public tracking page for ``code``, as an absolute URL a resident's phone can open."""
    # Written the one way (Request.tracking_code_display), as the worker reads it out.
    query = urlencode({"code": Request(tracking_code=code).tracking_code_display})
    return request.build_absolute_uri(reverse("requests_app:track")) + "?" + query


@require_GET
@login_required
def track_qr(request, code: str):
    """A QR code (SVG) that opens the public tracking page of a request, for the worker to show
    the resident. It holds the page's address with the code and nothing else. Any well-formed
    code gets its picture: looking the code up would tell a signed-in guesser which codes exist,
    past the tracking page's own throttle."""
    normal = tracking_code_normalise(code)
    if len(normal) != TRACKING_LENGTH or set(normal) - set(TRACKING_ALPHABET):
        raise Http404
    buffer = io.BytesIO()
    segno.make(tracking_url(request, normal), error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, dark="#000", light="#fff"
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Robots-Tag"] = "noindex"
    return response
