"""``GET /api/v1/rates/workers/`` and ``GET /api/v1/rates/me/``: the six rates per worker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.dashboard import DashboardQuery
from casework.selectors.dashboard import dashboard_unit, period_bounds
from casework.selectors.worker_rates import (
    own_periods,
    own_rates,
    worker_rates,
    worker_rates_table,
)

PERIOD_PARAMETERS = [
    OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
    OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (inclusive)"),
]
BAD_INPUT = OpenApiResponse(description="A bad parameter, named in `field`")


class MyRatesQuery(serializers.Serializer):
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, source="from_")
        return fields


def _period_row(key, start, end, rows) -> dict:
    return {
        "period": key,
        "from": timezone.localtime(start).date().isoformat(),
        "to": (timezone.localtime(end) - timedelta(days=1)).date().isoformat(),
        **worker_rates_table(rows),
    }


class WorkerRatesView(APIView):
    """The rates (fractions 0–1, null when nothing was due) of each handler and each collector
    of the unit, with the counts behind them, worst first by the red and black lists' standing;
    workers with fewer than ``minimum_cases`` cases are listed apart in ``too_few``. A
    supervisor or administrator over the unit sees every worker; any other worker only
    themself. ``unit`` defaults to your widest unit, the period to the current month."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Unit id (default: your widest unit)"),
            *PERIOD_PARAMETERS,
        ],
        responses={
            200: {"type": "object"},
            400: BAD_INPUT,
            404: OpenApiResponse(description="No such unit in your scope"),
        },
    )
    def get(self, request):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        unit = dashboard_unit(viewer=request.user, unit_id=v.get("unit"))
        start, end = period_bounds(v.get("from_"), v.get("to"))
        rows = worker_rates(viewer=request.user, unit=unit, start=start, end=end)
        return Response(
            {"unit": {"id": unit.pk, "name": unit.name}, **_period_row("asked", start, end, rows)}
        )


class MyRatesView(APIView):
    """Your own rates as handler and/or collector, with the counts behind them: for ``from``
    to ``to`` when given, else for this and the previous month and quarter."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses={200: {"type": "object"}, 400: BAD_INPUT}
    )
    def get(self, request):
        query = MyRatesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        if v.get("from_") or v.get("to"):
            periods = [("asked", v.get("from_"), v.get("to"))]
        else:
            periods = own_periods(timezone.localdate())
        result = []
        for key, first, last in periods:
            start, end = period_bounds(first, last)
            result.append(
                _period_row(key, start, end, own_rates(viewer=request.user, start=start, end=end))
            )
        return Response({"periods": result})
