"""A unit's dashboard for a period: volumes, the six rates for it and each unit below it, the
trend, the red and black lists, hot spots and the article's figures.

Every figure is a SQL aggregate; the result is cached per unit and period under a version that
every new case event bumps, so a dashboard is never staler than the last event.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from statistics import mean

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import figures as contributions
from casework.calendar import MAX_YEAR, MIN_YEAR
from casework.errors import NotFound, ValidationFailed
from casework.models import Case, CaseState, OrgUnit, UnitKind
from casework.rates import rates
from casework.selectors.org import unit_get
from casework.selectors.rates import rate_counts, rate_trend
from casework.selectors.scope import scope_for

EVENTS_VERSION_KEY = "minqing:events-version"
TREND_MONTHS = 6
LIST_SIZE = 5
#: The years a period may fall in: those a working calendar may hold. Checking them keeps the
#: date arithmetic (the month after, the trend's months before) inside what ``date`` holds.
FIRST_YEAR, LAST_YEAR = MIN_YEAR, MAX_YEAR
#: The rates a unit's standing in the red and black lists is the mean of.
STANDING_RATES = ("response", "resolution", "satisfaction", "on_time")


# --- Periods -----------------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_bounds(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """[start, end] as local dates (end inclusive) → aware datetimes [start, end + 1 day)."""
    for day, field in ((start, "from"), (end, "to")):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationFailed(
                _("%(day)s is not a day from %(first)d to %(last)d.")
                % {"day": day.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
                field=field,
            )
    today = timezone.localdate()
    start = start or month_start(today)
    end = end or (next_month(start) - timedelta(days=1))
    if end < start:
        raise ValidationFailed(_("The period ends before it starts."), field="to")
    if (end - start).days > 731:
        raise ValidationFailed(_("A period is at most two years."), field="to")
    return _local_midnight(start), _local_midnight(end + timedelta(days=1))


def trend_months(end: datetime, count: int = TREND_MONTHS) -> list[tuple[datetime, datetime]]:
    """The ``count`` calendar months up to the one ``end`` falls in (local time)."""
    last = month_start(timezone.localtime(end - timedelta(microseconds=1)).date())
    months = []
    current = last
    for _month in range(count):
        months.append((_local_midnight(current), _local_midnight(next_month(current))))
        current = month_start(current - timedelta(days=1))
    return list(reversed(months))


# --- The unit ----------------------------------------------------------------------------------


def default_unit(viewer) -> OrgUnit:
    """The viewer's widest unit: the highest of the subtrees they cover."""
    scope = scope_for(viewer)
    if scope.everything:
        unit = OrgUnit.objects.filter(depth=1).order_by("path").first()
    else:
        unit = OrgUnit.objects.filter(path__in=scope.paths).order_by("depth", "path").first()
    if unit is None:
        raise NotFound(_("You cover no unit."), field="unit")
    return unit


def dashboard_unit(*, viewer, unit_id) -> OrgUnit:
    return unit_get(viewer=viewer, pk=unit_id) if unit_id else default_unit(viewer)


# --- Caching -----------------------------------------------------------------------------------


def events_version() -> int:
    return cache.get_or_set(EVENTS_VERSION_KEY, 1, None)


def events_changed() -> None:
    """Invalidate every cached dashboard (called after new case events commit)."""
    try:
        cache.incr(EVENTS_VERSION_KEY)
    except ValueError:
        cache.set(EVENTS_VERSION_KEY, 2, None)


# --- The dashboard -----------------------------------------------------------------------------


def standing_of(rate_values: dict) -> float | None:
    values = [rate_values[name] for name in STANDING_RATES if rate_values[name] is not None]
    return round(mean(values), 4) if values else None


def _ranked_level(unit: OrgUnit) -> int:
    """The depth of the units a dashboard ranks: communities, or grids within a community."""
    if unit.depth < 4:
        return 4
    return unit.depth + 1


