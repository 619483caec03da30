"""``/dispatch/``: the suggestion model's versions, retraining, and how suggestions were taken
per category (supervisors and administrators; retraining and choosing a version: admins)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.errors import DomainError, NotPermitted, ValidationFailed
from casework.views.errors import refusal_as_message
from casework.views.paging import page_of
from dispatch import selectors
from dispatch.services import model_activate, model_train

#: Versions per page (one a week: a quarter's worth).
VERSIONS_PER_PAGE = 12


def _day(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        day = parse_date(raw) if len(raw) == 10 else None
    except ValueError:  # well formed, but no such day (2026-13-01)
        day = None
    if day is None:
        raise ValidationFailed(_("Not a date (YYYY-MM-DD)."), field=field)
    return day


def _check_may_view(user) -> None:
    try:
        selectors.check_may_view(user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None


@login_required
def index(request):
    """The active model, its versions, and the acceptance of suggestions over a period."""
    _check_may_view(request.user)
    status = 200
    raw_from, raw_to = request.GET.get("from") or "", request.GET.get("to") or ""
    try:
        start, end = selectors.acceptance_period(_day(raw_from, "from"), _day(raw_to, "to"))
    except DomainError as exc:
        # The page still shows the default period, under the message saying what was wrong.
        messages.error(request, exc.message)
        status, raw_from, raw_to = 400, "", ""
        start, end = selectors.acceptance_period(None, None)
    versions = page_of(request, selectors.model_list(), size=VERSIONS_PER_PAGE)
    context = {
        "active": selectors.model_active(),
        "versions": versions,
        "page": versions,
        "figures": selectors.acceptance(viewer=request.user, start=start, end=end),
        "from": raw_from or start.date().isoformat(),
        "to": raw_to or selectors.last_day(end).isoformat(),
        "may_retrain": selectors.may_retrain(request.user),
    }
    return render(request, "dispatch/index.html", context, status=status)


@login_required
@require_POST
def train(request):
    """Train a new version now (administrators) and make it active."""
    with refusal_as_message(request) as refused:
        version = model_train(actor=request.user)
    if not refused:
        messages.success(
            request,
            _("Version %(version)d trained from %(n)d requests and made active.")
            % {"version": version.pk, "n": version.samples},
        )
    return redirect("dispatch:index")


@login_required
@require_POST
def activate(request, pk: int):
    """Make an earlier version active again (administrators)."""
    with refusal_as_message(request) as refused:
        version = model_activate(actor=request.user, version_id=pk)
    if not refused:
        messages.success(
            request, _("Version %(version)d is now active.") % {"version": version.pk}
        )
    return redirect("dispatch:index")
