"""What requests_app adds to casework's pages and figures, registered at start-up.

casework never imports this app; it offers registries (``casework.panels``,
``casework.figures``) that this module fills in ``RequestsAppConfig.ready()``.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.template.loader import render_to_string

from casework.models import OrgUnit
from requests_app.models import Request, RequestStatus


def case_requests_panel(request, case) -> str:
    """The requests behind a case (residents' phones masked), on the case page."""
    rows = (
        Request.objects.filter(case=case)
        .select_related("resident", "category", "unit", "collected_by")
        .prefetch_related("photos")
        .order_by("collected_at", "pk")
    )
    return render_to_string(
        "requests_app/partials/case_requests.html", {"requests": rows, "case": case}, request
    )


def request_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """收集 / 现场解答 / 协助办理: requests collected, answered on the spot, opened as cases."""
    counts = Request.objects.filter(
        unit__path__startswith=unit.path, collected_at__gte=start, collected_at__lt=end
    ).aggregate(
        collected=Count("pk"),
        answered=Count("pk", filter=Q(status=RequestStatus.ANSWERED_ON_SPOT)),
        assisted=Count("pk", filter=Q(status=RequestStatus.CASE_OPENED)),
    )
    return {
        "requests_collected": counts["collected"],
        "requests_answered_on_spot": counts["answered"],
        "requests_assisted": counts["assisted"],
    }
