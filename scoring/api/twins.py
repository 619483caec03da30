"""Scoring API, the rest of the pages' twins: manual points of a quarter (and their removal),
the record of a 约谈, supervisors' evaluations, 双报到 registrations and their hours of service,
volunteer teams and their activities.

The shape of ``scoring.api.evidence``: each view parses, resolves the ids it names within the
same choices the page's form offers (anything else answers 404 naming the field), and calls the
same service as the page, which decides who may (403) and checks the rest (400 naming the
field; 409 when the quarter's state does not allow it).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import NotFound, ValidationFailed
from casework.models import OrgUnit, UnitKind, User
from scoring import services
from scoring.api.evidence import ID, NamedSerializer, _named
from scoring.api.serializers import InterviewSerializer
from scoring.api.views import ERRORS
from scoring.models import (
    DualRegistration,
    DualServiceRecord,
    Grade,
    Indicator,
    ScoreEntry,
    SupervisorEvaluation,
    VolunteerActivity,
    VolunteerTeam,
)
from scoring.selectors.evidence import (
    dual_registration_get,
    dual_registration_list,
    evaluation_sheet,
    people_for,
    places_for,
    team_get,
    team_list,
)
from scoring.selectors.results import interview_get, quarter_get, visible_unit

#: The places a volunteer team serves (the page's ``TeamForm``).
TEAM_PLACES = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND)
#: Where a 双报到 member works (the page's ``DualRegistrationForm``).
HOME_UNITS = (UnitKind.DEPARTMENT, UnitKind.COUNTY, UnitKind.TOWN)
NO_CONTENT = {204: OpenApiResponse(description="Removed.")}


def _person_in(queryset, pk, field="person"):
    person = queryset.filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No such person."), field=field)
    return person


def _people_in(queryset, pks, field):
    wanted = set(pks)
    found = list(queryset.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise NotFound(_("No such person."), field=field)
    return found


def _year(request):
    raw = request.query_params.get("year")
    if raw is None:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2999:
        raise ValidationFailed(_("Enter a year between 2000 and 2999."), field="year")
    return int(raw)


# --- Manual points of a quarter --------------------------------------------------------------


class ManualEntryRequestSerializer(serializers.Serializer):
    """Points given (or taken, negative) by hand, with the reason: for a ``person`` (as the
    page's form on a worker's explanation) or a ``unit``, one of the two."""

    person = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    indicator = serializers.IntegerField(**ID)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField(max_length=2000)


class ManualEntrySerializer(serializers.ModelSerializer):
    quarter = serializers.CharField(source="quarter.code", read_only=True)
    category = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = ScoreEntry
        fields = [
            "id",
            "quarter",
            "person",
            "unit",
            "indicator",
            "category",
            "points",
            "manual",
            "reason",
            "created_by",
            "created_at",
        ]


class ManualEntryView(APIView):
    """Give or take points by hand for a worker (or a unit) of the quarter, with the reason:
    the form on the page ``/scoring/quarters/{code}/people/{id}/``. By an administrator over
    them (403 otherwise); refused once the quarter is published (409). Compute the quarter
    again to see it in the ranking."""

    @extend_schema(
        request=ManualEntryRequestSerializer,
        responses={201: ManualEntrySerializer, **ERRORS},
    )
    def post(self, request, code):
        quarter = quarter_get(code=code)
        body = ManualEntryRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if (data["person"] is None) == (data["unit"] is None):
            raise ValidationFailed(_("Choose either a person or a unit."), field="person")
        person = unit = None
        if data["person"] is not None:
            person = _person_in(people_for(viewer=request.user), data["person"])
        else:
            unit = visible_unit(request.user, data["unit"])
            if unit is None:
                raise NotFound(_("No such unit in your scope."), field="unit")
        indicator = Indicator.objects.filter(pk=data["indicator"]).first()
        if indicator is None:
            raise NotFound(_("No such category."), field="indicator")
        if not indicator.is_active:
            raise ValidationFailed(_("This category is no longer in use."), field="indicator")
        entry = services.score_entry_add(
            actor=request.user,
            quarter=quarter,
            person=person,
            unit=unit,
            indicator=indicator,
            points=data["points"],
            reason=data["reason"],
        )
        return Response(ManualEntrySerializer(entry).data, status=201)


def _manual_entry(code, pk) -> ScoreEntry:
    quarter = quarter_get(code=code)
    entry = ScoreEntry.objects.filter(pk=pk, quarter=quarter, manual=True).first()
    if entry is None:
        raise NotFound(_("No such entry."), field="entry")
    return entry


class ManualEntryDetailView(APIView):
    """``DELETE`` removes a manual entry of the quarter (the page's "Remove" button): by an
    administrator over whom it is about; anyone else, and an entry that is not manual, get
    404 (a refusal does not tell who it is about)."""

    @extend_schema(request=None, responses={**NO_CONTENT, **ERRORS})
    def delete(self, request, code, pk):
        services.score_entry_remove(actor=request.user, entry=_manual_entry(code, pk))
        return Response(status=204)


class ManualEntryRemoveView(APIView):
    """The same as ``DELETE …/entries/{id}/``, for clients that only post."""

    @extend_schema(request=None, responses={**NO_CONTENT, **ERRORS})
    def post(self, request, code, pk):
        services.score_entry_remove(actor=request.user, entry=_manual_entry(code, pk))
        return Response(status=204)


# --- The record of a talk (约谈) --------------------------------------------------------------


class InterviewRecordRequestSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    interviewee = serializers.CharField(
        required=False, allow_blank=True, max_length=64, default=""
    )
    notes = serializers.CharField(max_length=4000)
    follow_up = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)
    annual_grade_lowered = serializers.BooleanField(required=False, default=False)
    bonus_withheld = serializers.BooleanField(required=False, default=False)


class InterviewDetailView(APIView):
    """One talk (约谈) of the quarter's list, in your scope, and what was recorded of it: the
    page ``/scoring/interviews/{id}/``."""

    @extend_schema(responses={200: InterviewSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        return Response(InterviewSerializer(interview_get(viewer=request.user, pk=pk)).data)


class InterviewRecordView(APIView):
    """Record the talk (held on, with whom, notes, follow-up, consequences); recording again
    corrects it. By a supervisor or administrator above the unit talked with, never by the
    person talked with (403); only for a published quarter (409)."""

    @extend_schema(
        request=InterviewRecordRequestSerializer, responses={200: InterviewSerializer, **ERRORS}
    )
    def post(self, request, pk):
        interview = interview_get(viewer=request.user, pk=pk)
        body = InterviewRecordRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interview = services.interview_record(
            actor=request.user, interview=interview, **body.validated_data
        )
        return Response(InterviewSerializer(interview_get(viewer=request.user, pk=pk)).data)


# --- Supervisors' evaluations (双向考评) -------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator = serializers.SerializerMethodField()

    class Meta:
        model = SupervisorEvaluation
        fields = ["id", "grade", "note", "evaluator", "updated_at"]

    @extend_schema_field(NamedSerializer)
    def get_evaluator(self, evaluation) -> dict:
        return _named(evaluation.evaluator)


class EvaluationRowSerializer(serializers.Serializer):
    """A worker you supervise, with their evaluation for the quarter (``null``: not yet)."""

    person = NamedSerializer()
    units = NamedSerializer(many=True)
    evaluation = EvaluationSerializer(allow_null=True)


def _row(worker, evaluation) -> dict:
    return {
        "person": _named(worker),
        "units": [_named(m.unit) for m in getattr(worker, "ranked_memberships", [])],
        "evaluation": evaluation,
    }


class EvaluationRequestSerializer(serializers.Serializer):
    person = serializers.IntegerField(**ID)
    grade = serializers.ChoiceField(choices=Grade.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class EvaluationListView(generics.ListAPIView):
    """The quarter's evaluation sheet: each ranked worker you supervise (not yourself) with
    their evaluation, if any; ``POST`` records or changes one: the page
    ``/scoring/quarters/{code}/evaluations/``. Only of someone you supervise (403), never
    oneself; refused once the quarter is published (409)."""

    serializer_class = EvaluationRowSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupervisorEvaluation.objects.none()
        quarter = quarter_get(code=self.kwargs["code"])
        return [_row(w, e) for w, e in evaluation_sheet(viewer=self.request.user, quarter=quarter)]

    @extend_schema(responses={200: EvaluationRowSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=EvaluationRequestSerializer, responses={200: EvaluationRowSerializer, **ERRORS}
    )
    def post(self, request, code):
        quarter = quarter_get(code=code)
        body = EvaluationRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = _person_in(people_for(viewer=request.user), data["person"])
        evaluation = services.evaluation_record(
            actor=request.user,
            quarter=quarter,
            person=person,
            grade=data["grade"],
            note=data["note"],
        )
        return Response(EvaluationRowSerializer(_row(person, evaluation)).data)


# --- 双报到: registrations and hours of service -----------------------------------------------


class DualRegistrationRequestSerializer(serializers.Serializer):
    """An in-service party member of a department (``home_unit``) registering with a
    ``community`` for the year of ``registered_on``."""

    person = serializers.IntegerField(**ID)
    home_unit = serializers.IntegerField(**ID)
    community = serializers.IntegerField(**ID)
    registered_on = serializers.DateField()


class DualRegistrationSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    home_unit = serializers.SerializerMethodField()
    community = serializers.SerializerMethodField()

    class Meta:
        model = DualRegistration
        fields = [
            "id",
            "person",
            "home_unit",
            "community",
            "year",
            "registered_on",
            "registered_by",
        ]

    @extend_schema_field(NamedSerializer)
    def get_person(self, registration) -> dict:
        return _named(registration.person)

    @extend_schema_field(NamedSerializer)
    def get_home_unit(self, registration) -> dict:
        return _named(registration.home_unit)

    @extend_schema_field(NamedSerializer)
    def get_community(self, registration) -> dict:
        return _named(registration.community)


def _dual_members():
    """Whom the page's form offers: active people with a membership in a department."""
    return User.objects.filter(
        is_active=True, memberships__unit__kind=UnitKind.DEPARTMENT
    ).distinct()


class DualRegistrationView(generics.ListCreateAPIView):
    """双报到 registrations you may see (your own, and those with communities in your scope),
    optionally of one ``year``; ``POST`` registers a member with a community: the page
    ``/scoring/dual/``. By a supervisor or administrator over the community (403); a member
    registers with a community once a year, and from outside it (400)."""

    serializer_class = DualRegistrationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DualRegistration.objects.none()
        return dual_registration_list(viewer=self.request.user, year=_year(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Only this year's.")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DualRegistrationRequestSerializer,
        responses={201: DualRegistrationSerializer, **ERRORS},
    )
    def post(self, request):
        body = DualRegistrationRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        community = (
            places_for(viewer=request.user, kinds=(UnitKind.COMMUNITY,))
            .filter(pk=data["community"])
            .first()
        )
        if community is None:
            raise NotFound(_("No such community in your scope."), field="community")
        person = _person_in(_dual_members(), data["person"])
        home_unit = OrgUnit.objects.filter(
            pk=data["home_unit"], is_active=True, kind__in=HOME_UNITS
        ).first()
        if home_unit is None:
            raise NotFound(_("No such unit."), field="home_unit")
        registration = services.dual_registration_create(
            actor=request.user,
            person=person,
            home_unit=home_unit,
            community=community,
            registered_on=data["registered_on"],
        )
        return Response(DualRegistrationSerializer(registration).data, status=201)


class DualServiceRequestSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    description = serializers.CharField(max_length=200)


class DualServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = DualServiceRecord
        fields = ["id", "registration", "served_on", "hours", "description", "recorded_by"]


class DualServiceView(APIView):
    """Record hours of service a registered member gave in the community: the form on the
    page ``/scoring/dual/{id}/``. By the member or a supervisor over the community (403); a
    registration outside your scope is 404."""

    @extend_schema(
        request=DualServiceRequestSerializer, responses={201: DualServiceSerializer, **ERRORS}
    )
    def post(self, request, pk):
        registration = dual_registration_get(viewer=request.user, pk=pk)
        body = DualServiceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.dual_service_record(
            actor=request.user, registration=registration, **body.validated_data
        )
        return Response(DualServiceSerializer(record).data, status=201)


# --- Volunteer teams and their activities -----------------------------------------------------


class TeamRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit = serializers.IntegerField(**ID)
    leader = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    members = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, default=list, max_length=500
    )


class TeamSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    leader = serializers.SerializerMethodField()

    class Meta:
        model = VolunteerTeam
        fields = ["id", "name", "unit", "leader", "is_active", "created_by"]

    @extend_schema_field(NamedSerializer)
    def get_unit(self, team) -> dict:
        return _named(team.unit)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_leader(self, team) -> dict | None:
        return _named(team.leader)


class TeamView(generics.ListCreateAPIView):
    """Volunteer teams you may see (those serving places in your scope, and yours);
    ``POST`` sets one up (the leader is a member too): the page ``/scoring/volunteers/``. By a
    supervisor or administrator over the place it serves (403)."""

    serializer_class = TeamSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VolunteerTeam.objects.none()
        return team_list(viewer=self.request.user)

    @extend_schema(request=TeamRequestSerializer, responses={201: TeamSerializer, **ERRORS})
    def post(self, request):
        body = TeamRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = places_for(viewer=request.user, kinds=TEAM_PLACES).filter(pk=data["unit"]).first()
        if unit is None:
            raise NotFound(_("No such unit in your scope."), field="unit")
        people = people_for(viewer=request.user)
        leader = _person_in(people, data["leader"], "leader") if data["leader"] else None
        members = _people_in(people, data["members"], "members")
        team = services.volunteer_team_create(
            actor=request.user, name=data["name"], unit=unit, leader=leader, members=members
        )
        return Response(TeamSerializer(team).data, status=201)


class ActivityRequestSerializer(serializers.Serializer):
    """An activity the team held; ``participants`` and ``organiser`` are the team's
    members."""

    title = serializers.CharField(max_length=120)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=120)
    people_served = serializers.IntegerField(min_value=0, max_value=100_000)
    participants = serializers.ListField(
        child=serializers.IntegerField(**ID), min_length=1, max_length=500
    )
    organiser = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)


class ActivitySerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()

    class Meta:
        model = VolunteerActivity
        fields = [
            "id",
            "team",
            "title",
            "held_on",
            "place",
            "people_served",
            "participants",
            "organiser",
            "recorded_by",
        ]

    def get_participants(self, activity) -> list[int]:
        return sorted(p.pk for p in activity.participants.all())


class ActivityView(APIView):
    """Record an activity a team held: the form on the page ``/scoring/volunteers/{id}/``. By
    the team's leader or a supervisor over its place (403); a team outside your scope is 404;
    participants and organiser who are not the team's members are 400."""

    @extend_schema(
        request=ActivityRequestSerializer, responses={201: ActivitySerializer, **ERRORS}
    )
    def post(self, request, pk):
        team = team_get(viewer=request.user, pk=pk)
        body = ActivityRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        members = {person.pk: person for person in team.members.all()}
        if not set(data["participants"]) <= members.keys():
            raise ValidationFailed(_("Only the team's members take part."), field="participants")
        organiser = None
        if data["organiser"] is not None:
            organiser = members.get(data["organiser"])
            if organiser is None:
                raise ValidationFailed(_("The organiser is one of the team."), field="organiser")
        activity = services.volunteer_activity_record(
            actor=request.user,
            team=team,
            title=data["title"],
            held_on=data["held_on"],
            place=data["place"],
            people_served=data["people_served"],
            participants=[members[pk] for pk in data["participants"]],
            organiser=organiser,
        )
        return Response(ActivitySerializer(activity).data, status=201)
