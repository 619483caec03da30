"""The resident's rating over the API, and the supervisors' disagreements.

Public (no login, ``authentication_classes = []`` so there is no session and no CSRF; throttled
per address on the ``track`` scope, as the tracking look-ups):

- ``GET /api/v1/public/track/{code}/``: where the request stands (the tracking page's progress)
  and whether its result may be rated; no personal data.
- ``POST /api/v1/public/track/{code}/rating/``: the tracking page's rating form.
- ``GET|POST /api/v1/public/rate/{token}/``: the SMS link's page and its form.

Signed in: ``GET /api/v1/feedback/disagreements/`` (``?view=queue|mine|all``,
``?outcome=``), ``GET …/{id}/``, ``POST …/{id}/check/`` (``{outcome, note}``) and
``GET /api/v1/feedback/disagreements/record/`` (per worker: disputed, pending, stood, failed).
Same services and selectors as the pages.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import NotFound
from casework.models import Satisfaction
from casework.services.cases.resident import COMMENT_LIMIT
from requests_app.services import tracking_code_normalise
from requests_app.views.track import progress, track_find
from selfservice.feedback import (
    NOTE_LIMIT,
    disagreement_check,
    rating_by_link,
    rating_link_check,
    rating_record,
)
from selfservice.feedback_selectors import (
    disagreement_get,
    disagreement_list,
    may_check_row,
    rating_state,
    verification_record,
)
from selfservice.models import DisagreementOutcome, RatingDisagreement, RatingVia, ResidentRating

PUBLIC_ERRORS = {
    400: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
    429: OpenApiTypes.OBJECT,
}
ERRORS = {
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}


# --- Public: progress and rating -----------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="taken_up (受理), dispatched (派单), handling (办理中), done (已办结)."
    )
    label = serializers.CharField()
    state = serializers.CharField(help_text="done, current, waiting or skipped (not needed).")


class PublicRatingSerializer(serializers.ModelSerializer):
    """The resident's answer as given (without the comment: anyone with the code reads this)."""

    class Meta:
        model = ResidentRating
        fields = ["round", "solved", "satisfaction", "via", "created_at"]
        read_only_fields = fields


class RatingStateSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="The result may be rated now.")
    answer = PublicRatingSerializer(
        allow_null=True, help_text="The resident's rating of the latest result, once given."
    )


class ProgressSerializer(serializers.Serializer):
    """Where a request stands, for the resident: no names, no phones; the result and answer text
    with phone and ID numbers and runs of seven digits or more masked."""

    code = serializers.CharField()
    category = serializers.CharField()
    stage = serializers.CharField(help_text="Where it stands, in plain words.")
    steps = StepSerializer(many=True)
    current = serializers.CharField(allow_null=True, help_text="The key of the current step.")
    handling_unit = serializers.CharField(help_text="The handling unit's name; empty before.")
    result = serializers.CharField(help_text="The result reported, once resolved or closed.")
    answer = serializers.CharField(help_text="The answer given on the spot, if so.")
    collected_on = serializers.DateTimeField()
    decided_on = serializers.DateTimeField(allow_null=True)
    resolved_on = serializers.DateTimeField(allow_null=True)
    closed_on = serializers.DateTimeField(allow_null=True)
    case_opened = serializers.BooleanField()
    reopened = serializers.BooleanField(help_text="The case was sent back for redo at least once.")
    rating = RatingStateSerializer(allow_null=True, help_text="Null when no case was opened.")


class RatingInputSerializer(serializers.Serializer):
    solved = serializers.BooleanField(help_text="Was the problem solved?")
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(
        max_length=COMMENT_LIMIT, required=False, allow_blank=True, default=""
    )


RatedSerializer = inline_serializer(
    "ResidentRated", {"rating": PublicRatingSerializer(), "progress": ProgressSerializer()}
)


