"""``GET /api/v1/visits/figures/`` (民情书记下访) and ``GET /api/v1/visits/coverage/`` (遍访):
the same selectors as the pages, for a unit in the caller's scope."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.dashboard import DashboardQuery
from casework.selectors.dashboard import dashboard_unit, period_bounds
from requests_app.selectors.coverage import month_parse, visit_coverage
from requests_app.selectors.visit_figures import visit_figures

UNIT_PARAMETER = OpenApiParameter("unit", int, description="Unit id (default: your widest unit)")
REFUSALS = {
    400: OpenApiResponse(description="Bad parameters, naming the field"),
    404: OpenApiResponse(description="No such unit in your scope"),
}


class VisitFiguresView(APIView):
    """The 民情书记's visits for a period: totals, per secretary, per unit below and per
    community. Only the requests logged in the secretaries' visits count; in every row
    ``collected = answered_on_spot + assisted + merged + rejected + pending``; ``visits``
    counts visits. ``unit`` defaults to your widest unit, the period to the current month;
    dates are local (Asia/Shanghai) and ``to`` is inclusive."""

    @extend_schema(
        parameters=[
            UNIT_PARAMETER,
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
        ],
        responses={200: {"type": "object"}, **REFUSALS},
    )
    def get(self, request):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        unit = dashboard_unit(viewer=request.user, unit_id=v.get("unit"))
        start, end = period_bounds(v.get("from_"), v.get("to"))
        return Response(visit_figures(unit=unit, start=start, end=end))


class CoverageQuery(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1)
    month = serializers.CharField(required=False, allow_blank=True, max_length=7)


class VisitCoverageView(APIView):
    """Monthly coverage (遍访): each 民情书记 in the unit with their visits in the month and
    the compounds of their community not visited (a compound is visited when a visit went to
    it or a building in it, or logged a request there); secretaries with no visit first.
    ``month`` is ``YYYY-MM``, the current month by default."""

    @extend_schema(
        parameters=[
            UNIT_PARAMETER,
            OpenApiParameter("month", str, description="YYYY-MM (default: this month)"),
        ],
        responses={200: {"type": "object"}, **REFUSALS},
    )
    def get(self, request):
        query = CoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        unit = dashboard_unit(viewer=request.user, unit_id=v.get("unit"))
        month = month_parse(v.get("month") or "")
        return Response(visit_coverage(unit=unit, month=month))
