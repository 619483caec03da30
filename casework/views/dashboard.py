"""The dashboard page: one per unit level, the same figures as the API."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from casework.errors import NotFound, ValidationFailed
from casework.models import Case, OrgUnit, UnitKind
from casework.selectors.dashboard import (
    FIRST_YEAR,
    LAST_YEAR,
    STANDING_RATES,
    dashboard,
    dashboard_unit,
    month_start,
    next_month,
    period_bounds,
)
from casework.selectors.org import unit_ancestors
from casework.selectors.scope import scope_for
from casework.selectors.worker_rates import worker_rates
from casework.views.worker_rates import TABLE_ROWS, worker_table

RATE_LABELS = [
    ("response", _("Response rate")),
    ("resolution", _("Resolution rate")),
    ("satisfaction", _("Satisfaction rate")),
    ("on_time", _("On-time rate")),
    ("return", _("Return rate")),
    ("redo", _("Redo rate")),
]
#: The 民情书记's visits (民情书记下访), in the report's words: the requests their visits logged,
#: collected = answered on the spot + assisted + merged + rejected + pending.
VISIT_FIGURE_LABELS = [
    ("visit_visits", _("Minqing secretaries' visits (下访)")),
    ("visit_collected", _("Requests collected on the visits")),
    ("visit_answered_on_spot", _("Answered on the spot")),
    ("visit_assisted", _("Assisted (case opened, 协助办理)")),
    ("visit_merged", _("Merged into an earlier request")),
    ("visit_rejected", _("Rejected (不予受理)")),
    ("visit_pending", _("Not yet decided")),
]
FIGURE_LABELS = [
    ("requests_collected", _("Requests collected, all channels")),
    ("meetings_held", _("Meetings held, every type")),
    ("meeting_topics", _("Topics raised at meetings")),
    ("meeting_problems_solved", _("Problems solved at meetings")),
    ("problems_solved_four_party", _("Of them through four-party consultation")),
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


#: With no period asked for, the page shows the current month once it is this many days old;
#: before that, the last complete month. A month a day old has next to nothing in it: every rate
#: would read 0.0% or "—", and the red list would rank nothing. (The API's default is unchanged:
#: its callers name their period.)
CURRENT_MONTH_AFTER_DAYS = 7


def default_month(today: date) -> date:
    """The first day of the month the page shows when none is asked for."""
    this_month = month_start(today)
    if (today - this_month).days >= CURRENT_MONTH_AFTER_DAYS:
        return this_month
    return month_start(this_month - timedelta(days=1))


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
    if not start and not end:
        start = default_month(timezone.localdate())
    return period_bounds(start, end)


def dashboard_period(params) -> tuple[datetime, datetime]:
    """The period a page's ``from``/``to``/``month``/``quarter`` parameters ask for, as the
    dashboard reads them (other pages with the dashboard's period filter use this)."""
    return _period(params)


def _with_cases(rankings: list[list[dict]], *, start: datetime, end: datetime) -> list[list[dict]]:
    """The red and black lists without the units that had no cases opened in the period (two
    queries, however long the lists): a unit with nothing to judge is not ranked, best or worst."""
    ids = {r["unit"]["id"] for ranking in rankings for r in ranking}
    if not ids:
        return rankings
    paths = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "path"))
    counts = Case.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        **{
            f"u{pk}": Count("pk", filter=Q(unit__path__startswith=path))
            for pk, path in paths.items()
        }
    )
    return [[r for r in ranking if counts.get(f"u{r['unit']['id']}")] for ranking in rankings]


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
        # The page still shows the default month, under the message saying what was wrong.
        messages.error(request, exc.message)
        status, month, quarter = 400, "", ""
        start, end = _period({})
    asked = any(request.GET.get(name) for name in ("from", "to", "month", "quarter"))
    if not asked and status == 200:
        month = timezone.localtime(start).strftime("%Y-%m")  # the form shows what it shows
    data = dashboard(unit=unit, start=start, end=end)
    scope = scope_for(request.user)
    figures = [
        {"key": key, "label": label, "value": data["figures"][key]}
        for key, label in FIGURE_LABELS
        if key in data["figures"]
    ]
    visit_figures = [
        {"key": key, "label": label, "value": data["figures"][key]}
        for key, label in VISIT_FIGURE_LABELS
        if key in data["figures"]
    ]
    by_channel = data["volumes"].get("requests_by_channel", [])
    lists = [data["red_list"], data["black_list"]]
    red_list, black_list = _with_cases(lists, start=start, end=end)
    context = {
        "red_list": red_list,
        "black_list": black_list,
        "data": data,
        "unit": unit,
        "rate_labels": RATE_LABELS,
        "figures": figures,
        "visit_figures": visit_figures,
        "visits": {
            key.removeprefix("visit_"): value
            for key, value in data["figures"].items()
            if key.startswith("visit_")
        },
        "ancestors": [a for a in unit_ancestors(unit) if scope.covers_path(a.path)],
        "units": OrgUnit.objects.filter(scope.units_q(), kind__in=DASHBOARD_KINDS).order_by(
            "path"
        )[:500],
        "channel_total": sum(row["requests"] for row in by_channel),
        "state_total": sum(row["cases"] for row in data["volumes"]["cases_by_state"]),
        "month": month,
        "quarter": quarter,
        "standing_rates": [label for key, label in RATE_LABELS if key in STANDING_RATES],
        # Each handler's and collector's rates, worst first (3 queries however many workers).
        "workers": worker_table(
            worker_rates(viewer=request.user, unit=unit, start=start, end=end), limit=TABLE_ROWS
        ),
    }
    return render(request, "casework/dashboard.html", context, status=status)
