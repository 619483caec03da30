import django_filters
from django.db.models import Q

from casework.api.filters import IdFilter
from casework.models import Category, OrgUnit
from requests_app.models import Channel, Request, RequestStatus, Visit
from requests_app.services import tracking_code_normalise


class RequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    category = IdFilter(
        method="filter_category", label="Category id (a group includes its leaves)"
    )
    unit = IdFilter(method="filter_unit", label="Unit id (its subtree)")
    collected_after = django_filters.DateFilter(field_name="collected_at", lookup_expr="date__gte")
    collected_before = django_filters.DateFilter(
        field_name="collected_at", lookup_expr="date__lte"
    )
    q = django_filters.CharFilter(method="filter_text", label="Text or tracking code")
    visit = IdFilter(field_name="visit_id")
    resident = IdFilter(field_name="resident_id")
    mine = django_filters.BooleanFilter(method="filter_mine")
    acknowledged = django_filters.BooleanFilter(
        method="filter_acknowledged",
        label="false: waiting to be taken up (待受理), as the request list's filter",
    )

    class Meta:
        model = Request
        fields = []

    def filter_category(self, queryset, name, value):
        ids = Category.objects.filter(Q(pk=value) | Q(parent_id=value)).values("pk")
        return queryset.filter(category_id__in=ids)

    def filter_unit(self, queryset, name, value):
        path = OrgUnit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        # The queryset is already scoped: a unit outside the scope simply finds nothing.
        return queryset.filter(unit__path__startswith=path)

    def filter_text(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(tracking_code=tracking_code_normalise(value))
            | Q(resident__name=value)
        )

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(collected_by=self.request.user)
        return queryset

    def filter_acknowledged(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset.filter(acknowledged_at__isnull=True, status=RequestStatus.COLLECTED)


class VisitFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", label="Unit id (its subtree)")
    visited_after = django_filters.DateFilter(field_name="visited_at", lookup_expr="date__gte")
    visited_before = django_filters.DateFilter(field_name="visited_at", lookup_expr="date__lte")
    mine = django_filters.BooleanFilter(method="filter_mine")

    class Meta:
        model = Visit
        fields = ["kind"]

    def filter_unit(self, queryset, name, value):
        path = OrgUnit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=path)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(visitor=self.request.user) if value else queryset
