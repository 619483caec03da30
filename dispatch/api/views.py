"""The dispatch API: suggest for a description, the model's versions (and retraining), and
how suggestions were taken. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import NotPermitted, ValidationFailed
from casework.selectors import scope_for, unit_get
from dispatch import selectors
from dispatch.api import serializers as s
from dispatch.models import DispatchModel
from dispatch.services import model_activate, model_train, suggest
from requests_app.services._common import INTAKE_ROLES

ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class SuggestView(APIView):
    """The categories (at most three, each with a 0–1 score) and the handling units that led
    similar cases in the place's community, best first, for a description being typed. For
    people who collect requests: ``unit`` must be a place in your scope where you collect (an
    unknown one is a 404). ``model.kind`` is ``keywords`` when the history was too short to
    learn from. Nothing is written: the suggestion is recorded when the request is filed."""

    @extend_schema(
        request=s.DispatchSuggestQuerySerializer,
        responses={200: s.DispatchSuggestionSerializer, **ERRORS},
    )
    def post(self, request):
        query = s.DispatchSuggestQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = scope_for(request.user)
        place = None
        if data.get("unit"):
            place = unit_get(viewer=request.user, pk=data["unit"])
            if not place.is_place:
                raise ValidationFailed(_("This is not a place."), field="unit")
            if not scope.has_role(*INTAKE_ROLES, path=place.path):
                raise NotPermitted(_("You may not collect requests for this place."), field="unit")
        elif not scope.has_role(*INTAKE_ROLES):
            raise NotPermitted(_("You do not collect requests."))
        result = suggest(data["description"], place)
        return Response(s.DispatchSuggestionSerializer(asdict(result)).data)


class ModelListView(generics.GenericAPIView):
    """The model's versions, newest first, with their accuracy on the most recent requests held
    out by time (supervisors and administrators). ``POST`` trains a new version now and makes it
    active (administrators; the weekly schedule does the same)."""

    serializer_class = s.DispatchModelVersionSerializer
    queryset = DispatchModel.objects.none()

    def get_queryset(self):
        return selectors.model_list()

    @extend_schema(responses={200: s.DispatchModelVersionSerializer(many=True), **ERRORS})
    def get(self, request):
        selectors.check_may_view(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses={201: s.DispatchModelVersionSerializer, **ERRORS})
    def post(self, request):
        version = model_train(actor=request.user)
        fresh = selectors.model_list().get(pk=version.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class ModelActivateView(APIView):
    """Make an earlier version active again (administrators); 409 when its fitted model is no
    longer kept."""

    @extend_schema(
        request=None,
        responses={200: s.DispatchModelVersionSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
    )
    def post(self, request, pk: int):
        version = model_activate(actor=request.user, version_id=pk)
        fresh = selectors.model_list().get(pk=version.pk)
        return Response(s.DispatchModelVersionSerializer(fresh).data)


class AcceptanceView(APIView):
    """How the suggestions were taken for the requests collected in the period within your
    scope: per category filed (recorded, first suggestion filed, among the three, and how
    often the category was suggested first), per model version, and in all. The period
    defaults to the last 30 days; dates are local (Asia/Shanghai), ``to`` inclusive."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, YYYY-MM-DD"),
        ],
        responses={200: s.DispatchAcceptanceSerializer, **ERRORS},
    )
    def get(self, request):
        selectors.check_may_view(request.user)
        query = s.DispatchAcceptanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        start, end = selectors.acceptance_period(v.get("from_"), v.get("to"))
        figures = selectors.acceptance(viewer=request.user, start=start, end=end)
        return Response(s.DispatchAcceptanceSerializer(figures).data)
