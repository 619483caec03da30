"""Small searches behind the searchable pickers (static/js/picker.js): people and places.

Each answers at most :data:`LIMIT` rows, best matches first, found by name, by pinyin initials
("zs") or full pinyin ("zhangsan") for 张三, scoped like every list: what the viewer may see,
or, with ``case``, what a supervisor of that case may hand it to (its dispatch units and their
handlers, some of which lie outside the supervisor's own subtree).
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.filters import MAX_ID
from casework.errors import NotPermitted
from casework.models import Membership, OrgUnit, Role, UnitKind, User
from casework.models.org import PLACE_KINDS, place_label
from casework.policies import parties
from casework.selectors.cases import case_in_scope, dispatch_units
from casework.selectors.org import compound_name, unit_list
from casework.selectors.scope import scope_for
from casework.text import query_text
from casework.workflow import Party

#: The most rows one search answers: enough to pick from on a phone, never the whole list.
LIMIT = 20


# --- Parameters and answers ------------------------------------------------------------------


class _Query(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text="Name, pinyin initials (zs) or full pinyin (zhangsan).",
    )
    case = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A case you supervise: answer what it may be assigned or transferred to.",
    )

    def validate_q(self, value):
        return query_text(value, field="q").strip()


class PeopleQuery(_Query):
    unit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only people of this unit."
    )
    role = serializers.ChoiceField(required=False, choices=Role.choices)


class PlacesQuery(_Query):
    under = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Only units under this one."
    )
    kind = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Kinds, comma-separated (default: places, city to building).",
    )

    def validate_kind(self, value):
        kinds = [k for k in (value or "").split(",") if k]
        wrong = [k for k in kinds if k not in UnitKind.values]
        if wrong:
            raise serializers.ValidationError(_("Unknown kind: %(kind)s.") % {"kind": wrong[0]})
        return kinds


class PickedPerson(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    hint = serializers.CharField(help_text="The units this person belongs to (that you see).")
    units = serializers.ListField(child=serializers.IntegerField())


class PickedPlace(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="A building is named with its compound.")
    kind = serializers.CharField()
    hint = serializers.CharField(help_text="The kind, in words.")
    path = serializers.CharField()


class PeopleAnswer(serializers.Serializer):
    results = PickedPerson(many=True)
    more = serializers.BooleanField(help_text="More rows match: type more to narrow them.")


class PlacesAnswer(serializers.Serializer):
    results = PickedPlace(many=True)
    more = serializers.BooleanField(help_text="More rows match: type more to narrow them.")


# --- Search ----------------------------------------------------------------------------------


def search(qs: QuerySet, q: str, *, names=("name",)) -> QuerySet:
    """Rows whose name holds ``q`` or whose pinyin key holds it (spaces ignored), those that
    start with it first."""
    if not q:
        return qs.order_by("pinyin", "pk")
    key = re.sub(r"\s+", "", q.lower())
    found = Q()
    first = Q()
    for name in names:
        found |= Q(**{f"{name}__icontains": q})
        first |= Q(**{f"{name}__istartswith": q})
    if key:
        found |= Q(pinyin__contains=key)
        # "initials full": the initials start the key; the full pinyin follows the space.
        first |= Q(pinyin__startswith=key) | Q(pinyin__contains=f" {key}")
    rank = models.Case(
        When(first, then=Value(0)), default=Value(1), output_field=models.IntegerField()
    )
    return qs.filter(found).annotate(rank=rank).order_by("rank", "pinyin", "pk")


def _supervised_case(user, pk):
    """The case ``pk`` if ``user`` sees it (else 404) and supervises it (else 403)."""
    case = case_in_scope(viewer=user, pk=pk)
    if Party.SUPERVISOR not in parties(user, case):
        raise NotPermitted(_("Only a supervisor of the case chooses where it goes."), field="case")
    return case


def _limit(rows) -> tuple[list, bool]:
    rows = list(rows[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def people_search(*, viewer, q="", unit=None, role=None, case=None) -> tuple[list[dict], bool]:
    scope = scope_for(viewer)
    if case is not None:
        units = dispatch_units(_supervised_case(viewer, case))
        memberships = Membership.objects.filter(role=Role.HANDLER, unit__in=units)
    else:
        memberships = Membership.objects.filter(scope.units_q("unit__"))
        if role:
            memberships = memberships.filter(role=role)
    if unit is not None:
        path = OrgUnit.objects.filter(pk=unit).values_list("path", flat=True).first()
        memberships = (
            memberships.filter(unit__path__startswith=path) if path else memberships.none()
        )
    qs = User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
    rows, more = _limit(
        search(qs, q, names=("name", "username")).prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships.select_related("unit").order_by("unit__path"),
                to_attr="picked_memberships",
            )
        )
    )
    answer = []
    for user in rows:
        units = list(dict.fromkeys(m.unit for m in user.picked_memberships))
        answer.append(
            {
                "id": user.pk,
                "name": user.get_full_name(),
                "hint": "、".join(u.name for u in units),
                "units": [u.pk for u in units],
            }
        )
    return answer, more


def places_search(*, viewer, q="", under=None, kind=(), case=None) -> tuple[list[dict], bool]:
    if case is not None:
        qs = dispatch_units(_supervised_case(viewer, case))
    else:
        qs = unit_list(viewer=viewer).filter(
            is_active=True, kind__in=list(kind) or list(PLACE_KINDS)
        )
    if case is not None and kind:
        qs = qs.filter(kind__in=list(kind))
    if under is not None:
        # A unit out of scope narrows to nothing: it does not reveal itself.
        path = unit_list(viewer=viewer).filter(pk=under).values_list("path", flat=True).first()
        qs = qs.filter(path__startswith=path) if path else qs.none()
    rows, more = _limit(search(qs.annotate(compound=compound_name("path")), q))
    answer = [
        {
            "id": unit.pk,
            "name": place_label(unit, unit.compound),
            "kind": unit.kind,
            "hint": str(unit.get_kind_display()),
            "path": unit.path,
        }
        for unit in rows
    ]
    return answer, more


# --- Views -----------------------------------------------------------------------------------

COMMON = [
    OpenApiParameter("q", str, description="Name, pinyin initials (zs) or full pinyin."),
    OpenApiParameter("case", int, description="A case you supervise: where it may go."),
]


class PeoplePickerView(APIView):
    """People to pick: by name or pinyin, at most 20, among those you see; with ``case``, the
    handlers a case you supervise may be given to (``unit`` narrows them to one unit's)."""

    @extend_schema(
        operation_id="pickers_people",
        parameters=[
            *COMMON,
            OpenApiParameter("unit", int, description="Only people of this unit (its subtree)."),
            OpenApiParameter("role", str, enum=Role.values, description="Only this role."),
        ],
        responses=PeopleAnswer,
    )
    def get(self, request):
        params = PeopleQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        results, more = people_search(viewer=request.user, **params.validated_data)
        return Response({"results": results, "more": more})


class PlacesPickerView(APIView):
    """Places (or other units) to pick: by name or pinyin, at most 20, among those you see;
    with ``case``, the units a case you supervise may be assigned or transferred to."""

    @extend_schema(
        operation_id="pickers_places",
        parameters=[
            *COMMON,
            OpenApiParameter("under", int, description="Only units under this one."),
            OpenApiParameter(
                "kind", str, description="Kinds, comma-separated (default: the place kinds)."
            ),
        ],
        responses=PlacesAnswer,
    )
    def get(self, request):
        params = PlacesQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        results, more = places_search(viewer=request.user, **params.validated_data)
        return Response({"results": results, "more": more})
