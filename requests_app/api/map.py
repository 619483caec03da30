"""``GET /api/v1/map/points/?period=&category=``: requests and hot spots as GeoJSON."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_app.selectors.map import (
    DEFAULT_PERIOD,
    MAP_POINT_LIMIT,
    MAP_STATUSES,
    PERIODS,
    map_points,
    map_query_for,
)

_POINT = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "[longitude, latitude], WGS 84",
        },
    },
}
FEATURE_COLLECTION = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection (RFC 7946) with a few members of its own.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": _POINT,
                    "properties": {
                        "type": "object",
                        "description": (
                            'kind "request": id, status (one of '
                            + ", ".join(MAP_STATUSES)
                            + "), status_label, category, collected_at, place, located "
                            '("gps": where it was collected; "place": at its place or the '
                            "nearest ancestor with coordinates), url, case_url (or null). "
                            'kind "hotspot": place, requests (how many in the period). '
                            "Nothing about the resident."
                        ),
                    },
                },
            },
        },
        "period": {
            "type": "object",
            "properties": {
                "days": {"type": "integer"},
                "from": {"type": "string", "format": "date-time"},
                "to": {"type": "string", "format": "date-time"},
            },
        },
        "category": {"type": "string", "nullable": True},
        "total": {"type": "integer", "description": "Requests matching the filters."},
        "shown": {"type": "integer", "description": "Requests drawn as points."},
        "limit": {"type": "integer", "description": "The most points one answer carries."},
        "capped": {
            "type": "boolean",
            "description": "More requests matched than the limit: only the newest are points.",
        },
        "unplaced": {
            "type": "integer",
            "description": "Requests left out: neither they nor their places have coordinates.",
        },
        "bbox": {"type": "array", "items": {"type": "number"}},
    },
}


class MapPointsView(APIView):
    """The requests of your area over a period as points (the newest, at most a limit), and
    the hot spots: how many requests each compound (or grid) had. For grid workers, 民情书记
    and supervisors; scoped like every list."""

    @extend_schema(
        operation_id="map_points",
        parameters=[
            OpenApiParameter(
                "period",
                str,
                enum=list(PERIODS),
                description=f"Days back from now (default {DEFAULT_PERIOD})",
            ),
            OpenApiParameter(
                "category",
                str,
                description="A category code; a group's code takes in its categories",
            ),
        ],
        responses={
            200: OpenApiResponse(
                response=FEATURE_COLLECTION,
                description=f"GeoJSON; at most {MAP_POINT_LIMIT} request points",
            ),
            400: OpenApiResponse(description="A bad period or an unknown category"),
            403: OpenApiResponse(description="Not a grid worker, 民情书记 or supervisor"),
        },
    )
    def get(self, request):
        query = map_query_for(viewer=request.user, params=request.query_params)
        return Response(map_points(viewer=request.user, query=query))
