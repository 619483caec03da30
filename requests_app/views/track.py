"""The public tracking page: a resident enters the code and sees where the request stands.

No login, no personal data: only the category, the dates and a coarse state. Look-ups are
throttled per address so codes cannot be tried in bulk (they are not guessable anyway).
"""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from casework.models import CaseState
from requests_app.models import RequestStatus
from requests_app.selectors import request_track
from requests_app.services import tracking_code_normalise
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


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _throttled(request) -> bool:
    key = f"minqing:track:{_client_address(request)}"
    cache.add(key, 0, TRACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, TRACK_WINDOW)
        count = 1
    return count > TRACK_LIMIT


def track(request):
    form = TrackForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        context["searched"] = True
        if _throttled(request):
            context["throttled"] = True
            return render(request, "requests_app/track.html", context, status=429)
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
