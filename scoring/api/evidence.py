"""Scoring API, the evidence the pages record: the service card (服务记实), pledges (承诺)
and the checks of drawn pledges (双随机 核查).

The pages' twins: each view parses, resolves the ids it names within the same choices the
page's form offers (``people_for`` / ``places_for``: anything else answers 404 naming the
field), and calls the same service, which decides who may (403) and checks the rest (400
naming the field).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import NotFound, ValidationFailed
from scoring import services
from scoring.api.views import ERRORS
from scoring.models import (
    Commitment,
    Indicator,
    ServiceCardEntry,
    ServiceCardKind,
    Verification,
    VerificationOutcome,
)
from scoring.selectors.evidence import (
    commitment_list,
    people_for,
    places_for,
    service_card_list,
    verification_get,
)
from scoring.views.forms import PLACES

ID = {"min_value": 1, "max_value": 2**31 - 1}


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _named(obj) -> dict | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": getattr(obj, "name", "") or str(obj)}


def _person(viewer, pk):
    if pk is None:
        return viewer
    person = people_for(viewer=viewer).filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No such person."), field="person")
    return person


def _place(viewer, pk, field="unit"):
    unit = places_for(viewer=viewer, kinds=PLACES).filter(pk=pk).first()
    if unit is None:
        raise NotFound(_("No such unit in your scope."), field=field)
    return unit


# --- Service card ----------------------------------------------------------------------------


class ServiceCardRequestSerializer(serializers.Serializer):
    """A line of a party member's service card; ``person`` defaults to you."""

    person = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    unit = serializers.IntegerField(**ID)
    kind = serializers.ChoiceField(choices=ServiceCardKind.choices)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )


class ServiceCardEntrySerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta:
        model = ServiceCardEntry
        fields = [
            "id",
            "person",
            "unit",
            "kind",
            "occurred_on",
            "week_start",
            "title",
            "description",
            "recorded_by",
            "created_at",
        ]

    @extend_schema_field(NamedSerializer)
    def get_person(self, entry) -> dict:
        return _named(entry.person)

    @extend_schema_field(NamedSerializer)
    def get_unit(self, entry) -> dict:
        return _named(entry.unit)


class ServiceCardView(generics.ListCreateAPIView):
    """The service card lines you may see (yours, and those of places in your scope), newest
    first, optionally of one ``person``; ``POST`` logs a line (a party member their own, a
    supervisor anyone's in scope): the page ``/scoring/service-card/``."""

    serializer_class = ServiceCardEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceCardEntry.objects.none()
        person = None
        raw = self.request.query_params.get("person")
        if raw is not None:
            if not raw.isdigit() or not 0 < int(raw) < 2**31:
                raise ValidationFailed(_("Enter a whole number."), field="person")
            person = people_for(viewer=self.request.user).filter(pk=int(raw)).first()
            if person is None:
                return ServiceCardEntry.objects.none()
        return service_card_list(viewer=self.request.user, person=person)

    @extend_schema(
        parameters=[
            OpenApiParameter("person", OpenApiTypes.INT, description="Only this person's lines.")
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ServiceCardRequestSerializer,
        responses={201: ServiceCardEntrySerializer, **ERRORS},
    )
    def post(self, request):
        serializer = ServiceCardRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.service_card_record(
            actor=request.user,
            person=_person(request.user, data["person"]),
            unit=_place(request.user, data["unit"]),
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            title=data["title"],
            description=data["description"],
        )
        return Response(ServiceCardEntrySerializer(entry).data, status=201)


# --- Pledges ---------------------------------------------------------------------------------


class CommitmentRequestSerializer(serializers.Serializer):
    """A pledge (承诺) in a common category; ``person`` defaults to you."""

    person = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    unit = serializers.IntegerField(**ID)
    year = serializers.IntegerField(min_value=2000, max_value=2999)
    indicator = serializers.IntegerField(**ID)
    text = serializers.CharField(max_length=300)


class IndicatorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CommitmentSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    indicator = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = ["id", "person", "unit", "year", "indicator", "text", "created_by", "created_at"]

    @extend_schema_field(NamedSerializer)
    def get_person(self, pledge) -> dict:
        return _named(pledge.person)

    @extend_schema_field(NamedSerializer)
    def get_unit(self, pledge) -> dict:
        return _named(pledge.unit)

    @extend_schema_field(IndicatorRefSerializer)
    def get_indicator(self, pledge) -> dict:
        i = pledge.indicator
        return {"id": i.pk, "code": i.code, "name": i.name}


class CommitmentView(generics.ListCreateAPIView):
    """The pledges you may see (yours, and those of places in your scope), optionally of one
    ``year``; ``POST`` adds one: the page ``/scoring/pledges/``."""

    serializer_class = CommitmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Commitment.objects.none()
        raw = self.request.query_params.get("year")
        year = None
        if raw is not None:
            if not raw.isdigit() or not 2000 <= int(raw) <= 2999:
                raise ValidationFailed(_("Enter a year between 2000 and 2999."), field="year")
            year = int(raw)
        return commitment_list(viewer=self.request.user, year=year)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Only this year's pledges.")
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CommitmentRequestSerializer, responses={201: CommitmentSerializer, **ERRORS}
    )
    def post(self, request):
        serializer = CommitmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Which categories take pledges (common, active) is the service's rule: 400 from it.
        indicator = Indicator.objects.filter(pk=data["indicator"]).first()
        if indicator is None:
            raise NotFound(_("No such category."), field="indicator")
        pledge = services.commitment_create(
            actor=request.user,
            person=_person(request.user, data["person"]),
            unit=_place(request.user, data["unit"]),
            year=data["year"],
            indicator=indicator,
            text=data["text"],
        )
        return Response(CommitmentSerializer(pledge).data, status=201)


# --- Checks of drawn pledges -----------------------------------------------------------------


class CheckRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[
            (VerificationOutcome.KEPT, VerificationOutcome.KEPT.label),
            (VerificationOutcome.BROKEN, VerificationOutcome.BROKEN.label),
        ]
    )
    visited_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verification
        fields = [
            "id",
            "draw",
            "commitment",
            "inspector",
            "outcome",
            "visited_on",
            "note",
            "recorded_by",
            "recorded_at",
        ]


class CheckRecordView(APIView):
    """What the check of a drawn pledge found (kept or broken), by its drawn inspector or a
    supervisor over the draw's unit, never by the pledge's owner: the page's
    ``/scoring/checks/{id}/``. A check outside your draws is 404."""

    @extend_schema(request=CheckRequestSerializer, responses={200: CheckSerializer, **ERRORS})
    def post(self, request, pk):
        check = verification_get(viewer=request.user, pk=pk)
        serializer = CheckRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = services.verification_record(
            actor=request.user, verification=check, **serializer.validated_data
        )
        return Response(CheckSerializer(check).data)
