"""Appeals (申诉) and the 双报到 cadence over the API: the same services and selectors as the
pages. Out-of-scope appeals and registrations answer 404."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from casework.errors import NotFound
from scoring import services
from scoring.api.views import ERRORS
from scoring.models import Appeal, AppealStatus, CadenceKind, DualCadenceRecord
from scoring.selectors.appeals import appeal_get, appeal_list
from scoring.selectors.dual_cadence import dual_cadence, registration_cadence
from scoring.selectors.evidence import dual_registration_get
from scoring.selectors.results import quarter_get, visible_unit

# --- Appeals ---------------------------------------------------------------------------------


class AppealEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor = serializers.IntegerField(source="actor_id")
    at = serializers.DateTimeField()
    note = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    quarter = serializers.CharField(source="quarter.code", read_only=True)
    name = serializers.CharField(source="person.get_full_name", read_only=True)
    category = serializers.CharField(source="indicator.code", read_only=True)
    evidence_photo = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "quarter",
            "person",
            "name",
            "unit",
            "entry_key",
            "entry_id_filed",
            "source",
            "category",
            "quantity",
            "points",
            "refs",
            "entry_text",
            "reason",
            "evidence_text",
            "evidence_photo",
            "filed_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "corrected_points",
            "adjustment",
            "correction",
        ]

    def get_evidence_photo(self, appeal) -> str | None:
        if not appeal.evidence_photo:
            return None
        return reverse("scoring:appeal-photo", args=[appeal.pk])


class AppealDetailSerializer(AppealSerializer):
    history = serializers.SerializerMethodField()

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "history"]

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_history(self, appeal) -> list[dict]:
        return AppealEventSerializer(getattr(appeal, "history", []), many=True).data


class AppealCreateSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=2000)
    evidence_text = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    evidence_photo = serializers.FileField(required=False, allow_null=True, default=None)


class AppealDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["upheld", "rejected"])
    reason = serializers.CharField(max_length=2000)
    corrected_points = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )


class AppealFilter(django_filters.FilterSet):
    quarter = django_filters.CharFilter(method="filter_quarter", label="e.g. 2026Q3")
    status = django_filters.ChoiceFilter(choices=AppealStatus.choices)

    class Meta:
        model = Appeal
        fields = ["status"]

    def filter_quarter(self, queryset, name, value):
        try:
            return queryset.filter(quarter=quarter_get(code=value))
        except NotFound:
            return queryset.none()


VIEW_PARAM = OpenApiParameter(
    "view",
    str,
    enum=["mine", "queue", "all"],
    description="mine: your own; queue: those you may decide; all (default): both",
)


class AppealListView(generics.ListCreateAPIView):
    """Appeals you may see (your own, and those you may decide as the county), pending first.
    POST files an appeal of one of your own entries (``multipart`` for a photo)."""

    serializer_class = AppealSerializer
    filterset_class = AppealFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        view = self.request.query_params.get("view")
        return appeal_list(viewer=self.request.user, mine=view == "mine", deciding=view == "queue")

    @extend_schema(parameters=[VIEW_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealSerializer, **ERRORS})
    def post(self, request):
        serializer = AppealCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appeal = services.appeal_file(actor=request.user, **serializer.validated_data)
        return Response(AppealSerializer(appeal).data, status=201)


class AppealDetailView(generics.GenericAPIView):
    """One appeal you may see, with its history."""

    serializer_class = AppealDetailSerializer

    @extend_schema(responses={200: AppealDetailSerializer, 404: ERRORS[404]})
    def get(self, request, pk: int):
        return Response(AppealDetailSerializer(appeal_get(viewer=request.user, pk=pk)).data)


class AppealDecideView(generics.GenericAPIView):
    """The county decides a pending appeal, with a reason. Upheld: ``corrected_points`` is what
    the entry should be worth (default 0: the disputed points cancelled)."""

    serializer_class = AppealDecideSerializer

    @extend_schema(request=AppealDecideSerializer, responses={200: AppealSerializer, **ERRORS})
    def post(self, request, pk: int):
        appeal = appeal_get(viewer=request.user, pk=pk)
        serializer = AppealDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appeal = services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            upheld=data["decision"] == "upheld",
            reason=data["reason"],
            corrected_points=data["corrected_points"],
        )
        return Response(AppealSerializer(appeal).data)


class AppealWithdrawView(generics.GenericAPIView):
    """The appellant withdraws a pending appeal."""

    serializer_class = AppealSerializer

    @extend_schema(request=None, responses={200: AppealSerializer, **ERRORS})
    def post(self, request, pk: int):
        appeal = appeal_get(viewer=request.user, pk=pk)
        appeal = services.appeal_withdraw(actor=request.user, appeal=appeal)
        return Response(AppealSerializer(appeal).data)


# --- 双报到 cadence -----------------------------------------------------------------------------


class CadenceRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = DualCadenceRecord
        fields = [
            "id",
            "registration",
            "kind",
            "period",
            "held_on",
            "note",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdraw_reason",
        ]


class CadenceRecordCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CadenceKind.choices)
    held_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CadenceWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MemberCadenceSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    person = serializers.IntegerField(source="registration.person_id")
    name = serializers.CharField(source="registration.person.get_full_name")
    community = serializers.IntegerField(source="registration.community_id")
    registered_on = serializers.DateField(source="registration.registered_on")
    reported_in_on = serializers.SerializerMethodField()
    months_due = serializers.ListField(child=serializers.IntegerField())
    months_missing = serializers.ListField(child=serializers.IntegerField())
    quarters_due = serializers.ListField(child=serializers.IntegerField())
    quarters_missing = serializers.ListField(child=serializers.IntegerField())
    missing = serializers.IntegerField()

    def get_reported_in_on(self, row) -> str | None:
        return row.report_in.held_on.isoformat() if row.report_in else None


class CommunityCadenceSerializer(serializers.Serializer):
    community = serializers.IntegerField(source="community.pk")
    name = serializers.CharField(source="community.name")
    members = serializers.IntegerField()
    not_reported_in = serializers.IntegerField()
    months_due = serializers.IntegerField()
    months_missing = serializers.IntegerField()
    quarters_due = serializers.IntegerField()
    quarters_missing = serializers.IntegerField()
    members_missing = serializers.IntegerField()
    rows = MemberCadenceSerializer(many=True)


class CadenceQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2999, required=False)
    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    missing = serializers.BooleanField(required=False, default=True)


class CadenceView(generics.GenericAPIView):
    """The 双报到 rhythm per community and member for a year (default: this year): who has not
    reported in, months without an account, quarters without a meeting. ``missing=false``
    lists every member, not only those with something missing."""

    serializer_class = CommunityCadenceSerializer
    pagination_class = None
    queryset = DualCadenceRecord.objects.none()  # for the schema: rows are grouped records

    @extend_schema(
        parameters=[CadenceQuerySerializer],
        responses={200: CommunityCadenceSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request):
        query = CadenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        today = timezone.localdate()
        within = None
        if data.get("unit"):
            within = visible_unit(request.user, data["unit"])
            if within is None:
                raise NotFound(_("No such unit in your scope."), field="unit")
        groups = dual_cadence(
            viewer=request.user,
            year=data.get("year") or today.year,
            today=today,
            within=within,
            missing_only=data["missing"],
        )
        return Response(CommunityCadenceSerializer(groups, many=True).data)


class RegistrationCadenceView(generics.GenericAPIView):
    """One registration's rhythm and every record (withdrawn ones too); POST records a
    report-in, a monthly account or a quarterly meeting (the community's staff)."""

    serializer_class = CadenceRecordSerializer

    @extend_schema(responses={200: MemberCadenceSerializer, 404: ERRORS[404]})
    def get(self, request, pk: int):
        registration = dual_registration_get(viewer=request.user, pk=pk)
        cadence, history = registration_cadence(registration)
        data = MemberCadenceSerializer(cadence).data
        data["records"] = CadenceRecordSerializer(history, many=True).data
        return Response(data)

    @extend_schema(
        request=CadenceRecordCreateSerializer, responses={201: CadenceRecordSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        registration = dual_registration_get(viewer=request.user, pk=pk)
        serializer = CadenceRecordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.dual_cadence_record(
            actor=request.user, registration=registration, **serializer.validated_data
        )
        return Response(CadenceRecordSerializer(record).data, status=201)


class CadenceWithdrawView(generics.GenericAPIView):
    """Withdraw a wrong cadence record, with a reason (the community's staff)."""

    serializer_class = CadenceWithdrawSerializer

    @extend_schema(
        request=CadenceWithdrawSerializer, responses={200: CadenceRecordSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        registration_id = (
            DualCadenceRecord.objects.filter(pk=pk)
            .values_list("registration_id", flat=True)
            .first()
        )
        dual_registration_get(viewer=request.user, pk=registration_id or 0)
        serializer = CadenceWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.dual_cadence_withdraw(
            actor=request.user, record=pk, reason=serializer.validated_data["reason"]
        )
        return Response(CadenceRecordSerializer(record).data)
