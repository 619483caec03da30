"""Meetings (四方协商, 联席会议, 居民议事会, …), their topics and figures over the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework import services
from casework.errors import NotFound, ValidationFailed
from casework.models import AgendaItem, Meeting, MeetingParticipant, ParticipantRole
from casework.selectors import unit_get
from casework.selectors.cases import case_list
from casework.selectors.consultations import meeting_figures, meeting_list, meeting_period
from casework.services.consultations import TopicInput


class ParticipantSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=ParticipantRole.choices)

    class Meta:
        model = MeetingParticipant
        fields = ["role", "name"]


class AgendaItemSerializer(serializers.ModelSerializer):
    case_title = serializers.CharField(source="case.title", read_only=True)
    case_state = serializers.CharField(source="case.state", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "title",
            "case",
            "case_title",
            "case_state",
            "decision",
            "resolved",
            "decided_at",
        ]


class TopicInputSerializer(serializers.Serializer):
    """A topic raised: its title (a case's topic may leave it out), and the decision if any."""

    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    case = serializers.IntegerField(required=False, allow_null=True, default=None)
    decision = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    resolves = serializers.BooleanField(default=False)


def _topics(request, rows, *, field: str) -> list[TopicInput]:
    """The topics of ``rows``; a case not in the viewer's scope is refused naming ``field``."""
    visible = case_list(viewer=request.user)
    topics = []
    for row in rows:
        case = None
        if row.get("case") is not None:
            case = visible.filter(pk=row["case"]).first()
            if case is None:
                raise ValidationFailed(_("No such case in your scope."), field=field)
        topics.append(
            TopicInput(
                title=row["title"], case=case, decision=row["decision"], resolves=row["resolves"]
            )
        )
    return topics


class MeetingSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type_id", max_length=32, required=False)
    type_name = serializers.CharField(source="type.name", read_only=True)
    participants = ParticipantSerializer(many=True)
    topics = TopicInputSerializer(many=True, write_only=True, required=False)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    cases = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, required=False
    )
    cases_count = serializers.IntegerField(read_only=True)
    solved_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "type",
            "type_name",
            "unit",
            "held_at",
            "place",
            "topic",
            "minutes",
            "participants",
            "agenda",
            "cases",
            "topics",
            "cases_count",
            "solved_count",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class DecideInput(serializers.Serializer):
    """The topic decided on: ``topic`` (its id), or ``case`` for a case's topic."""

    case = serializers.IntegerField(required=False)
    topic = serializers.IntegerField(required=False)
    decision = serializers.CharField(max_length=4000)
    resolves = serializers.BooleanField(default=False)
    version = serializers.IntegerField(required=False, min_value=1)


class MeetingViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings held in your scope; record one with its type and topics, add topics, record the
    decision on each; the figures per type."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        return meeting_list(viewer=self.request.user)

    def create(self, request, *args, **kwargs):
        data = MeetingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = unit_get(viewer=request.user, pk=v["unit"].pk)
        visible = case_list(viewer=request.user)
        cases = []
        for case_id in v.get("cases", []):
            case = visible.filter(pk=case_id).first()
            if case is None:
                raise ValidationFailed(_("No such case in your scope."), field="cases")
            cases.append(case)
        meeting = services.meeting_create(
            actor=request.user,
            unit=unit,
            held_at=v["held_at"],
            place=v["place"],
            topic=v["topic"],
            minutes=v.get("minutes", ""),
            participants=[(p["role"], p["name"]) for p in v["participants"]],
            cases=cases,
            type=v.get("type_id"),
            topics=_topics(request, v.get("topics", []), field="topics"),
        )
        body = MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideInput, responses={200: AgendaItemSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision on one case of the agenda; ``resolves`` settles the case."""
        meeting = self.get_object()
        data = DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v.get("topic") is not None:
            item = AgendaItem.objects.filter(meeting=meeting, pk=v["topic"]).first()
            if item is None:
                raise NotFound(_("No such topic at this meeting."), field="topic")
        elif v.get("case") is not None:
            item = AgendaItem.objects.filter(meeting=meeting, case_id=v["case"]).first()
            if item is None:
                raise NotFound(_("That case is not on this meeting's agenda."), field="case")
        else:
            raise ValidationFailed(_("Name the topic or its case."), field="topic")
        item = services.meeting_decide(
            actor=request.user,
            item=item,
            decision=v["decision"],
            resolves=v["resolves"],
            version=v.get("version"),
        )
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=TopicInputSerializer, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"])
    def topics(self, request, pk=None):
        """Add a topic raised at the meeting, with or without a case, and its decision if any."""
        meeting = self.get_object()
        data = TopicInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        (topic,) = _topics(request, [data.validated_data], field="case")
        item = services.meeting_add_topic(actor=request.user, meeting=meeting, topic=topic)
        item = AgendaItem.objects.select_related("case").get(pk=item.pk)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Unit id (default: all your scope)"),
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD (default: any)"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (default: any)"),
        ],
        responses={
            200: {"type": "object"},
            400: OpenApiResponse(description="Bad dates"),
            404: OpenApiResponse(description="No such unit in your scope"),
        },
    )
    @action(detail=False, methods=["get"])
    def figures(self, request):
        """Meetings held, topics raised, problems solved (each once) and of them through
        four-party consultation, in total and per type; dates local, ``to`` inclusive."""
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        unit = unit_get(viewer=request.user, pk=v["unit"]) if v.get("unit") else None
        start, end = meeting_period(v.get("from_"), v.get("to"))
        body = meeting_figures(viewer=request.user, unit=unit, start=start, end=end)
        return Response(
            {
                "unit": unit.pk if unit else None,
                "from": v.get("from_"),
                "to": v.get("to"),
                **body,
            }
        )


class FiguresQuery(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1)
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here, kept as from_ in validated_data.
        fields["from"] = serializers.DateField(required=False, source="from_")
        return fields
