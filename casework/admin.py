"""Django admin for setting up the hierarchy, the people and the taxonomy."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from casework.admin_base import ReadOnlyAdmin
from casework.models import (
    AgendaItem,
    Case,
    CaseEvent,
    Category,
    Delivery,
    ExportRecord,
    Meeting,
    MeetingParticipant,
    Membership,
    Notification,
    NotificationPreference,
    OrgUnit,
    Reminder,
    SweepRun,
    User,
)

admin.site.site_header = _("Minqing administration")
admin.site.site_title = _("Minqing")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


class UnitMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name_plural = _("people in this unit")


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit, fields=["name", "kind", "code", "is_active"])
    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [UnitMembershipInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "phone", "is_active", "is_staff", "is_demo"]
    list_filter = ["is_active", "is_staff", "is_demo", "memberships__role"]
    search_fields = ["username", "name", "phone", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "phone", "email"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "is_demo", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "password1", "password2"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ["code", "name", "name_en", "deadline_class", "sort_order", "is_active"]
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "parent",
        "deadline_class",
        "sign_for_minutes",
        "resolve_amount",
        "resolve_unit",
        "requires_id_number",
        "is_active",
    ]
    list_filter = ["deadline_class", "resolve_unit", "requires_id_number", "is_active", "parent"]
    search_fields = ["name", "name_en", "code", "pinyin"]
    list_select_related = ["parent"]
    inlines = [SubcategoryInline]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "kind", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "title",
        "state",
        "category",
        "unit",
        "owner_unit",
        "due_at",
        "created_at",
    ]
    list_filter = ["state", "urgency", "escalation_level", "category__parent"]
    search_fields = ["id", "title", "description"]
    list_select_related = ["category", "unit", "owner_unit"]
    date_hierarchy = "created_at"
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """Case history is append-only: no add, change or delete, here or anywhere."""

    list_display = ["case", "kind", "actor", "from_state", "to_state", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__id", "note"]
    list_select_related = ["case", "actor"]


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    readonly_fields = ["case", "decision", "resolved", "decided_at"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_at", "topic", "unit", "place"]
    search_fields = ["topic", "place", "minutes"]
    list_select_related = ["unit"]
    inlines = [ParticipantInline, AgendaInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "level", "deadline", "created_at"]
    list_filter = ["kind", "level"]
    search_fields = ["case__id"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "case", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user", "case"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "status", "attempts", "sent_at", "error"]
    list_filter = ["channel", "status"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "now", "counts"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "digest"]
    search_fields = ["user__username", "user__name"]
    autocomplete_fields = ["user"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "what", "rows", "filters"]
    list_filter = ["what"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user"]


# The working calendar's admin lives in its own module; importing it registers it here.
import casework.calendar_admin  # noqa: E402, F401
