"""Four-party consultations over the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework import services
from casework.errors import NotFound, ValidationFailed
from casework.models import AgendaItem, Meeting, MeetingParticipant, ParticipantRole
from casework.selectors import unit_get
from casework.selectors.cases import case_list
from casework.selectors.consultations import meeting_list


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
        fields = ["id", "case", "case_title", "case_state", "decision", "resolved", "decided_at"]


class MeetingSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True)
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
            "unit",
            "held_at",
            "place",
            "topic",
            "minutes",
            "participants",
            "agenda",
            "cases",
            "cases_count",
            "solved_count",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class DecideInput(serializers.Serializer):
    case = serializers.IntegerField()
    decision = serializers.CharField(max_length=4000)
    resolves = serializers.BooleanField(default=False)
    version = serializers.IntegerField(required=False, min_value=1)


class MeetingViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Consultations held in your scope; record one, then its decision on each case."""

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
        item = AgendaItem.objects.filter(meeting=meeting, case_id=v["case"]).first()
        if item is None:
            raise NotFound(_("That case is not on this meeting's agenda."), field="case")
        item = services.meeting_decide(
            actor=request.user,
            item=item,
            decision=v["decision"],
            resolves=v["resolves"],
            version=v.get("version"),
        )
        return Response(AgendaItemSerializer(item).data)
