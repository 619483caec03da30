"""Scoring API: quarters and their actions, rankings, the 约谈 list, explanations of totals.

Thin: each view parses, calls one selector or service, and answers. Out-of-scope people and
units answer 404; a filter on a unit out of scope filters to nothing.
"""

from __future__ import annotations

import django_filters
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.api.exports import XLSXExportMixin
from casework.api.filters import IdFilter
from casework.errors import NotFound, NotPermitted, ValidationFailed
from casework.models import User
from casework.selectors.scope import scope_for
from scoring import services
from scoring.api.serializers import (
    CommunityRowSerializer,
    CommunityScoreSerializer,
    DrawRequestSerializer,
    DrawSerializer,
    InterviewSerializer,
    PersonScoreSerializer,
    QuarterSerializer,
    RankingRowSerializer,
    ReopenSerializer,
)
from scoring.models import Interview, ScoreResult, Subject, VerificationDraw
from scoring.selectors.evidence import draw_list
from scoring.selectors.explain import community_explanation, person_explanation
from scoring.selectors.results import (
    interview_list,
    quarter_get,
    quarter_latest,
    quarter_list,
    result_list,
    visible_unit,
)

QUARTER = r"[0-9]{4}[Qq][1-4]"

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names the field."),
    403: OpenApiResponse(description="Not allowed for this person."),
    404: OpenApiResponse(description="No such quarter, person or unit in your scope."),
    409: OpenApiResponse(description="The quarter's state does not allow it."),
}


class QuarterViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarters (``2026Q3``): list, one, and the admin's compute / publish / reopen."""

    serializer_class = QuarterSerializer
    lookup_field = "code"
    lookup_value_regex = QUARTER
    pagination_class = None

    def get_queryset(self):
        return quarter_list()

    def get_object(self):
        return quarter_get(code=self.kwargs["code"])

    def _answer(self, quarter):
        return Response(QuarterSerializer(quarter).data)

    @extend_schema(request=None, responses={200: QuarterSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def compute(self, request, code=None):
        """Compute the quarter now (provisional while it is in progress)."""
        return self._answer(services.quarter_compute(quarter=code, actor=request.user))

    @extend_schema(request=None, responses={200: QuarterSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        """Publish an ended, freshly computed quarter: it freezes."""
        return self._answer(services.quarter_publish(quarter=code, actor=request.user))

    @extend_schema(request=ReopenSerializer, responses={200: QuarterSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request, code=None):
        """Reopen a published quarter, with a reason (recorded)."""
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quarter = services.quarter_reopen(
            quarter=quarter_get(code=code),
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return self._answer(quarter)


class ResultFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", label="Unit id (its subtree)")
    stars = django_filters.NumberFilter(field_name="stars", min_value=0, max_value=5)
    interview = django_filters.BooleanFilter(method="filter_interview")

    class Meta:
        model = ScoreResult
        fields = ["stars"]

    def filter_unit(self, queryset, name, value):
        unit = visible_unit(self.request.user, value)
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_interview(self, queryset, name, value):
        if value:
            return queryset.exclude(interview_reason="")
        return queryset.filter(interview_reason="")


class _QuarterResults(XLSXExportMixin, generics.ListAPIView):
    """``?format=xlsx`` gives the whole filtered ranking as a workbook."""

    subject = Subject.PERSON
    filterset_class = ResultFilter
    export_name = "ranking"

    def export_columns(self):
        name = (
            (_("Name"), lambda r: r.person.get_full_name() if r.person else "")
            if self.subject == Subject.PERSON
            else (_("Community"), lambda r: r.unit.name)
        )
        return [
            (_("Quarter"), lambda r: self.kwargs["code"].upper()),
            (_("County"), lambda r: r.county.name if r.county else ""),
            (_("Rank in county"), lambda r: r.rank_in_county),
            (_("Town"), lambda r: r.town.name if r.town else ""),
            (_("Rank in town"), lambda r: r.rank_in_town),
            name,
            (_("Unit"), lambda r: r.unit.name),
            (_("Points"), lambda r: r.total),
            (_("Stars"), lambda r: r.stars),
            (_("Called to a talk because"), lambda r: r.interview_reason),
        ]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScoreResult.objects.none()
        quarter = quarter_get(code=self.kwargs["code"])
        return result_list(viewer=self.request.user, quarter=quarter, subject=self.subject)


class RankingView(_QuarterResults):
    """The quarter's ranked workers in your scope, by county then rank (ties share a rank)."""

    serializer_class = RankingRowSerializer

    @extend_schema(responses={200: RankingRowSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CommunityRankingView(_QuarterResults):
    """The quarter's ranked communities in your scope."""

    subject = Subject.COMMUNITY
    export_name = "community-ranking"
    serializer_class = CommunityRowSerializer

    @extend_schema(responses={200: CommunityRowSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InterviewListView(generics.ListAPIView):
    """The quarter's 约谈 list in your scope and what was recorded of each talk."""

    serializer_class = InterviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Interview.objects.none()
        quarter = quarter_get(code=self.kwargs["code"])
        return interview_list(viewer=self.request.user, quarter=quarter)

    @extend_schema(responses={200: InterviewSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


QUARTER_PARAM = OpenApiParameter(
    "quarter",
    OpenApiTypes.STR,
    description="e.g. 2026Q3; default: the latest published (else computed) quarter",
)


def _quarter_from(request):
    code = request.query_params.get("quarter")
    if code:
        return quarter_get(code=code)
    quarter = quarter_latest()
    if quarter is None:
        raise NotFound(_("No quarter has been computed yet."), field="quarter")
    return quarter


class PersonScoreView(generics.GenericAPIView):
    """Why a worker has their points: total, per-category subtotals, every entry with its
    source, reason and the cases or records behind it."""

    serializer_class = PersonScoreSerializer

    @extend_schema(parameters=[QUARTER_PARAM], responses={200: PersonScoreSerializer, **ERRORS})
    def get(self, request, pk: int):
        explanation = person_explanation(
            viewer=request.user, quarter=_quarter_from(request), person_id=pk
        )
        return Response(PersonScoreSerializer(explanation).data)


class CommunityScoreView(generics.GenericAPIView):
    """Why a community has its points: its own entries and its workers' mean."""

    serializer_class = CommunityScoreSerializer

    @extend_schema(parameters=[QUARTER_PARAM], responses={200: CommunityScoreSerializer, **ERRORS})
    def get(self, request, pk: int):
        explanation = community_explanation(
            viewer=request.user, quarter=_quarter_from(request), unit_id=pk
        )
        return Response(CommunityScoreSerializer(explanation).data)


class QuarterReportView(generics.GenericAPIView):
    """The quarter's star-rating report as a PDF: rankings per county and town, stars, the
    communities' rates, the 约谈 list and the last-place notice, for your scope."""

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            403: OpenApiResponse(description="Only supervisors and admins"),
            404: ERRORS[404],
        }
    )
    def get(self, request, code: str):
        from scoring.report_pdf import quarter_report_pdf

        if not scope_for(request.user).has_role("supervisor", "admin"):
            raise NotPermitted(_("The report is for supervisors and administrators."))
        quarter = quarter_get(code=code)
        response = HttpResponse(
            quarter_report_pdf(viewer=request.user, quarter=quarter),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'inline; filename="{quarter.code}-report.pdf"'
        return response


class DrawListView(generics.ListCreateAPIView):
    """Pledge draws (双随机) in your scope; a supervisor draws pledges to check and an inspector
    for each. Without ``inspectors``, each pledge's inspector is drawn from the supervisors of
    the other communities of its town (never its own community's); the same ``seed`` gives the
    same draw."""

    serializer_class = DrawSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VerificationDraw.objects.none()
        return draw_list(viewer=self.request.user)

    @extend_schema(request=DrawRequestSerializer, responses={201: DrawSerializer, **ERRORS})
    def post(self, request):
        serializer = DrawRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = visible_unit(request.user, data["unit"])
        if unit is None:
            raise NotFound(_("No such unit in your scope."), field="unit")
        wanted = set(data["inspectors"])
        inspectors = list(User.objects.filter(pk__in=wanted, is_active=True))
        if len(inspectors) != len(wanted):
            raise ValidationFailed(_("No such person."), field="inspectors")
        draw = services.verification_draw(
            actor=request.user,
            unit=unit,
            year=data["year"],
            sample_size=data["sample_size"],
            inspectors=inspectors,
            seed=data.get("seed"),
            note=data["note"],
        )
        return Response(DrawSerializer(draw).data, status=201)