def dashboard(*, unit: OrgUnit, start: datetime, end: datetime, use_cache: bool = True) -> dict:
    key = f"minqing:dashboard:{events_version()}:{unit.pk}:{start.isoformat()}:{end.isoformat()}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    result = _build(unit=unit, start=start, end=end)
    if use_cache:
        cache.set(key, result, getattr(settings, "MINQING_DASHBOARD_CACHE_SECONDS", 600))
    return result


def _unit_row(unit: OrgUnit) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind}


def _build(*, unit: OrgUnit, start: datetime, end: datetime) -> dict:
    minimum = float(getattr(settings, "MINQING_MIN_SATISFACTION", 0.8))
    total, by_child = rate_counts(unit=unit, start=start, end=end)
    children = {
        u.pk: u
        for u in OrgUnit.objects.filter(pk__in=list(by_child), is_active=True).order_by("path")
    }
    child_rows = []
    for pk, child in children.items():
        child_rates = rates(by_child[pk])
        satisfaction = child_rates["satisfaction"]
        child_rows.append(
            {
                "unit": _unit_row(child),
                "rates": child_rates,
                "extensions": by_child[pk].extended,
                "parked": by_child[pk].parked,
                "flagged": satisfaction is not None and satisfaction < minimum,
            }
        )

    level = _ranked_level(unit)
    _whole, ranked_counts = rate_counts(unit=unit, start=start, end=end, depth=level)
    ranked_units = {
        u.pk: u
        for u in OrgUnit.objects.filter(
            pk__in=list(ranked_counts), kind__in=[UnitKind.COMMUNITY, UnitKind.GRID]
        )
    }
    standings = []
    for pk, counts in ranked_counts.items():
        if pk not in ranked_units:
            continue
        standing = standing_of(rates(counts))
        if standing is not None:
            standings.append((standing, ranked_units[pk].path, pk))
    standings.sort(key=lambda s: (-s[0], s[1]))
    red = standings[:LIST_SIZE]
    black = [s for s in reversed(standings[-LIST_SIZE:]) if s not in red]

    def listed(rows):
        return [
            {"unit": _unit_row(ranked_units[pk]), "standing": standing}
            for standing, _path, pk in rows
        ]

    cases = Case.objects.filter(
        unit__path__startswith=unit.path, created_at__gte=start, created_at__lt=end
    ).order_by()
    volumes = {
        "cases_opened": cases.count(),
        "cases_by_state": [
            {"state": state, "label": str(CaseState(state).label), "cases": n}
            for state, n in cases.values_list("state").annotate(n=Count("pk")).order_by("-n")
        ],
        "cases_by_category": [
            {"category": name, "cases": n}
            for name, n in cases.annotate(
                group=Coalesce("category__parent__name", "category__name")
            )
            .values_list("group")
            .annotate(n=Count("pk"))
            .order_by("-n", "group")
        ],
        **contributions.collect("volumes", unit=unit, start=start, end=end),
    }
    trend = [
        {"month": timezone.localtime(m_start).strftime("%Y-%m"), "rates": rates(counts)}
        for (m_start, _m_end), counts in zip(
            trend_months(end), rate_trend(unit=unit, months=trend_months(end)), strict=True
        )
    ]
    return {
        "unit": _unit_row(unit),
        "from": timezone.localtime(start).date().isoformat(),
        "to": (timezone.localtime(end).date() - timedelta(days=1)).isoformat(),
        "volumes": volumes,
        "rates": rates(total),
        # Beside the rates, not in them: deadlines moved (延期) and cases parked (挂账).
        "extensions": total.extended,
        "parked": total.parked,
        "parked_now": Case.objects.filter(
            unit__path__startswith=unit.path, state=CaseState.PARKED
        ).count(),
        "children": child_rows,
        "minimum_satisfaction": minimum,
        "red_list": listed(red),
        "black_list": listed(black),
        "trend": trend,
        "hotspots": contributions.collect("hotspots", unit=unit, start=start, end=end),
        "figures": contributions.collect("figures", unit=unit, start=start, end=end),
    }
