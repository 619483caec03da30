"""Read-only API over the hierarchy, the people and the taxonomy."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.filters import PersonFilter, UnitFilter
from casework.api.serializers import (
    CategorySerializer,
    MeSerializer,
    PersonSerializer,
    UnitSerializer,
)
from casework.models import OrgUnit
from casework.selectors import category_list, person_list, unit_list
from casework.text import query_text


class MeView(APIView):
    """The signed-in person, their memberships and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return unit_list(viewer=self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parent_ids"] = getattr(self, "_parent_ids", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        parents = {unit.parent_path() for unit in rows if unit.depth > 1}
        self._parent_ids = dict(OrgUnit.objects.filter(path__in=parents).values_list("path", "id"))
        return page

    def retrieve(self, request, *args, **kwargs):
        unit = self.get_object()
        if unit.depth > 1:
            self._parent_ids = dict(
                OrgUnit.objects.filter(path=unit.parent_path()).values_list("path", "id")
            )
        return Response(self.get_serializer(unit).data)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer

    def get_queryset(self):
        search = query_text(self.request.query_params.get("search"), field="search")
        return category_list(search=search)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return person_list(viewer=self.request.user)
