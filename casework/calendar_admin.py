"""Django admin for the working-day calendar (工作日历): holidays, make-up workdays, known years.

Every save and delete goes through ``casework.services.calendar``, which forgets the cached
calendar, so a correction counts for the next deadline at once. ``casework.admin`` imports
this module.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from casework.calendar import MAX_YEAR, MIN_YEAR
from casework.models import CalendarDay, CalendarYear
from casework.selectors.calendar import calendar_status
from casework.services.calendar import (
    calendar_day_set,
    calendar_days_delete,
    calendar_year_set,
    calendar_years_unmark,
)


class _CalendarWarningMixin:
    """Show the "calendar runs out soon" warning on the calendar's own lists."""

    def changelist_view(self, request, extra_context=None):
        status = calendar_status(timezone.localdate())
        if status.needs_attention and request.method == "GET":
            messages.warning(request, status.message)
        return super().changelist_view(request, extra_context)


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name", "name_en"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("A calendar year must lie between %(min)d and %(max)d."),
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return day


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarWarningMixin, admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "is_workday", "name", "name_en", "source", "updated_at"]
    list_filter = [YearListFilter, "is_workday", "source"]
    search_fields = ["name", "name_en", "date"]
    search_help_text = _("Search by name (国庆节) or by date (2025-10).")
    date_hierarchy = "date"
    ordering = ["-date"]
    readonly_fields = ["source", "updated_at"]
    list_per_page = 100

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        return formats.date_format(obj.date, "l")

    def get_readonly_fields(self, request, obj=None):
        # A date is the entry's identity: to move an entry, delete it and add another.
        if obj is not None:
            return ["date", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        saved = calendar_day_set(
            day=obj.date, is_workday=obj.is_workday, name=obj.name, name_en=obj.name_en
        )
        # The admin logs and redirects with the object it holds.
        obj.pk, obj.source, obj.updated_at = saved.pk, saved.source, saved.updated_at

    def delete_model(self, request, obj):
        calendar_days_delete(days=[obj.date])

    def delete_queryset(self, request, queryset):
        calendar_days_delete(days=list(queryset.values_list("date", flat=True)))


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                _("A calendar year must lie between %(min)d and %(max)d."),
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarWarningMixin, admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ["year", "source", "day_count", "note", "updated_at"]
    list_filter = ["source"]
    search_fields = ["year", "note"]
    ordering = ["-year"]
    readonly_fields = ["source", "updated_at"]

    def get_queryset(self, request):
        days = (
            CalendarDay.objects.annotate(y=ExtractYear("date"))
            .filter(y=OuterRef("year"))
            .values("y")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(day_count=Coalesce(Subquery(days), 0))

    @admin.display(description=_("days entered"), ordering="day_count")
    def day_count(self, obj):
        return obj.day_count

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["year", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        saved = calendar_year_set(year=obj.year, note=obj.note)
        obj.pk, obj.source, obj.updated_at = saved.pk, saved.source, saved.updated_at

    def delete_model(self, request, obj):
        calendar_years_unmark(years=[obj.year])

    def delete_queryset(self, request, queryset):
        calendar_years_unmark(years=list(queryset.values_list("year", flat=True)))
