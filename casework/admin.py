"""Django admin for setting up the hierarchy, the people and the taxonomy."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from casework.models import Category, Membership, OrgUnit, User

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
