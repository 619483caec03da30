"""``GET /api/v1/dashboard/?unit=&from=&to=``: a unit's figures for a period."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.selectors.dashboard import dashboard, dashboard_unit, period_bounds


class DashboardQuery(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1)
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here, kept as from_ in validated_data.
        fields["from"] = serializers.DateField(required=False, source="from_")
        return fields


class DashboardView(APIView):
    """Volumes, the six rates (fractions 0–1, null when nothing was due) for the unit and each
    unit below it, the trend, red and black lists, hot spots and the article's figures.

    ``unit`` defaults to your widest unit, the period to the current month; dates are local
    (Asia/Shanghai) and ``to`` is inclusive.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Unit id (default: your widest unit)"),
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
        ],
        responses={
            200: {"type": "object"},
            400: OpenApiResponse(description="Bad dates"),
            404: OpenApiResponse(description="No such unit in your scope"),
        },
    )
    def get(self, request):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        unit = dashboard_unit(viewer=request.user, unit_id=v.get("unit"))
        start, end = period_bounds(v.get("from_"), v.get("to"))
        return Response(dashboard(unit=unit, start=start, end=end))
