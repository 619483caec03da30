"""Admin: webhook endpoints and their deliveries (with replay), units' group robots.

Endpoints and webhook deliveries are the whole deployment's, so only superusers see them; a
unit's robots are set up by the staff who cover the unit (``ScopedAdmin``).
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from casework.errors import DomainError
from webhooks import services
from webhooks.models import (
    DeliveryAttempt,
    Endpoint,
    EventType,
    RobotDelivery,
    UnitRobot,
    WebhookDelivery,
)


class SuperuserOnly:
    """Mixin: the whole deployment's integrations are for superusers alone."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("event types"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "event_types", "active"]

    def clean(self):
        data = super().clean()
        try:
            services._endpoint_fields(
                name=data.get("name", ""),
                url=data.get("url", ""),
                event_types=data.get("event_types") or [],
            )
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(Endpoint)
class EndpointAdmin(SuperuserOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "events", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["signing_secret", "secret_rotated_at", "created_by", "created_at"]
    actions = ["rotate_secret"]

    @admin.display(description=_("events"))
    def events(self, obj):
        return ", ".join(str(EventType(value).label) for value in obj.event_types)

    @admin.display(description=_("signing secret"))
    def signing_secret(self, obj):
        # Only superusers reach this page at all; the list never shows the secret.
        return obj.secret if obj.pk else _("Generated when the endpoint is saved.")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.endpoint_update(
                endpoint=obj,
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                active=data["active"],
                actor=request.user,
            )
        else:
            saved = services.endpoint_create(
                name=data["name"],
                url=data["url"],
                event_types=data["event_types"],
                active=data["active"],
                actor=request.user,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Give the selected endpoints a new signing secret"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
            self.log_change(request, endpoint, [{"changed": {"fields": ["secret"]}}])
        self.message_user(
            request, _("New secrets made: give each receiver its new one."), messages.WARNING
        )


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["at", "replay", "response_code", "error", "response_body", "duration_ms"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SuperuserOnly, ReadOnlyAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event_type",
        "event_key",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "endpoint"]
    search_fields = ["event_key"]
    list_select_related = ["endpoint"]
    inlines = [AttemptInline]
    actions = ["replay"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Replay the selected deliveries (same body, new signature)"))
    def replay(self, request, queryset):
        count = services.delivery_replay(
            delivery_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        for delivery in queryset.filter(replayed_by=request.user):
            self.log_change(request, delivery, _("Replayed"))
        self.message_user(
            request,
            _("Deliveries queued again: %(count)d.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(UnitRobot)
class UnitRobotAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "reminders", "escalations", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    scope_path = "unit__path"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RobotDelivery)
class RobotDeliveryAdmin(ScopedAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "robot", "status", "attempts", "response_code", "error"]
    list_filter = ["status", "robot__kind"]
    list_select_related = ["robot"]
    scope_path = "robot__unit__path"
