"""Open311 reads: services, service definitions and the public view of requests.

Nothing here is scoped to a viewer: GeoReport reads are public. So every row is built from
public-safe fields only: the category, the coarse place (compound or grid, and community), the
dates, the state and the handling unit's name. A resident's name, phone, ID number and address,
the request's description and the case's text never leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.errors import NotFound, ValidationFailed
from casework.models import CaseEvent, Category, OrgUnit, UnitKind
from casework.models.cases import TERMINAL_STATES
from casework.selectors.categories import category_list
from casework.text import query_text
from requests_app.models import Request, RequestStatus
from requests_app.views.track import CASE_STAGES, REQUEST_STAGES

#: The spec's defaults: the last 90 days, at most 1,000 requests.
DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
#: Points are given to three decimals (about 110 m): a compound, never a door.
POINT_STEP = Decimal("0.001")
STEPLEN = OrgUnit.steplen

OPEN, CLOSED = "open", "closed"


def _name(category: Category | None) -> str:
    if category is None:
        return ""
    if (get_language() or "").startswith("en") and category.name_en:
        return category.name_en
    return category.name


def service_notice(category: Category) -> str:
    """The service level of the category, as Open311's ``service_notice``."""
    if category.resolve_unit == "hours":
        return _("To be resolved within %(n)d hours.") % {"n": category.resolve_amount}
    return _("To be resolved within %(n)d working days.") % {"n": category.resolve_amount}


def _service(category: Category) -> dict:
    keywords = [k for k in (category.name, category.name_en, category.pinyin) if k]
    if category.parent_id:
        keywords.append(category.parent.name)
    return {
        "service_code": category.code,
        "service_name": _name(category),
        "description": service_notice(category),
        # No category has extra questions, so no service needs its definition.
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(keywords)),
        "group": _name(category.parent),
    }


def service_list() -> list[dict]:
    """Every active category a request can be filed under (the leaves), as Open311 services."""
    return [_service(c) for c in category_list(leaves_only=True)]


def service_definition(*, code: str) -> dict:
    """The service definition: its attributes (none: categories have no extra questions)."""
    if not category_list(leaves_only=True).filter(code=code).exists():
        raise NotFound(_("service_code was not found."), field="service_code")
    return {"service_code": code, "attributes": []}


# --- Requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestQuery:
    ids: tuple[int, ...] = ()
    codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = MAX_RESULTS


def _split(raw: str, field: str) -> list[str]:
    return [part.strip() for part in query_text(raw, field=field).split(",") if part.strip()]


def _when(raw: str, field: str) -> datetime | None:
    raw = query_text(raw, field=field).strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed(
            _("Not a W3C date and time (e.g. 2010-01-01T00:00:00Z)."), field=field
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _positive(raw: str, field: str, default: int, most: int) -> int:
    raw = query_text(raw, field=field).strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw[:9]) <= most or len(raw) > 9:
        raise ValidationFailed(
            _("A whole number from 1 to %(most)d.") % {"most": most}, field=field
        )
    return int(raw)


def request_query(params) -> RequestQuery:
    """Parse ``GET requests`` parameters (a QueryDict or dict) or raise ``ValidationFailed``."""
    get = params.get
    ids = []
    for part in _split(get("service_request_id") or "", "service_request_id"):
        if not part.isdigit() or len(part) > 18:
            raise ValidationFailed(_("Not a service_request_id."), field="service_request_id")
        ids.append(int(part))
    statuses = _split(get("status") or "", "status")
    for status in statuses:
        if status not in (OPEN, CLOSED):
            raise ValidationFailed(_("status is open or closed."), field="status")
    start, end = (
        _when(get("start_date") or "", "start_date"),
        _when(get("end_date") or "", "end_date"),
    )
    if start and end and start > end:
        raise ValidationFailed(_("start_date is after end_date."), field="start_date")
    if start and end and end - start > DEFAULT_SPAN:
        raise ValidationFailed(_("The dates may not span more than 90 days."), field="end_date")
    return RequestQuery(
        ids=tuple(ids),
        codes=tuple(_split(get("service_code") or "", "service_code")),
        start=start,
        end=end,
        statuses=tuple(statuses),
        page=_positive(get("page") or "", "page", 1, 1_000_000),
        page_size=_positive(get("page_size") or "", "page_size", MAX_RESULTS, MAX_RESULTS),
    )


def _closed_q() -> Q:
    # Answered on the spot, merged into another request, rejected; or a case closed/cancelled.
    return Q(
        status__in=[RequestStatus.ANSWERED_ON_SPOT, RequestStatus.MERGED, RequestStatus.REJECTED]
    ) | Q(status=RequestStatus.CASE_OPENED, case__state__in=TERMINAL_STATES)


