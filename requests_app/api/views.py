"""The intake API: requests, their decisions, visits and residents. Thin: parse, call one
service or selector, answer."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from casework.api.exports import XLSXExportMixin
from casework.api.parsers import JSONParser
from casework.errors import NotFound, ValidationFailed
from casework.idempotency import HEADER, as_json, idempotency_key_parse, idempotent_response
from casework.models import Category, OrgUnit, User
from casework.text import query_text
from requests_app.api import serializers as s
from requests_app.api.filters import RequestFilter, VisitFilter
from requests_app.models import Request, Resident, Visit
from requests_app.selectors import (
    request_duplicate_candidates,
    request_get,
    request_list,
    resident_get,
    resident_list,
    visit_get,
    visit_list,
)
from requests_app.services import (
    request_answer_on_spot,
    request_id_number_reveal,
    request_intake,
    request_merge,
    request_open_case,
    request_photo_add,
    request_reject,
    resident_phone_reveal,
    visit_create,
)
from requests_app.services.requests import request_acknowledge
from requests_app.views.requests import with_voices

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="A UUID made by the client; a resend with the same key and body answers as the "
    "first call did and creates nothing.",
)
ERRORS = {400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT}


#: What an unknown id in a body answers, in the words the services use for one outside the
#: actor's scope: the answer never tells whether a row exists beyond what one may see.
UNKNOWN = {
    OrgUnit: gettext_lazy("No such place."),
    Request: gettext_lazy("No such request."),
    Visit: gettext_lazy("No such visit."),
}


def _object(model, pk, *, field: str, queryset=None):
    """A referenced object by id; an unknown id names the field (400), it is not a 404."""
    if pk is None:
        return None
    found = (queryset if queryset is not None else model.objects.all()).filter(pk=pk).first()
    if found is None:
        message = UNKNOWN.get(model) or _("No such object.")
        raise ValidationFailed(message, field=field, code="does_not_exist")
    return found


class RequestViewSet(
    XLSXExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Residents' requests (诉求) in the viewer's scope; ``?format=xlsx`` exports the list."""

    export_name = "requests"
    serializer_class = s.RequestSerializer
    filterset_class = RequestFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Request.objects.none()  # for the schema; rows come from the selector

    def get_queryset(self):
        return with_voices(request_list(viewer=self.request.user))

    def export_columns(self):
        """What an export shows: the resident's phone and ID number masked, never in full."""
        local = timezone.localtime
        return [
            (gettext_lazy("Tracking code"), lambda r: r.tracking_code),
            (gettext_lazy("Collected at"), lambda r: local(r.collected_at)),
            (gettext_lazy("Channel"), lambda r: r.get_channel_display()),
            (gettext_lazy("Category"), lambda r: str(r.category)),
            (gettext_lazy("Place"), lambda r: r.unit.name),
            (gettext_lazy("Urgency"), lambda r: r.get_urgency_display()),
            (gettext_lazy("Status"), lambda r: r.get_status_display()),
            (gettext_lazy("What the resident asks for"), lambda r: r.description),
            (gettext_lazy("Resident"), lambda r: r.resident.name if r.resident_id else ""),
            (
                gettext_lazy("Phone"),
                lambda r: r.resident.phone_masked if r.resident_id else "",
            ),
            (gettext_lazy("ID number"), lambda r: r.id_number_masked),
            (gettext_lazy("Collected by"), lambda r: r.collected_by.get_full_name()),
            (gettext_lazy("Case"), lambda r: r.case_id or ""),
        ]

    def get_object(self):
        return self._get(self.kwargs["pk"])

    def _get(self, pk) -> Request:
        # ``request_get`` with the voices counted in the same query.
        try:
            return with_voices(request_list(viewer=self.request.user)).get(pk=pk)
        except (Request.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("No such request.")) from None

    def _answer(self, obj, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self._get(obj.pk)).data, status=code)

    @extend_schema(
        request=s.RequestCreateSerializer,
        responses={201: s.RequestSerializer, 413: OpenApiTypes.OBJECT, **ERRORS},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        """Collect a request; with ``outcome`` decide it at once. Idempotent with a key."""
        key = idempotency_key_parse(request.headers.get(HEADER))
        body = s.RequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = request.user

        def run():
            obj = request_intake(
                actor=user,
                channel=data["channel"],
                category=_object(Category, data["category"], field="category"),
                unit=_object(OrgUnit, data["unit"], field="unit"),
                description=data["description"],
                urgency=data["urgency"],
                resident=data.get("resident"),
                id_number=data.get("id_number", ""),
                visit=_object(
                    Visit,
                    data.get("visit"),
                    field="visit",
                    queryset=Visit.objects.select_related("unit"),
                ),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                collected_at=data.get("collected_at"),
                photos=data.get("photos", []),
                outcome=data.get("outcome", ""),
                answer=data.get("answer", ""),
                merge_into=_object(Request, data.get("merge_into"), field="merge_into"),
            )
            fresh = request_get(viewer=user, pk=obj.pk)
            answer = as_json(self.get_serializer(fresh).data)
            return status.HTTP_201_CREATED, answer

        return idempotent_response(request, key=key, endpoint="api.requests.create", run=run)

    @extend_schema(request=None, responses={200: s.RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Take up a request that came in by itself (受理: the public page, Open311); 409 when
        it is already acknowledged or decided. Answering or opening a case acknowledges too."""
        obj = self.get_object()
        request_acknowledge(request=obj, actor=request.user)
        return self._answer(obj)

    @extend_schema(request=s.AnswerSerializer, responses={200: s.RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="answer-on-spot")
    def answer_on_spot(self, request, pk=None):
        """Close the request with the answer given on the spot (现场解答)."""
        obj = self.get_object()
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        request_answer_on_spot(
            request=obj, actor=request.user, answer=body.validated_data["answer"]
        )
        return self._answer(obj)

    @extend_schema(request=s.OpenCaseSerializer, responses={200: s.RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        """Open a case for the request (协助办理); ``case`` in the answer is its id."""
        obj = self.get_object()
        body = s.OpenCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        request_open_case(request=obj, actor=request.user, title=body.validated_data.get("title"))
        return self._answer(obj)

    @extend_schema(request=s.MergeSerializer, responses={200: s.RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Join the request, a duplicate, to the case of the earlier request ``into``."""
        obj = self.get_object()
        body = s.MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        into = _object(Request, body.validated_data["into"], field="into")
        request_merge(request=obj, actor=request.user, into=into)
        return self._answer(obj)

    @extend_schema(request=s.RejectSerializer, responses={200: s.RequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject what is not a request, with the reason."""
        obj = self.get_object()
        body = s.RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        request_reject(request=obj, actor=request.user, reason=body.validated_data["reason"])
        return self._answer(obj)

    @extend_schema(
        request=s.RevealSerializer,
        responses={
            200: inline_serializer(
                "Revealed",
                {
                    "phone": serializers.CharField(required=False),
                    "id_number": serializers.CharField(required=False),
                },
            ),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Show the resident's phone or the ID number in full, with the reason (required); the
        access is recorded. Only some roles may, and only so many times in a while (429)."""
        obj = self.get_object()
        body = s.RevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        if body.validated_data["field"] == "id_number":
            clear = request_id_number_reveal(actor=request.user, request=obj, reason=reason)
            return Response({"id_number": clear})
        if obj.resident is None:
            raise ValidationFailed(_("No phone is recorded."), field="phone", code="empty")
        phone = resident_phone_reveal(
            actor=request.user, resident=obj.resident, request=obj, reason=reason
        )
        return Response({"phone": phone})

    @extend_schema(
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={201: s.PhotoSerializer, 413: OpenApiTypes.OBJECT, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        """Add a photo (JPEG, PNG or WebP); it is re-encoded, EXIF and all extras dropped."""
        obj = self.get_object()
        body = s.PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = request_photo_add(
            request=obj, actor=request.user, upload=body.validated_data["image"]
        )
        return Response(s.PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        parameters=[s.DuplicateQuerySerializer],
        responses={200: s.DuplicateSerializer(many=True), 400: OpenApiTypes.OBJECT},
        deprecated=True,
        description=(
            "Open requests the described one may duplicate, best first (at most five). "
            "Deprecated: use POST with the same fields in the body. The description is free "
            "text that may hold a phone or ID number, and a query string ends up in access "
            "logs."
        ),
    )
    @extend_schema(
        methods=["POST"],
        request=s.DuplicateQuerySerializer,
        responses={200: s.DuplicateSerializer(many=True), 400: OpenApiTypes.OBJECT},
        description=(
            "Open requests the described one may duplicate, best first (at most five). The "
            "fields travel in the body, so the description (which may hold a phone number) "
            "never sits in a URL. Nothing is written."
        ),
    )
    @action(detail=False, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def duplicates(self, request):
        """Open requests the described one may duplicate, best first (at most five). POST is
        preferred (the description stays out of URLs and access logs); GET is deprecated."""
        data = request.data if request.method == "POST" else request.query_params
        query = s.DuplicateQuerySerializer(data=data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        candidates = request_duplicate_candidates(
            viewer=request.user,
            category=_object(Category, data["category"], field="category"),
            unit=_object(OrgUnit, data["unit"], field="unit"),
            description=data.get("description", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            exclude=data.get("exclude"),
        )
        rows = [
            {"score": c.score, "distance": c.distance, "request": c.request} for c in candidates
        ]
        return Response(s.DuplicateSerializer(rows, many=True, context={"request": request}).data)


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits (走访) with their counts: collected, answered on the spot, opened as cases."""

    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    queryset = Visit.objects.none()

    def get_queryset(self):
        return visit_list(viewer=self.request.user)

    def get_object(self):
        return visit_get(viewer=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitSerializer, **ERRORS})
    def create(self, request):
        body = s.VisitCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visit = visit_create(
            actor=request.user,
            unit=_object(OrgUnit, data["unit"], field="unit"),
            visited_at=data["visited_at"],
            visitor=_object(User, data.get("visitor"), field="visitor"),
            kind=data["kind"],
            note=data.get("note", ""),
        )
        fresh = visit_get(viewer=request.user, pk=visit.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class ResidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents in the viewer's scope; a repeat caller is found by phone with ``search/``."""

    serializer_class = s.ResidentSerializer
    queryset = Resident.objects.none()

    def get_queryset(self):
        search = query_text(self.request.query_params.get("search"), field="search")
        return resident_list(viewer=self.request.user, search=search)

    def get_object(self):
        return resident_get(viewer=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[OpenApiParameter("search", str, description="Part of the name.")],
        responses={200: s.ResidentSerializer(many=True), 400: OpenApiTypes.OBJECT},
    )
    def list(self, request, *args, **kwargs):
        if "phone" in request.query_params:
            # A URL ends up in access logs: refuse it, so a client learns to use POST.
            raise ValidationFailed(
                _("Search by phone with a POST to the search endpoint, not in the address."),
                field="phone",
                code="phone_in_url",
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.ResidentSearchSerializer,
        responses={200: s.ResidentSerializer(many=True), 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Find residents by exact phone (any usual format) or part of the name, in the body."""
        body = s.ResidentSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = resident_list(
            viewer=request.user,
            phone=body.validated_data["phone"] or None,
            search=body.validated_data["search"] or None,
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=s.ResidentRevealSerializer,
        responses={
            200: inline_serializer("RevealedPhone", {"phone": serializers.CharField()}),
            403: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """Show the resident's phone in full, with the reason; the access is recorded."""
        resident = self.get_object()
        body = s.ResidentRevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phone = resident_phone_reveal(
            actor=request.user, resident=resident, reason=body.validated_data["reason"]
        )
        return Response({"phone": phone})
