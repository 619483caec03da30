"""Scoring API of the yearly and cumulative rankings, 星级社区工作者, the honour roll,
certificates and a worker's history: the pages' twins, over the same selectors and services."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import ValidationFailed
from casework.models import User
from scoring.honours_pdf import certificate_pdf, honour_roll_pdf
from scoring.models import Award, Nomination, NominationRound, ScoreResult, Subject
from scoring.models.honours import DEFAULT_TITLE
from scoring.selectors.honours import (
    award_get,
    county_visible,
    honour_roll,
    nomination_get,
    nomination_list,
    round_get,
    round_list,
)
from scoring.selectors.rankings import PERIODS, person_history, published_years, standing_list
from scoring.selectors.results import visible_unit
from scoring.services import honours as services

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names the field."),
    403: OpenApiResponse(description="Not allowed for this person."),
    404: OpenApiResponse(description="Not in your scope."),
    409: OpenApiResponse(description="The round's or the candidate's state does not allow it."),
}


class StandingSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id", allow_null=True)
    name = serializers.SerializerMethodField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    county = serializers.IntegerField(source="county_id", allow_null=True)
    town = serializers.IntegerField(source="town_id", allow_null=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    quarters = serializers.IntegerField()
    rank = serializers.IntegerField(source="rank_in_county", allow_null=True)
    county_size = serializers.IntegerField(allow_null=True)
    rank_in_town = serializers.IntegerField(allow_null=True)
    town_size = serializers.IntegerField(allow_null=True)

    def get_name(self, row) -> str:
        return row.person.get_full_name() if row.person else row.unit.name


class RankingsView(generics.GenericAPIView):
    """The year's (``period=year``) or cumulative (``period=cumulative``, 累计积分 to the end of
    ``year``) ranking in your scope, ranked within county and town, ties sharing a rank."""

    serializer_class = StandingSerializer
    queryset = ScoreResult.objects.none()  # for the schema: the rows are standings of results

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, enum=list(PERIODS)),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("subject", OpenApiTypes.STR, enum=["person", "community"]),
        ],
        responses={200: StandingSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        period = request.query_params.get("period", "year")
        if period not in PERIODS:
            raise ValidationFailed("period: year or cumulative.", field="period")
        raw = request.query_params.get("year")
        if raw:
            if not raw.isdigit() or not 2000 <= int(raw) <= 2999:
                raise ValidationFailed("year: a year such as 2026.", field="year")
            year = int(raw)
        else:
            years = published_years()
            year = years[0] if years else timezone.localdate().year
        subject = request.query_params.get("subject", Subject.PERSON)
        if subject not in (Subject.PERSON, Subject.COMMUNITY):
            raise ValidationFailed("subject: person or community.", field="subject")
        within = None
        if request.query_params.get("unit"):
            within = visible_unit(request.user, request.query_params["unit"])
            if within is None:
                return self.get_paginated_response(self.paginate_queryset([]))
        rows = standing_list(
            viewer=request.user, period=period, year=year, subject=subject, within=within
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StandingSerializer(page, many=True).data)


class NominationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name", read_only=True)
    certificate_number = serializers.SerializerMethodField()
    award = serializers.SerializerMethodField()

    class Meta:
        model = Nomination
        fields = [
            "id",
            "person",
            "name",
            "unit",
            "community",
            "source",
            "reason",
            "cumulative_total",
            "cumulative_rank",
            "status",
            "decision_reason",
            "decided_at",
            "award",
            "certificate_number",
        ]

    def _award(self, row):
        try:
            return row.award
        except Award.DoesNotExist:
            return None

    def get_award(self, row) -> int | None:
        award = self._award(row)
        return award.pk if award else None

    def get_certificate_number(self, row) -> str | None:
        award = self._award(row)
        return award.certificate_number if award else None


class RoundSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = NominationRound
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "title",
            "candidate_count",
            "status",
            "opened_at",
            "closed_at",
        ]


class RoundOpenSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2999)
    title = serializers.CharField(max_length=64, default=DEFAULT_TITLE)
    candidate_count = serializers.IntegerField(min_value=1, max_value=500, required=False)


class RoundListView(generics.ListCreateAPIView):
    """Nomination rounds of your county; the county opens one (and its candidates are proposed
    from cumulative points)."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NominationRound.objects.none()
        return round_list(viewer=self.request.user)

    @extend_schema(request=RoundOpenSerializer, responses={201: RoundSerializer, **ERRORS})
    def post(self, request):
        body = RoundOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        county = county_visible(viewer=request.user, county_id=data["county"])
        round_ = services.honour_round_open(
            actor=request.user,
            county=county,
            year=data["year"],
            title=data["title"],
            candidate_count=data.get("candidate_count"),
        )
        return Response(RoundSerializer(round_).data, status=201)


