"""The dashboard page: one per unit level, the same figures as the API."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from casework.errors import NotFound, ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.dashboard import (
    FIRST_YEAR,
    LAST_YEAR,
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
MONTH = re.compile(r"(\d{4})-(\d{2})")


def _refused(message, value: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        message % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}, field=field
    )


def _day(value: str, *, field: str) -> date | None:
    """A ``YYYY-MM-DD`` parameter, ``None`` when empty; else ``ValidationFailed`` naming it."""
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:  # well formed, but no such day (2026-02-30)
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _refused(
            _("“%(value)s” is not a day from %(first)d to %(last)d (YYYY-MM-DD)."), value, field
        )
    return day


def _month(value: str) -> tuple[date, date] | None:
    """A ``YYYY-MM`` parameter as its first and last days."""
    if not value:
        return None
    found = MONTH.fullmatch(value)
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR or not 1 <= int(found[2]) <= 12:
        raise _refused(
            _("“%(value)s” is not a month from %(first)d to %(last)d (YYYY-MM)."), value, "month"
        )
    first = date(int(found[1]), int(found[2]), 1)
    return first, next_month(first) - timedelta(days=1)


def _quarter(value: str) -> tuple[date, date] | None:
    """A ``YYYYQn`` parameter as its first and last days."""
    if not value:
        return None
    found = QUARTER.fullmatch(value)
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise _refused(
            _("“%(value)s” is not a quarter from %(first)d to %(last)d (YYYYQ1 to YYYYQ4)."),
            value,
            "quarter",
        )
    year, number = int(found[1]), int(found[2])
    first = date(year, 3 * number - 2, 1)
    return first, next_month(first.replace(month=3 * number)) - timedelta(days=1)


def _period(params) -> tuple[datetime, datetime]:
    """The period the page's parameters ask for: ``from``/``to``, else a month, else a quarter.

    A parameter that is not a day, month or quarter the dashboard covers is refused
    (``ValidationFailed`` naming it), never taken for another or left to overflow.
    """
    start = _day(params.get("from") or "", field="from")
    end = _day(params.get("to") or "", field="to")
    month = _month(params.get("month") or "")
    quarter = _quarter((params.get("quarter") or "").upper())
    chosen = month or quarter
    if chosen and not start:
        start, end = chosen[0], end or chosen[1]
    return period_bounds(start, end)


@login_required
def dashboard_page(request):
    try:
        unit = dashboard_unit(viewer=request.user, unit_id=request.GET.get("unit"))
    except NotFound:
        raise Http404 from None
    month = request.GET.get("month") or ""
    quarter = (request.GET.get("quarter") or "").upper()
    status = 200
    try:
        start, end = _period(request.GET)
    except ValidationFailed as exc:
        # The page still shows the current month, under the message saying what was wrong.
        messages.error(request, exc.message)
        status, month, quarter = 400, "", ""
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
        "quarter": quarter,
    }
    return render(request, "casework/dashboard.html", context, status=status)
