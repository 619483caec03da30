"""Django admin for the residents' self-service: shown for reference, written only through the
services (the public page and its API). Phone and address hashes are never shown."""

from django.contrib import admin

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from selfservice.models import DoorReport, Voice


@admin.register(DoorReport)
class DoorReportAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "request__unit__path"
    list_display = ["request", "category_source", "created_at"]
    list_filter = ["category_source"]
    list_select_related = ["request"]
    fields = ["request", "category_source", "created_at"]
    date_hierarchy = "created_at"


@admin.register(Voice)
class VoiceAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "request__unit__path"
    list_display = ["request", "created_at"]
    list_select_related = ["request"]
    fields = ["request", "created_at"]
    date_hierarchy = "created_at"
