"""Django admin for intake: read-mostly views for administrators, personal data masked.

Requests, residents and visits are written through the services (pages and API), never here:
the admin shows them, so an administrator can look something up, but cannot bypass the rules.
Phones and ID numbers appear masked; showing one in full is done on the pages, where it is
recorded.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from requests_app.models import (
    IdempotencyKey,
    PersonalDataAccess,
    Request,
    RequestEvent,
    RequestPhoto,
    Resident,
    RetentionRun,
    Visit,
)


class PhotoInline(admin.TabularInline):
    model = RequestPhoto
    extra = 0
    fields = ["image", "width", "height", "size", "uploaded_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "tracking_code",
        "collected_at",
        "status",
        "channel",
        "category",
        "unit",
        "resident_masked",
    ]
    list_filter = ["status", "channel", "urgency"]
    search_fields = ["tracking_code", "description"]
    list_select_related = ["category", "category__parent", "unit", "resident"]
    date_hierarchy = "collected_at"
    exclude = ["id_number_encrypted"]
    inlines = [PhotoInline, EventInline]

    @admin.display(description=_("resident"))
    def resident_masked(self, obj):
        if obj.resident is None:
            return "—"
        return f"{obj.resident.name} {obj.resident.phone_masked}".strip()


@admin.register(Resident)
class ResidentAdmin(ScopedAdmin, ReadOnlyAdmin):
    # As on the pages (``resident_visible``): where they live, or where they asked.
    scope_path = ("unit__path", "requests__unit__path")
    list_display = ["name", "phone_masked", "address", "unit", "created_at"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    fields = ["name", "phone_masked", "address", "unit", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["visited_at", "kind", "unit", "visitor"]
    list_filter = ["kind"]
    list_select_related = ["unit", "visitor"]
    date_hierarchy = "visited_at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ScopedAdmin, ReadOnlyAdmin):
    """The report of who showed which number in full, when and why (查看记录)."""

    scope_path = ("request__unit__path", "resident__unit__path", "resident__requests__unit__path")

    list_display = ["created_at", "actor", "field", "resident", "request", "reason"]
    list_filter = ["field", ("actor", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["actor__username", "actor__name", "reason", "request__tracking_code"]
    list_select_related = ["actor", "resident", "request"]
    date_hierarchy = "created_at"


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "user__memberships__unit__path"
    list_display = ["created_at", "user", "key", "endpoint", "status_code"]
    list_select_related = ["user"]
    exclude = ["response"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    """The retention job's record: one row per batch of residents anonymised."""

    list_display = ["ran_at", "cutoff", "residents", "requests", "cases"]
    date_hierarchy = "ran_at"
