"""Keys are issued and revoked here through the services; the raw key is shown once."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from casework.errors import DomainError
from open311.models import Open311Key, Open311Submission
from open311.services import open311_key_create, open311_key_revoke


class KeyCreateForm(forms.ModelForm):
    class Meta:
        model = Open311Key
        fields = ["name", "unit", "fallback_place"]


@admin.register(Open311Key)
class Open311KeyAdmin(ScopedAdmin, admin.ModelAdmin):
    scope_path = "unit__path"
    list_display = ["name", "prefix", "unit", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = KeyCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "unit", "fallback_place"]
        return [
            "name",
            "prefix",
            "unit",
            "fallback_place",
            "account",
            "is_active",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            issued = open311_key_create(
                name=obj.name, unit=obj.unit, fallback_place=obj.fallback_place
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        obj.pk = issued.key.pk
        self.message_user(
            request,
            _("The key for %(name)s, shown this once: %(key)s")
            % {"name": issued.key.name, "key": issued.raw},
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change):
        """Nothing related is edited here."""

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            open311_key_revoke(key=key)
        self.message_user(request, _("Revoked."), messages.SUCCESS)


@admin.register(Open311Submission)
class Open311SubmissionAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "request__unit__path"
    list_display = ["token", "key", "request", "created_at"]
    list_select_related = ["key", "request"]
