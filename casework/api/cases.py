"""Cases over the API: scoped lists with filters, one action endpoint per transition, history."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.actions import ACTIONS, Action, action_offer
from casework.api.exports import XLSXExportMixin
from casework.api.filters import IdFilter
from casework.api.parsers import JSONParser
from casework.idempotency import HEADER, as_json, idempotency_key_parse, idempotent_response
from casework.models import (
    Case,
    CaseEvent,
    CasePhoto,
    CaseState,
    CloseReason,
    CoHandling,
    Extension,
    OrgUnit,
    Satisfaction,
)
from casework.panels import case_detail_part
from casework.policies import authorise
from casework.selectors.cases import (
    QUEUES,
    case_after_action,
    case_events,
    case_in_scope,
    case_list,
    case_photos,
    queue_counts,
    queue_q,
)

# --- Serializers -------------------------------------------------------------------------------


class CoHandlingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CoHandling
        fields = ["unit", "unit_name", "due_at", "done_at", "done_by", "opinion"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = [
            "id",
            "state",
            "unit",
            "requested_by",
            "requested_at",
            "old_due_at",
            "due_at",
            "reason",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CasePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CasePhoto
        fields = ["id", "url", "stage", "caption", "width", "height", "added_by", "added_at"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return reverse("case-photo", args=[photo.case_id, photo.pk])


class UnavailableActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="The action's name, as in ``actions``.")
    label = serializers.CharField()
    reason = serializers.CharField(help_text="Why it is not on offer now.")


class CaseSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    unit_name = serializers.CharField(source="place_label", read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True, default=None)
    handler_name = serializers.SerializerMethodField()
    co_handlers = serializers.SerializerMethodField()
    co_handling = CoHandlingSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    requests = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    unavailable = serializers.SerializerMethodField()
    # Blank ("") until the case is closed, rated or parked; declared so the schema says so (a
    # read-only model field loses ``allow_blank``, and schemathesis found "" outside the enum).
    close_reason = serializers.ChoiceField(
        choices=CloseReason.choices, allow_blank=True, read_only=True
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, allow_blank=True, read_only=True
    )
    parked_from = serializers.ChoiceField(
        choices=CaseState.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "state",
            "version",
            "title",
            "description",
            "category",
            "category_name",
            "unit",
            "unit_name",
            "urgency",
            "handler",
            "handler_name",
            "owner_unit",
            "owner_unit_name",
            "co_handlers",
            "co_handling",
            "extensions",
            "created_at",
            "assigned_at",
            "sign_due_at",
            "due_soon_at",
            "due_at",
            "signed_at",
            "resolved_at",
            "closed_at",
            "close_reason",
            "result",
            "satisfaction",
            "escalation_level",
            "reopen_count",
            "return_count",
            "parked_from",
            "park_plan",
            "review_on",
            "requests",
            "actions",
            "unavailable",
        ]
        read_only_fields = fields

    def get_handler_name(self, case) -> str | None:
        return case.handler.get_full_name() if case.handler_id else None

    def get_co_handlers(self, case) -> list[int]:
        return [unit.pk for unit in case.co_handlers.all()]

    def get_requests(self, case) -> list[int]:
        # The reverse side of Request.case, prefetched by the selector; no import of requests_app.
        return [request.pk for request in case.requests.all()]

    def get_actions(self, case) -> list[str]:
        """What you may do to the case now (each is ``POST /api/v1/cases/{id}/<action>/``)."""
        request = self.context.get("request")
        return action_offer(request.user, case).available if request else []

    @extend_schema_field(UnavailableActionSerializer(many=True))
    def get_unavailable(self, case) -> list[dict]:
        """What you could do to the case, but not now, and why (the case page shows the same)."""
        request = self.context.get("request")
        if not request:
            return []
        return [
            {"action": u.action, "label": str(u.label), "reason": u.reason}
            for u in action_offer(request.user, case).unavailable
        ]


class CaseDetailSerializer(CaseSerializer):
    """One case, with what it is about: ``linked_requests`` are the residents' requests behind
    it (text, category, place, channel, tracking code, photos whose ``url`` serves every party
    to the case; the resident masked), contributed by the intake app."""

    linked_requests = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "linked_requests"]
        read_only_fields = fields

    def get_linked_requests(self, case) -> list[dict]:
        return case_detail_part(self.context.get("request"), case, "linked_requests", [])


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "actor",
            "actor_name",
            "created_at",
            "from_state",
            "to_state",
            "note",
            "data",
        ]

    def get_actor_name(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor_id else None


# --- Filters -----------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    unit = IdFilter(method="filter_unit", label="Place or handling unit id")
    handler = IdFilter(field_name="handler_id")
    category = IdFilter(method="filter_category")
    due_after = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="gte")
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lt")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    queue = django_filters.ChoiceFilter(choices=[(q, q) for q in QUEUES], method="filter_queue")
    escalated = django_filters.BooleanFilter(method="filter_escalated")

    class Meta:
        model = Case
        fields = ["urgency"]

    def filter_unit(self, queryset, name, value):
        path = OrgUnit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(
            Q(unit__path__startswith=path) | Q(owner_unit__path__startswith=path)
        )

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))

    def filter_overdue(self, queryset, name, value):
        overdue = queue_q("overdue", now=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_queue(self, queryset, name, value):
        return queryset.filter(queue_q(value, now=timezone.now()))

    def filter_escalated(self, queryset, name, value):
        return (
            queryset.filter(escalation_level__gt=0)
            if value
            else queryset.filter(escalation_level=0)
        )


# --- Views -------------------------------------------------------------------------------------

REFUSED = {
    403: OpenApiResponse(description="Your role does not allow this action."),
    404: OpenApiResponse(description="No such case in your scope."),
    409: OpenApiResponse(description="State or version conflict; the body has state, version."),
    400: OpenApiResponse(description="Bad input; the body names the field."),
}


class CaseViewSet(XLSXExportMixin, viewsets.ReadOnlyModelViewSet):
    """Cases in your scope. Each transition is an action; each may carry ``version``.

    ``?format=xlsx`` on the list gives the whole filtered list as a workbook.
    """

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    export_name = "cases"

    def export_columns(self):
        local = timezone.localtime
        return [
            (_("Number"), lambda c: c.number),
            (_("Title"), lambda c: c.title),
            (_("Category"), lambda c: str(c.category)),
            (_("Place"), lambda c: c.place_label),
            (_("Urgency"), lambda c: c.get_urgency_display()),
            (_("State"), lambda c: c.get_state_display()),
            (_("Handling unit"), lambda c: c.owner_unit.name if c.owner_unit_id else ""),
            (_("Handler"), lambda c: c.handler.get_full_name() if c.handler_id else ""),
            (_("Opened at"), lambda c: local(c.created_at)),
            (_("Resolve by"), lambda c: local(c.due_at) if c.due_at else None),
            (_("Resolved at"), lambda c: local(c.resolved_at) if c.resolved_at else None),
            (_("Closed at"), lambda c: local(c.closed_at) if c.closed_at else None),
            (_("Satisfaction"), lambda c: c.get_satisfaction_display()),
            (_("Escalation level"), lambda c: c.escalation_level),
            (_("Times reopened"), lambda c: c.reopen_count),
            (_("Times returned"), lambda c: c.return_count),
        ]

    def get_queryset(self):
        return case_list(viewer=self.request.user)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(responses={200: CasePhotoSerializer(many=True), 404: REFUSED[404]})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def photos(self, request, pk=None):
        """The case's photos; each ``url`` serves the image to those who may see the case."""
        case = case_in_scope(viewer=request.user, pk=pk)
        return Response(CasePhotoSerializer(case_photos(case=case), many=True).data)

    @extend_schema(responses={200: CaseEventSerializer(many=True), 404: REFUSED[404]})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request, pk=None):
        case = case_in_scope(viewer=request.user, pk=pk)
        return Response(CaseEventSerializer(case_events(case=case), many=True).data)

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=False, methods=["get"])
    def queues(self, request):
        """How many cases each supervisor queue holds for you."""
        return Response(queue_counts(viewer=request.user))


