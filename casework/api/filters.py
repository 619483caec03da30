import django_filters
from django import forms

from casework.models import Membership, OrgUnit, Role, UnitKind, User
from casework.selectors.scope import scope_for

#: The largest id a database column holds (bigint); anything larger cannot name a row.
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A row id in a query string: a whole number from 1 to the bigint maximum, else a 400
    naming the parameter (never an overflow deep in the database driver)."""

    field_class = IdField


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    parent = IdFilter(method="filter_parent")
    within = IdFilter(method="filter_within", label="Subtree of unit id")

    class Meta:
        model = OrgUnit
        fields = ["kind"]

    def _unit(self, pk):
        # A unit outside the viewer's scope filters to nothing, it does not reveal itself.
        return self.queryset.filter(pk=pk).values_list("path", "depth").first()

    def filter_parent(self, queryset, name, value):
        found = self._unit(value)
        if not found:
            return queryset.none()
        path, depth = found
        return queryset.filter(path__startswith=path, depth=depth + 1)

    def filter_within(self, queryset, name, value):
        found = self._unit(value)
        if not found:
            return queryset.none()
        return queryset.filter(path__startswith=found[0])


class PersonFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role")
    unit = IdFilter(method="filter_unit", label="Unit id (its subtree)")

    class Meta:
        model = User
        fields = []

    def _visible_memberships(self):
        return Membership.objects.filter(scope_for(self.request.user).units_q("unit__"))

    def filter_role(self, queryset, name, value):
        return queryset.filter(
            pk__in=self._visible_memberships().filter(role=value).values("user_id")
        )

    def filter_unit(self, queryset, name, value):
        path = OrgUnit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(
            pk__in=self._visible_memberships()
            .filter(unit__path__startswith=path)
            .values("user_id")
        )