def _progress_body(found) -> dict:
    body = progress(found)
    body["stage"] = str(body["stage"])
    for step in body["steps"]:
        step["label"] = str(step["label"])
        step.pop("complete", None)
    if found.case_id:
        state = rating_state(case=found.case, now=timezone.now())
        body["rating"] = {"open": state.open, "answer": state.rating}
    else:
        body["rating"] = None
    return ProgressSerializer(body).data


def _found(code: str):
    found = track_find(code=tracking_code_normalise(code))
    if found is None:
        raise NotFound(_("No request has this code."))
    return found


class _Public(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "track"


CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="The tracking code.")
TOKEN = OpenApiParameter(
    "token", str, OpenApiParameter.PATH, description="The token of the SMS link."
)


class PublicTrackView(_Public):
    @extend_schema(
        operation_id="public_track",
        parameters=[CODE],
        responses={200: ProgressSerializer, **PUBLIC_ERRORS},
        tags=["public"],
    )
    def get(self, request, code: str):
        """Where the request with this tracking code stands (受理 → 派单 → 办理中 → 已办结), its
        handling unit and result, and whether the result may be rated."""
        return Response(_progress_body(_found(code)))


class PublicTrackRatingView(_Public):
    @extend_schema(
        operation_id="public_track_rating",
        parameters=[CODE],
        request=RatingInputSerializer,
        responses={201: RatedSerializer, **PUBLIC_ERRORS},
        tags=["public"],
    )
    def post(self, request, code: str):
        """Rate the latest result of the request's case, once (409 ``already_rated`` after;
        ``rating_closed`` when it may not be rated). Unsolved or unsatisfied sends a resolved
        case back for redo."""
        found = _found(code)
        body = RatingInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = rating_record(request=found.pk, via=RatingVia.TRACK, **body.validated_data)
        return _rated(rating, found.tracking_code)


def _rated(rating, code: str) -> Response:
    return Response(
        {"rating": PublicRatingSerializer(rating).data, "progress": _progress_body(_found(code))},
        status=status.HTTP_201_CREATED,
    )


class PublicRateView(_Public):
    @extend_schema(
        operation_id="public_rate_read",
        parameters=[TOKEN],
        responses={200: ProgressSerializer, **PUBLIC_ERRORS},
        tags=["public"],
    )
    def get(self, request, token: str):
        """The SMS link: where the request stands. 404 for a wrong token, 409 ``link_used`` or
        ``link_expired`` for a dead link."""
        link = rating_link_check(token=token)
        return Response(_progress_body(_found(link.request.tracking_code)))

    @extend_schema(
        operation_id="public_rate",
        parameters=[TOKEN],
        request=RatingInputSerializer,
        responses={201: RatedSerializer, **PUBLIC_ERRORS},
        tags=["public"],
    )
    def post(self, request, token: str):
        """Rate the result through the SMS link; the link is dead afterwards."""
        link = rating_link_check(token=token)
        body = RatingInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = rating_by_link(token=token, **body.validated_data)
        return _rated(rating, link.request.tracking_code)


# --- Signed in: the disagreements ----------------------------------------------------------------


DisagreementCase = inline_serializer(
    "DisagreementCase",
    {
        "id": serializers.IntegerField(),
        "number": serializers.CharField(),
        "title": serializers.CharField(),
        "state": serializers.CharField(),
        "place": serializers.CharField(),
        "category": serializers.CharField(),
        "handling_unit": serializers.CharField(allow_null=True),
    },
)
DisagreementPerson = inline_serializer(
    "DisagreementPerson", {"id": serializers.IntegerField(), "name": serializers.CharField()}
)
DisagreementVisit = inline_serializer(
    "DisagreementVisit",
    {
        "at": serializers.DateTimeField(),
        "solved": serializers.BooleanField(),
        "satisfaction": serializers.CharField(),
    },
)
DisagreementResident = inline_serializer(
    "DisagreementResident",
    {
        "at": serializers.DateTimeField(),
        "solved": serializers.BooleanField(),
        "satisfaction": serializers.CharField(),
        "comment": serializers.CharField(),
        "via": serializers.CharField(),
    },
)


