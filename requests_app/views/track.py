"""The public tracking page: a resident enters the code and sees where the request stands.

No login, no personal data: the category, the dates, the progress in plain words (受理 → 派单 →
办理中 → 已办结), the handling unit's name and the result or answer text (phone and ID numbers
and any run of seven or more digits masked), never a person's name or phone. Look-ups are
throttled per address so codes cannot be tried in bulk (they are not guessable anyway).

Other apps add sections below the result without this one importing them
(``register_track_panel``): selfservice asks the resident to rate a result there.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from casework.models import CaseState
from casework.text import SCRUBBED, scrub_personal
from casework.throttle import budget_retry_after, over_budget
from requests_app.models import Request, RequestStatus
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

#: The progress a resident follows, in the words of the counter (受理 → 派单 → 办理中 → 已办结).
STEPS = (
    ("taken_up", pgettext_lazy("progress", "Taken up")),
    ("dispatched", pgettext_lazy("progress", "Sent to the handling unit")),
    ("handling", pgettext_lazy("progress", "Being handled")),
    ("done", pgettext_lazy("progress", "Done")),
)
#: How many steps each case state has completed (a parked case counts where it was parked).
CASE_STEPS_DONE = {
    CaseState.NEW: 1,
    CaseState.REOPENED: 1,
    CaseState.ASSIGNED: 2,
    CaseState.IN_PROGRESS: 2,
    CaseState.RESOLVED: 4,
    CaseState.CLOSED: 4,
}

#: A run of seven or more digits (with spaces or hyphens between them): a number of someone's.
_DIGIT_RUN = re.compile(r"\d(?:[\s-]?\d){6,}")


def public_text(text: str) -> str:
    """Text staff wrote, as the public may read it: phone and ID numbers, and any other run of
    seven or more digits, replaced (``casework.text.scrub_personal`` and then the runs)."""
    return _DIGIT_RUN.sub(SCRUBBED, scrub_personal(text or ""))


def track_find(*, code: str) -> Request | None:
    """The request with this tracking code, with what the page shows and nothing more: one
    query, no scope (the code is the resident's key), no personal data read."""
    if not code:
        return None
    return (
        Request.objects.select_related("category", "case", "case__owner_unit")
        .only(
            "tracking_code",
            "status",
            "channel",
            "collected_at",
            "decided_at",
            "acknowledged_at",
            "answer",
            "category__name",
            "category__name_en",
            "case__state",
            "case__parked_from",
            "case__reopen_count",
            "case__created_at",
            "case__resolved_at",
            "case__closed_at",
            "case__result",
            "case__owner_unit__name",
        )
        .filter(tracking_code=code)
        .first()
    )


def _steps(done: int, *, skipped: frozenset[str] = frozenset(), ended: bool = False) -> list:
    """The four steps: each ``done``, ``current`` (the one under way, or the last once all are
    done), ``skipped`` (not needed) or ``waiting``. ``ended``: stopped, nothing is under way."""
    rows = []
    for index, (key, label) in enumerate(STEPS):
        if key in skipped:
            state = "skipped"
        elif index < done:
            state = "done"
        elif index == done and not ended:
            state = "current"
        else:
            state = "waiting"
        rows.append({"key": key, "label": label, "state": state})
    if done >= len(STEPS) and not ended:
        rows[-1]["state"] = "current"
        rows[-1]["complete"] = True
    return rows


def progress(found: Request) -> dict:
    """Where the request stands, in plain words and steps, for the page and the API (pure: reads
    only what ``track_find`` loaded). Never a person's name or phone."""
    case = found.case if found.case_id else None
    result = answer = ""
    unit = ""
    if case is not None:
        stage = CASE_STAGES[case.state]
        state = case.parked_from if case.state == CaseState.PARKED else case.state
        if case.state == CaseState.CANCELLED:
            steps = _steps(1, skipped=frozenset({"dispatched", "handling", "done"}), ended=True)
        else:
            steps = _steps(CASE_STEPS_DONE.get(state, 1))
        if case.owner_unit_id and case.state not in (CaseState.NEW, CaseState.CANCELLED):
            unit = case.owner_unit.name
        if case.state in (CaseState.RESOLVED, CaseState.CLOSED):
            result = public_text(case.result)
    else:
        stage = REQUEST_STAGES.get(found.status, "")
        if found.status == RequestStatus.ANSWERED_ON_SPOT:
            steps = _steps(4, skipped=frozenset({"dispatched", "handling"}))
            answer = public_text(found.answer)
        elif found.status == RequestStatus.REJECTED:
            steps = _steps(1, skipped=frozenset({"dispatched", "handling", "done"}), ended=True)
        else:
            taken_up = found.acknowledged_at is not None or found.decided_at is not None
            steps = _steps(1 if taken_up else 0)
    current = next((s["key"] for s in steps if s["state"] == "current"), None)
    return {
        "code": found.tracking_code_display,
        "category": found.category.name,
        "stage": stage,
        "steps": steps,
        "current": current,
        "reopened": bool(case is not None and case.reopen_count),
        "handling_unit": unit,
        "result": result,
        "answer": answer,
        "collected_on": found.collected_at,
        "decided_on": found.decided_at,
        "resolved_on": case.resolved_at if case is not None else None,
        "closed_on": case.closed_at if case is not None else None,
        "case_opened": case is not None,
    }


# --- Sections other apps add ------------------------------------------------------------------

_track_panels: list[Callable] = []


def register_track_panel(render_panel: Callable) -> None:
    """Add a section below the result: ``render_panel(request, found)`` returns HTML (or "")
    for the request ``found`` (``track_find``'s, with its case)."""
    if render_panel not in _track_panels:
        _track_panels.append(render_panel)


def track_panels(request, found: Request) -> list[SafeString]:
    rendered = (render_panel(request, found) for render_panel in _track_panels)
    # Each panel is a rendered template (escaped by the template engine), not raw input.
    return [mark_safe(html) for html in rendered if html]  # noqa: S308


def public_headers(response):
    """What every public page about a request answers with: no indexing, and the address (which
    may hold a tracking code or a link's token) never sent to another site. ``same-origin``
    rather than ``no-referrer``: under ``no-referrer`` browsers send ``Origin: null`` with the
    page's own POST forms (the rating), which Django's CSRF check refuses."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- The page ---------------------------------------------------------------------------------


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
            return public_headers(response)
        found = track_find(code=tracking_code_normalise(form.cleaned_data["code"]))
        if found is not None:
            context["found"] = progress(found)
            context["panels"] = track_panels(request, found)
    return public_headers(render(request, "requests_app/track.html", context))


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