class RoundDetailSerializer(RoundSerializer):
    nominations = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "nominations"]

    def get_nominations(self, row) -> list[dict]:
        rows = nomination_list(viewer=self.context["request"].user, round=row)
        return NominationSerializer(rows, many=True).data


class RoundDetailView(generics.GenericAPIView):
    """A round with the candidates you may see."""

    serializer_class = RoundDetailSerializer

    @extend_schema(responses={200: RoundDetailSerializer, 404: ERRORS[404]})
    def get(self, request, pk: int):
        round_ = round_get(viewer=request.user, pk=pk)
        return Response(RoundDetailSerializer(round_, context={"request": request}).data)


class NominateSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)


class NominateView(generics.GenericAPIView):
    """A supervisor nominates a worker of their town (or the county one of the county)."""

    serializer_class = NominateSerializer

    @extend_schema(request=NominateSerializer, responses={201: NominationSerializer, **ERRORS})
    def post(self, request, pk: int):
        round_ = round_get(viewer=request.user, pk=pk)
        body = NominateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = User.objects.filter(pk=body.validated_data["person"]).first()
        if person is None:
            raise ValidationFailed("No such person.", field="person")
        nomination = services.nomination_add(
            actor=request.user, round=round_, person=person, reason=body.validated_data["reason"]
        )
        return Response(NominationSerializer(nomination).data, status=201)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(max_length=2000)
    stars = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class DecideView(generics.GenericAPIView):
    """The county approves (an award, with its certificate number) or rejects a candidate."""

    serializer_class = DecideSerializer

    @extend_schema(request=DecideSerializer, responses={200: NominationSerializer, **ERRORS})
    def post(self, request, pk: int):
        nomination = nomination_get(viewer=request.user, pk=pk)
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        row = services.nomination_decide(
            actor=request.user,
            nomination=nomination,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            stars=data.get("stars"),
        )
        return Response(NominationSerializer(row).data)


class CloseView(APIView):
    """The county closes a round once every candidate is decided."""

    @extend_schema(request=None, responses={200: RoundSerializer, **ERRORS})
    def post(self, request, pk: int):
        round_ = round_get(viewer=request.user, pk=pk)
        return Response(
            RoundSerializer(services.honour_round_close(actor=request.user, round=round_)).data
        )


class AwardSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name", read_only=True)
    community_name = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id",
            "certificate_number",
            "person",
            "name",
            "community",
            "community_name",
            "title",
            "stars",
            "year",
            "cumulative_total",
            "approved_at",
        ]

    def get_community_name(self, row) -> str:
        return row.community.name if row.community else row.unit.name


class RollView(generics.GenericAPIView):
    """A county's honour roll for a year (``?format=pdf`` for the printable roll)."""

    serializer_class = AwardSerializer
    queryset = Award.objects.none()  # for the schema's path parameters

    @extend_schema(responses={200: AwardSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, county: int, year: int):
        unit = county_visible(viewer=request.user, county_id=county)
        awards = honour_roll(county=unit, year=year)
        if request.query_params.get("format") == "pdf":
            return _pdf(honour_roll_pdf(county=unit, year=year, awards=awards), "honour-roll")
        return Response(AwardSerializer(awards, many=True).data)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


class CertificateView(APIView):
    """An award's certificate as a PDF (A4 landscape)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERRORS[404]})
    def get(self, request, pk: int):
        award = award_get(viewer=request.user, pk=pk)
        return _pdf(certificate_pdf(award=award), f"certificate-{award.certificate_number}")


class HistoryView(APIView):
    """A worker's quarters, years, cumulative points, nominations and awards."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]})
    def get(self, request, pk: int):
        h = person_history(viewer=request.user, person_id=pk)
        return Response(
            {
                "person": h.person.pk,
                "name": h.person.get_full_name(),
                "cumulative": str(h.cumulative),
                "quarters": [
                    {
                        "quarter": r.quarter.code,
                        "published": r.quarter.is_published,
                        "total": str(r.total),
                        "rank": r.rank_in_county,
                        "county_size": r.county_size,
                        "stars": r.stars,
                    }
                    for r in h.results
                ],
                "years": [
                    {
                        "year": y.year,
                        "total": str(y.total),
                        "quarters": y.quarters,
                        "rank": y.rank_in_county,
                        "county_size": y.county_size,
                        "cumulative": str(y.cumulative),
                        "cumulative_rank": y.cumulative_rank,
                        "cumulative_size": y.cumulative_size,
                    }
                    for y in h.years
                ],
                "nominations": NominationSerializer(h.nominations, many=True).data,
                "awards": AwardSerializer(h.awards, many=True).data,
            }
        )
