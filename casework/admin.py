"""Django admin for setting up the hierarchy, the people and the taxonomy."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin, ScopedChoices
from casework.models import (
    AgendaItem,
    Case,
    CaseEvent,
    Category,
    Delivery,
    ExportRecord,
    Meeting,
    MeetingParticipant,
    MeetingType,
    Membership,
    Notification,
    NotificationPreference,
    OrgUnit,
    Reminder,
    SweepRun,
    User,
)
from casework.selectors.scope import scope_for

admin.site.site_header = _("Minqing administration")
admin.site.site_title = _("Minqing")


class MembershipInline(ScopedChoices, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


class UnitMembershipInline(ScopedChoices, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name_plural = _("people in this unit")


#: Roughly mainland China and its islands: a point outside is saved, with a warning.
CHINA_BOX = {"latitude": (3.0, 54.0), "longitude": (73.0, 136.0)}


class OrgUnitForm(MoveNodeForm):
    """A place's point (WGS 84 degrees, as on the map): both or neither, each in range."""

    def _degrees(self, field, limit):
        value = self.cleaned_data.get(field)
        if value is not None and not -limit <= value <= limit:
            raise forms.ValidationError(
                _("Between %(low)d and %(high)d degrees.") % {"low": -limit, "high": limit}
            )
        return value

    def clean_latitude(self):
        return self._degrees("latitude", 90)

    def clean_longitude(self):
        return self._degrees("longitude", 180)

    def clean(self):
        data = super().clean()
        given = [f for f in ("latitude", "longitude") if data.get(f) is not None]
        if len(given) == 1:
            missing = "longitude" if given == ["latitude"] else "latitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        return data


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin, TreeAdmin):
    scope_path = "path"
    form = movenodeform_factory(
        OrgUnit,
        form=OrgUnitForm,
        fields=["name", "kind", "code", "is_active", "latitude", "longitude"],
    )
    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [UnitMembershipInline]

    def get_queryset(self, request):
        # The tree opens at the root nodes, which a staff member below them may not see: open
        # it at the tops of their own subtrees instead (drilling down and searching are scoped
        # by ``ScopedAdmin`` as everywhere).
        at_top = (
            getattr(request, "_treebeard_parent_id", False) is None
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
            and not request.user.is_superuser
        )
        if at_top:
            request._treebeard_parent = None
            return OrgUnit.objects.filter(path__in=scope_for(request.user).paths)
        return super().get_queryset(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        point = {"latitude": obj.latitude, "longitude": obj.longitude}
        outside = [
            field
            for field, (low, high) in CHINA_BOX.items()
            if point[field] is not None and not low <= point[field] <= high
        ]
        if outside:
            messages.warning(
                request,
                _("%(unit)s lies outside China (%(lat)s, %(lng)s): check the coordinates.")
                % {"unit": obj.name, "lat": obj.latitude, "lng": obj.longitude},
            )


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    # A person belongs where their memberships are; one with none is seen by superusers only.
    scope_path = "memberships__unit__path"
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Whoever may edit people must not raise anyone, themselves included, above the
            # scope they were given.
            fields += ["is_staff", "is_superuser", "groups"]
        return fields


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin, admin.ModelAdmin):
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
class CaseAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("unit__path", "owner_unit__path")
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
class CaseEventAdmin(ScopedAdmin, ReadOnlyAdmin):
    """Case history is append-only: no add, change or delete, here or anywhere."""

    scope_path = ("case__unit__path", "case__owner_unit__path")

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
    readonly_fields = ["title", "case", "decision", "resolved", "decided_at"]


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    """Meeting types are data: add one, rename one, or retire it (inactive: no longer offered,
    its meetings still counted). The code is how the API and the figures name it."""

    list_display = ["name", "code", "name_en", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["name", "name_en", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Meetings point at the code: it cannot change once the type exists.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["held_at", "type", "topic", "unit", "place"]
    list_filter = ["type"]
    search_fields = ["topic", "place", "minutes"]
    list_select_related = ["type", "unit"]
    inlines = [ParticipantInline, AgendaInline]


@admin.register(Reminder)
class ReminderAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = ("case__unit__path", "case__owner_unit__path")
    list_display = ["case", "kind", "level", "deadline", "created_at"]
    list_filter = ["kind", "level"]
    search_fields = ["case__id"]


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "user__memberships__unit__path"
    list_display = ["user", "kind", "case", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user", "case"]


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "notification__user__memberships__unit__path"
    list_display = ["notification", "channel", "status", "attempts", "sent_at", "error"]
    list_filter = ["channel", "status"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "now", "counts"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ScopedAdmin, admin.ModelAdmin):
    scope_path = "user__memberships__unit__path"
    list_display = ["user", "email", "sms", "digest"]
    search_fields = ["user__username", "user__name"]
    autocomplete_fields = ["user"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "user__memberships__unit__path"
    list_display = ["created_at", "user", "what", "rows", "filters"]
    list_filter = ["what"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user"]


@admin.register(LogEntry)
class LogEntryAdmin(ScopedAdmin, ReadOnlyAdmin):
    """The admin site's own audit log (操作日志): who added, changed or deleted what, when.

    Append-only: Django writes an entry with every change made here, and nothing in the admin
    changes or deletes one; because no one may delete an entry, deleting a person with entries
    is refused too (deactivate them instead). Staff see the entries of the people in their scope.
    """

    scope_path = "user__memberships__unit__path"
    list_display = ["action_time", "user", "action_flag", "content_type", "object_repr"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["user__username", "user__name", "object_repr", "object_id"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "action_time"
    fields = [
        "action_time",
        "user",
        "action_flag",
        "content_type",
        "object_id",
        "object_repr",
        "change_message",
    ]
    readonly_fields = fields


# The working calendar's admin lives in its own module; importing it registers it here.
import casework.calendar_admin  # noqa: E402
import casework.tokens_admin  # noqa: E402, F401  (API tokens: read-only, revoke)
