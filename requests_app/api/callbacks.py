"""The call-back API (抽查回访): samples by month, the call-backs to make, recording an outcome,
showing the phone for the call, drawing a month. Thin: parse, call one service or selector."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.errors import ValidationFailed
from casework.idempotency import HEADER, as_json, idempotency_key_parse, idempotent_response
from requests_app.models import Callback, CallbackOutcome, CallbackSample
from requests_app.selectors.callbacks import (
    callback_get,
    callback_list,
    callback_rows,
    sample_list,
)
from requests_app.selectors.requests import mask_name
from requests_app.services.callbacks import (
    NOTE_MAX,
    callback_phone_reveal,
    callback_record,
    callback_samples_draw,
    month_parse,
)

ERRORS = {
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="A UUID made by the client; a resend with the same key and body answers as the "
    "first call did and records nothing new.",
)


class CallbackSerializer(serializers.ModelSerializer):
    """A call-back to make: the request's code, place, category and answer; the resident
    masked (``reveal/`` shows the phone, recorded)."""

    worker = serializers.IntegerField(source="sample.worker_id", read_only=True)
    worker_name = serializers.CharField(source="sample.worker.get_full_name", read_only=True)
    month = serializers.DateField(source="sample.month", read_only=True)
    request = serializers.IntegerField(source="request_id", read_only=True)
    tracking_code = serializers.CharField(source="request.tracking_code", read_only=True)
    place = serializers.CharField(source="request.place_label", read_only=True)
    category = serializers.CharField(source="request.category.name", read_only=True)
    answer = serializers.CharField(source="request.answer", read_only=True)
    resident = serializers.SerializerMethodField()
    checked_by = serializers.SerializerMethodField()

    class Meta:
        model = Callback
        fields = [
            "id",
            "month",
            "worker",
            "worker_name",
            "request",
            "tracking_code",
            "place",
            "category",
            "answer",
            "answered_at",
            "resident",
            "outcome",
            "note",
            "checked_by",
            "checked_at",
        ]

    def get_resident(self, row) -> dict | None:
        resident = row.request.resident
        if resident is None:
            return None
        return {"name": mask_name(resident.name), "phone": resident.phone_masked}

    def get_checked_by(self, row) -> str | None:
        return row.checked_by.get_full_name() if row.checked_by_id else None


class SampleSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.get_full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    pending = serializers.IntegerField(read_only=True)
    confirmed = serializers.IntegerField(read_only=True)
    failed = serializers.IntegerField(read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = CallbackSample
        fields = [
            "id",
            "month",
            "worker",
            "worker_name",
            "unit",
            "unit_name",
            "seed",
            "population",
            "population_size",
            "size",
            "rate",
            "raised",
            "raised_for_failure",
            "flagged",
            "collected",
            "answered_share",
            "peer_median",
            "drawn_at",
            "completed_at",
            "pending",
            "confirmed",
            "failed",
            "status",
        ]

    def get_status(self, row) -> str:
        return "checked" if row.completed_at else "pending"


class RecordSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[CallbackOutcome.CONFIRMED, CallbackOutcome.FAILED])
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True)


class CallbackRevealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class DrawSerializer(serializers.Serializer):
    month = serializers.CharField(max_length=7, help_text="The month to draw, e.g. 2026-03.")


class CallbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Call-backs the viewer may make (a supervisor or admin over the place, or a hotline
    call-back operator there), never of their own answers. ``?outcome=pending|confirmed|failed``,
    ``?month=2026-03``."""

    serializer_class = CallbackSerializer
    queryset = Callback.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        month = month_parse(params["month"]) if params.get("month") else None
        outcome = params.get("outcome")
        if outcome and outcome not in CallbackOutcome.values:
            raise ValidationFailed(
                _("Choose pending, confirmed or failed."), field="outcome", code="invalid_choice"
            )
        return callback_list(viewer=self.request.user, outcome=outcome, month=month)

    def get_object(self):
        return callback_get(viewer=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(callback_rows(page), many=True).data
        )

    @extend_schema(
        request=RecordSerializer,
        responses={200: CallbackSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the resident's answer: ``confirmed``, or ``failed`` with a note. The worker
        may not check their own; a call-back is recorded once (409 after)."""
        key = idempotency_key_parse(request.headers.get(HEADER))
        obj = self.get_object()
        body = RecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request.user

        def run():
            callback_record(
                callback=obj,
                actor=user,
                outcome=body.validated_data["outcome"],
                note=body.validated_data.get("note", ""),
            )
            fresh = callback_get(viewer=user, pk=obj.pk)
            return status.HTTP_200_OK, as_json(self.get_serializer(fresh).data)

        return idempotent_response(request, key=key, endpoint="api.callbacks.record", run=run)

    @extend_schema(
        request=CallbackRevealSerializer,
        responses={
            200: inline_serializer("CallbackPhone", {"phone": serializers.CharField()}),
            429: OpenApiTypes.OBJECT,
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The resident's phone in full for the call, with the reason; the access is recorded
        and throttled as every reveal is."""
        obj = self.get_object()
        body = CallbackRevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone = callback_phone_reveal(
            actor=request.user, callback=obj, reason=body.validated_data["reason"]
        )
        return Response({"phone": phone})


class CallbackSampleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Each month's samples the viewer may see (over their places, or their own): seed,
    population, size, rate, raised or not, flagged, status. ``?month=2026-03``,
    ``?flagged=true``."""

    serializer_class = SampleSerializer
    queryset = CallbackSample.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        month = month_parse(params["month"]) if params.get("month") else None
        flagged = {"true": True, "false": False}.get(params.get("flagged", ""))
        return sample_list(viewer=self.request.user, month=month, flagged=flagged)

    @extend_schema(
        request=DrawSerializer,
        responses={
            201: inline_serializer(
                "CallbackDraw",
                {
                    "month": serializers.DateField(),
                    "drawn": SampleSerializer(many=True),
                    "already": serializers.IntegerField(),
                },
            ),
            **ERRORS,
        },
    )
    @action(detail=False, methods=["post"])
    def draw(self, request):
        """Draw a month that has ended (supervisors and admins), for the workers with answers
        in the viewer's places; a worker whose month is drawn already is not drawn again."""
        body = DrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = callback_samples_draw(
            month=month_parse(body.validated_data["month"]), actor=request.user
        )
        rows = sample_list(viewer=request.user).filter(pk__in=[s.pk for s in result.drawn])
        return Response(
            {
                "month": result.month,
                "drawn": SampleSerializer(rows, many=True).data,
                "already": result.already,
            },
            status=status.HTTP_201_CREATED,
        )
