"""What the intake API reads and answers. Phones and ID numbers leave masked."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.models import Urgency
from requests_app.models import Channel, Request, RequestPhoto, Resident, Visit, VisitKind
from requests_app.services import Outcome


class ResidentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RequestCreateSerializer(serializers.Serializer):
    """The create body. Ids are checked against the viewer's scope by the view and services."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    resident = ResidentInputSerializer(required=False, allow_null=True)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    visit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    collected_at = serializers.DateTimeField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(
        choices=Outcome.CHOICES,
        required=False,
        allow_blank=True,
        help_text=_("Decide at once: answer_on_spot (with answer), open_case, or merge."),
    )
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    merge_into = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=6, write_only=True
    )


class ResidentBriefSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "phone", "address"]


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = RequestPhoto
        fields = ["id", "url", "width", "height", "size", "created_at"]

    def get_url(self, photo) -> str:
        # Photos are served through a scoped view, never as public media files.
        return reverse("requests_app:photo", args=[photo.request_id, photo.pk])


class RequestSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    unit_name = serializers.CharField(source="place_label", read_only=True)
    resident = ResidentBriefSerializer(read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    case_state = serializers.SerializerMethodField()
    collected_by = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True, read_only=True)
    voices = serializers.IntegerField(
        source="voice_count",
        read_only=True,
        default=0,
        help_text=_("Other residents who added their voice on the public page (附议)."),
    )

    class Meta:
        model = Request
        fields = [
            "id",
            "tracking_code",
            "status",
            "channel",
            "category",
            "category_name",
            "unit",
            "unit_name",
            "urgency",
            "description",
            "latitude",
            "longitude",
            "resident",
            "id_number",
            "visit",
            "collected_by",
            "collected_at",
            "created_at",
            "acknowledged_at",
            "decided_at",
            "answer",
            "reject_reason",
            "case",
            "case_state",
            "merged_into",
            "photos",
            "voices",
        ]

    def get_case_state(self, request) -> str | None:
        return request.case.state if request.case_id else None

    def get_collected_by(self, request) -> dict:
        user = request.collected_by
        return {"id": user.pk, "name": user.get_full_name()}


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class OpenCaseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["phone", "id_number"])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ResidentRevealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ResidentSearchSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    search = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class DuplicateQuerySerializer(serializers.Serializer):
    category = serializers.IntegerField(min_value=1)
    unit = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    exclude = serializers.IntegerField(min_value=1, required=False)


class DuplicateSerializer(serializers.Serializer):
    score = serializers.FloatField()
    distance = serializers.FloatField(allow_null=True)
    request = RequestSerializer()


class VisitCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    visited_at = serializers.DateTimeField()
    visitor = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=VisitKind.choices, default=VisitKind.SECRETARY)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class VisitCountsSerializer(serializers.Serializer):
    collected = serializers.IntegerField()
    answered_on_spot = serializers.IntegerField()
    case_opened = serializers.IntegerField()
    merged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    pending = serializers.IntegerField()


class VisitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    visitor = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "kind", "unit", "unit_name", "visitor", "visited_at", "note", "counts"]

    def get_visitor(self, visit) -> dict:
        return {"id": visit.visitor_id, "name": visit.visitor.get_full_name()}

    def get_counts(self, visit) -> VisitCountsSerializer:
        from requests_app.selectors import visit_counts

        return visit_counts(visit)


class ResidentSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    request_count = serializers.IntegerField(read_only=True)
    last_collected_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "phone",
            "address",
            "unit",
            "unit_name",
            "request_count",
            "last_collected_at",
        ]