def _base() -> QuerySet[Request]:
    last_event = (
        CaseEvent.objects.filter(case=OuterRef("case_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        Request.objects.select_related(
            "category", "category__parent", "unit", "case", "case__owner_unit", "open311"
        )
        .only(
            "pk",
            "status",
            "collected_at",
            "decided_at",
            "latitude",
            "longitude",
            "category__code",
            "category__name",
            "category__name_en",
            "category__resolve_amount",
            "category__resolve_unit",
            "category__parent__name",
            "category__parent__name_en",
            "unit__path",
            "unit__name",
            "unit__kind",
            "unit__latitude",
            "unit__longitude",
            "case__state",
            "case__due_at",
            "case__closed_at",
            "case__owner_unit__name",
            "open311__media_url",
        )
        .annotate(case_updated_at=Subquery(last_event))
    )


def request_public_list(query: RequestQuery, *, now: datetime | None = None) -> list[dict]:
    """One page of requests, newest first, as Open311 rows: two queries whatever the count."""
    qs = _base()
    if query.ids:
        # "This overrides all other arguments."
        qs = qs.filter(pk__in=query.ids)
    else:
        now = now or timezone.now()
        end = query.end or ((query.start + DEFAULT_SPAN) if query.start else now)
        start = query.start or (end - DEFAULT_SPAN)
        qs = qs.filter(collected_at__gte=start, collected_at__lte=end)
        if query.codes:
            qs = qs.filter(category__code__in=query.codes)
        if set(query.statuses) == {OPEN}:
            qs = qs.exclude(_closed_q())
        elif set(query.statuses) == {CLOSED}:
            qs = qs.filter(_closed_q())
    offset = (query.page - 1) * query.page_size
    rows = list(qs.order_by("-collected_at", "-pk")[offset : offset + query.page_size])
    return _as_open311(rows)


def request_public_get(*, pk: str) -> dict:
    """One request as an Open311 row; ``NotFound`` when there is none."""
    if not pk.isdigit() or len(pk) > 18:
        raise NotFound(_("service_request_id was not found."), field="service_request_id")
    rows = _as_open311(list(_base().filter(pk=int(pk))))
    if not rows:
        raise NotFound(_("service_request_id was not found."), field="service_request_id")
    return rows[0]


def open311_status(request: Request) -> str:
    if request.status == RequestStatus.COLLECTED:
        return OPEN
    if request.status == RequestStatus.CASE_OPENED and request.case.state not in TERMINAL_STATES:
        return OPEN
    return CLOSED


def _status_notes(request: Request) -> str:
    if request.status == RequestStatus.CASE_OPENED:
        return str(CASE_STAGES[request.case.state])
    if request.status == RequestStatus.MERGED:
        return str(RequestStatus.MERGED.label)
    return str(REQUEST_STAGES.get(request.status, ""))


def _area_paths(unit: OrgUnit) -> list[str]:
    """The paths of the compound or grid (the public level of a place) and its community."""
    path = unit.path
    if unit.kind == UnitKind.BUILDING:
        path = path[:-STEPLEN]
    if unit.kind in (UnitKind.BUILDING, UnitKind.COMPOUND):
        # A compound's parent is its grid; the community is above the grid.
        return [path, path[: -2 * STEPLEN]]
    return [path, path[:-STEPLEN]]


def _time(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _coarse(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(POINT_STEP, rounding=ROUND_HALF_UP))


def _as_open311(rows: list[Request]) -> list[dict]:
    paths = {p for r in rows for p in _area_paths(r.unit)}
    areas = (
        {
            u.path: u
            for u in OrgUnit.objects.filter(path__in=paths).only(
                "path", "name", "latitude", "longitude"
            )
        }
        if paths
        else {}
    )
    out = []
    for r in rows:
        place_path, community_path = _area_paths(r.unit)
        place, community = areas.get(place_path), areas.get(community_path)
        address = ", ".join(dict.fromkeys(u.name for u in (place, community) if u is not None))
        lat, lng = r.latitude, r.longitude
        if lat is None and place is not None:
            lat, lng = place.latitude, place.longitude
        case = r.case if r.case_id else None
        status = open311_status(r)
        updated = max(
            t
            for t in (
                r.collected_at,
                r.decided_at,
                getattr(r, "case_updated_at", None) if case else None,
            )
            if t is not None
        )
        submission = getattr(r, "open311", None) if _has_submission(r) else None
        out.append(
            {
                "service_request_id": r.pk,
                "status": status,
                "status_notes": _status_notes(r),
                "service_name": _name(r.category),
                "service_code": r.category.code,
                # The resident's own words may name them or their flat: never published.
                "description": None,
                "agency_responsible": (
                    case.owner_unit.name if case is not None and case.owner_unit_id else None
                ),
                "service_notice": service_notice(r.category),
                "requested_datetime": _time(r.collected_at),
                "updated_datetime": _time(
                    case.closed_at if status == CLOSED and case and case.closed_at else updated
                ),
                "expected_datetime": _time(case.due_at) if case is not None else None,
                "address": address or None,
                "address_id": place.pk if place is not None else None,
                "zipcode": None,
                "lat": _coarse(lat),
                "long": _coarse(lng),
                "media_url": (submission.media_url or None) if submission else None,
            }
        )
    return out


def _has_submission(request: Request) -> bool:
    try:
        request.open311  # noqa: B018  (select_related filled it, or it is missing)
    except Request.open311.RelatedObjectDoesNotExist:
        return False
    return True