class DisagreementSerializer(serializers.ModelSerializer):
    """A disagreement: the case (no resident's data), the worker who recorded the 回访, both
    answers, and the check."""

    case = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    visit = serializers.SerializerMethodField()
    resident = serializers.SerializerMethodField()
    checked_by = serializers.SerializerMethodField()
    can_check = serializers.SerializerMethodField()

    class Meta:
        model = RatingDisagreement
        fields = [
            "id",
            "case",
            "round",
            "worker",
            "visit",
            "resident",
            "created_at",
            "outcome",
            "checked_by",
            "checked_at",
            "note",
            "can_check",
        ]
        read_only_fields = fields

    @extend_schema_field(DisagreementCase)
    def get_case(self, row) -> dict:
        case = row.case
        return {
            "id": case.pk,
            "number": case.number,
            "title": case.title,
            "state": case.state,
            "place": case.place_label,
            "category": case.category.name,
            "handling_unit": case.owner_unit.name if case.owner_unit_id else None,
        }

    @extend_schema_field(DisagreementPerson)
    def get_worker(self, row) -> dict:
        return {"id": row.worker_id, "name": row.worker.get_full_name()}

    @extend_schema_field(DisagreementVisit)
    def get_visit(self, row) -> dict:
        return {
            "at": row.visit_at,
            "solved": row.visit_solved,
            "satisfaction": row.visit_satisfaction,
        }

    @extend_schema_field(DisagreementResident)
    def get_resident(self, row) -> dict:
        rating = row.rating
        return {
            "at": rating.created_at,
            "solved": rating.solved,
            "satisfaction": rating.satisfaction,
            "comment": rating.comment,
            "via": rating.via,
        }

    def get_checked_by(self, row) -> str | None:
        return row.checked_by.get_full_name() if row.checked_by_id else None

    def get_can_check(self, row) -> bool:
        return may_check_row(self.context["request"].user, row)


class CheckSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[DisagreementOutcome.WORKER_STANDS, DisagreementOutcome.RESIDENT_RIGHT]
    )
    note = serializers.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the resident is right.",
    )


class RecordRowSerializer(serializers.Serializer):
    worker = inline_serializer(
        "RecordWorker", {"id": serializers.IntegerField(), "name": serializers.CharField()}
    )
    disputed = serializers.IntegerField()
    pending = serializers.IntegerField()
    stood = serializers.IntegerField()
    failed = serializers.IntegerField(help_text="The resident was found right: failed checks.")


VIEW_PARAMETER = OpenApiParameter(
    "view",
    str,
    enum=["queue", "mine", "all"],
    description="queue: at places you check; mine: about the return visits you recorded.",
)
OUTCOME_PARAMETER = OpenApiParameter("outcome", str, enum=list(DisagreementOutcome.values))


class DisagreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Where a resident's own rating and the worker's 回访 disagree: the supervisors' queue over
    their places, and each worker's own. Oldest first."""

    serializer_class = DisagreementSerializer
    queryset = RatingDisagreement.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return disagreement_list(
            viewer=self.request.user,
            view=params.get("view") or "all",
            outcome=params.get("outcome") or None,
        )

    def get_object(self):
        return disagreement_get(viewer=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[VIEW_PARAMETER, OUTCOME_PARAMETER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CheckSerializer, responses={200: DisagreementSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Decide who is right: ``worker_stands`` or ``resident_right`` (with a note). A
        supervisor over the place who did not record the 回访; once (409 ``checked``)."""
        row = self.get_object()
        body = CheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        disagreement_check(disagreement=row, actor=request.user, **body.validated_data)
        fresh = disagreement_get(viewer=request.user, pk=row.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        parameters=[VIEW_PARAMETER],
        responses={200: RecordRowSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def record(self, request):
        """The verification record: per worker, the 回访 residents disputed, how many wait for a
        check, stood, and failed (the resident was right). Most failures first."""
        view = request.query_params.get("view") or "all"
        rows = verification_record(viewer=request.user, view=view)
        # Paged like every list of the API (and as the schema says of a list action).
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RecordRowSerializer(page, many=True).data)
