"""The dashboard page: one per unit level, the same figures as the API."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from casework.errors import NotFound, ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.dashboard import (
    dashboard,
    dashboard_unit,
    next_month,
    period_bounds,
)
from casework.selectors.org import unit_ancestors
from casework.selectors.scope import scope_for

RATE_LABELS = [
    ("response", _("Response rate")),
    ("resolution", _("Resolution rate")),
    ("satisfaction", _("Satisfaction rate")),
    ("on_time", _("On-time rate")),
    ("return", _("Return rate")),
    ("redo", _("Redo rate")),
]
FIGURE_LABELS = [
    ("requests_collected", _("Requests collected")),
    ("requests_answered_on_spot", _("Answered on the spot")),
    ("requests_assisted", _("Opened as cases")),
    ("consultations_held", _("Consultations held")),
    ("consultation_problems_solved", _("Problems solved by consultation")),
    ("volunteer_activities", _("Volunteer activities")),
    ("volunteer_people_served", _("People served by volunteers")),
    ("dual_registration_members", _("Party members registered (双报到)")),
]
DASHBOARD_KINDS = [
    UnitKind.CITY,
    UnitKind.COUNTY,
    UnitKind.TOWN,
    UnitKind.COMMUNITY,
    UnitKind.GRID,
]


QUARTER = re.compile(r"(\d{4})Q([1-4])")


@login_required
def dashboard_page(request):
    try:
        unit = dashboard_unit(viewer=request.user, unit_id=request.GET.get("unit"))
    except NotFound:
        raise Http404 from None
    month = request.GET.get("month") or ""
    quarter = (request.GET.get("quarter") or "").upper()
    start_day = parse_date(request.GET.get("from") or "") or (
        parse_date(f"{month}-01") if month else None
    )
    end_day = parse_date(request.GET.get("to") or "")
    if month and start_day and not end_day:
        end_day = date.fromordinal(next_month(start_day).toordinal() - 1)
    found = QUARTER.fullmatch(quarter)
    if found and not start_day:
        year, number = int(found[1]), int(found[2])
        start_day = date(year, 3 * number - 2, 1)
        end_day = date.fromordinal(
            (date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)).toordinal()
            - 1
        )
    try:
        start, end = period_bounds(start_day, end_day)
    except ValidationFailed:
        start, end = period_bounds(None, None)
    data = dashboard(unit=unit, start=start, end=end)
    scope = scope_for(request.user)
    figures = [
        {"key": key, "label": label, "value": data["figures"][key]}
        for key, label in FIGURE_LABELS
        if key in data["figures"]
    ]
    by_channel = data["volumes"].get("requests_by_channel", [])
    context = {
        "data": data,
        "unit": unit,
        "rate_labels": RATE_LABELS,
        "figures": figures,
        "ancestors": [a for a in unit_ancestors(unit) if scope.covers_path(a.path)],
        "units": OrgUnit.objects.filter(scope.units_q(), kind__in=DASHBOARD_KINDS).order_by(
            "path"
        )[:500],
        "channel_total": sum(row["requests"] for row in by_channel),
        "state_total": sum(row["cases"] for row in data["volumes"]["cases_by_state"]),
        "month": month,
        "quarter": quarter if found else "",
    }
    return render(request, "casework/dashboard.html", context)
