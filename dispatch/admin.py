from django.contrib import admin

from casework.admin_base import ReadOnlyAdmin
from dispatch.models import DispatchModel


@admin.register(DispatchModel)
class DispatchModelAdmin(ReadOnlyAdmin):
    """Versions for reference; trained and chosen on /dispatch/ (never the fitted bytes)."""

    list_display = ["id", "created_at", "kind", "is_active", "samples", "top1", "top3"]
    list_filter = ["kind", "is_active"]
    exclude = ["blob", "signature"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("blob")
