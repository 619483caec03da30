"""The 民情书记's visit figures (per secretary and per place, for a period) and the month's
coverage (遍访), for a unit the viewer may see. The API (``requests_app/api/visit_figures.py``)
serves the same selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from casework.errors import NotFound, ValidationFailed
from casework.models import OrgUnit
from casework.selectors.dashboard import dashboard_unit
from casework.selectors.org import unit_ancestors
from casework.selectors.scope import scope_for
from casework.views.dashboard import DASHBOARD_KINDS, dashboard_period
from requests_app.selectors.coverage import month_parse, visit_coverage
from requests_app.selectors.visit_figures import visit_figures

#: At most this many units in the page's unit picker (the picker asks the API for the rest).
PICKER_UNITS = 500


def _unit(request) -> OrgUnit:
    try:
        return dashboard_unit(viewer=request.user, unit_id=request.GET.get("unit"))
    except NotFound:
        raise Http404 from None


def _picker(request, unit: OrgUnit) -> dict:
    scope = scope_for(request.user)
    return {
        "unit": unit,
        "ancestors": [a for a in unit_ancestors(unit) if scope.covers_path(a.path)],
        "units": OrgUnit.objects.filter(scope.units_q(), kind__in=DASHBOARD_KINDS).order_by(
            "path"
        )[:PICKER_UNITS],
    }


@login_required
def visit_figures_page(request):
    """民情书记下访: visits and what they collected, per secretary and per place."""
    unit = _unit(request)
    status = 200
    params = request.GET
    try:
        start, end = dashboard_period(params)
    except ValidationFailed as exc:
        # The page still shows the default period, under the message saying what was wrong.
        messages.error(request, exc.message)
        status, params = 400, {}
        start, end = dashboard_period(params)
    figures = visit_figures(unit=unit, start=start, end=end)
    context = {
        **_picker(request, unit),
        "figures": figures,
        "month": params.get("month") or "",
        "quarter": (params.get("quarter") or "").upper(),
        "from": params.get("from") or "",
        "to": params.get("to") or "",
    }
    return render(request, "requests_app/visit_figures.html", context, status=status)


@login_required
def visit_coverage_page(request):
    """遍访: each secretary's visits this month and the compounds not visited."""
    unit = _unit(request)
    status = 200
    try:
        month = month_parse(request.GET.get("month"))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        status = 400
        month = month_parse("")
    coverage = visit_coverage(unit=unit, month=month)
    context = {
        **_picker(request, unit),
        "coverage": coverage,
        "month": month.label,
        "this_month": month.first == timezone.localdate().replace(day=1),
    }
    return render(request, "requests_app/visit_coverage.html", context, status=status)