# --- One endpoint per action of the registry -----------------------------------------------

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=False,
    description="A UUID made by the client; a resend with the same key and body answers as the "
    "first call did and acts once. The same key with another body answers 409.",
)


def _endpoint(entry: Action):
    def act(self, request, pk=None):
        # A resend with the same Idempotency-Key (an offline tablet's outbox) answers as the
        # first call did and acts once; the key is scoped to this action on this case.
        key = idempotency_key_parse(request.headers.get(HEADER))
        # Only a case the caller can still see: a replay never answers past the scope.
        visible = self.get_object()

        def run():
            case = self.get_object()
            authorise(case, request.user, entry.name)
            data = entry.input(data=request.data, context={"case": case, "user": request.user})
            data.is_valid(raise_exception=True)
            values = data.validated_data
            entry.run(case, request.user, values, values.get("version"))
            fresh = case_after_action(viewer=request.user, pk=case.pk)
            return status.HTTP_200_OK, as_json(self.get_serializer(fresh).data)

        endpoint = f"api.cases.{entry.name}:{visible.pk}"[:64]
        return idempotent_response(request, key=key, endpoint=endpoint, run=run)

    act.__name__ = act.__qualname__ = f"act_{entry.name}"
    act.__doc__ = f"{entry.label} ({entry.name}). Who and from which states: casework.workflow."
    parser_classes = (
        [parsers.MultiPartParser, parsers.FormParser]
        if entry.multipart
        else [JSONParser, parsers.FormParser, parsers.MultiPartParser]
    )
    act = action(
        detail=True,
        methods=["post"],
        url_path=entry.path,
        url_name=entry.name.replace("_", "-"),
        parser_classes=parser_classes,
    )(act)
    return extend_schema(
        operation_id=f"cases_{entry.name}",
        summary=str(entry.label),
        request={"multipart/form-data": entry.input} if entry.multipart else entry.input,
        responses={200: CaseSerializer, **REFUSED},
        parameters=[IDEMPOTENCY_PARAMETER],
    )(act)


for _entry in ACTIONS.values():
    setattr(CaseViewSet, f"act_{_entry.name}", _endpoint(_entry))
