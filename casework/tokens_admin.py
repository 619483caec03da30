"""The admin's view of everyone's API tokens: read-only, never the key, with a revoke action.

Imported by ``casework/admin.py``, which registers it. A token is revoked through the same
service as on the person's own page, and the admin's log records who revoked which.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from casework.admin_base import ReadOnlyAdmin, ScopedAdmin
from casework.errors import DomainError
from casework.models import ApiToken
from casework.services.tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin, ReadOnlyAdmin):
    scope_path = "user__memberships__unit__path"
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__name"]
    list_select_related = ["user", "revoked_by"]
    # ``key_hash`` is not shown: it is no key, but nobody needs to read it.
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("casework.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                token_revoke(actor=request.user, token_id=token.pk, any_owner=True)
            except DomainError as exc:  # revoked meanwhile by someone else
                self.message_user(request, exc.message, messages.WARNING)
                continue
            self.log_change(request, token, [{"changed": {"fields": ["revoked_at"]}}])
            done += 1
        self.message_user(
            request,
            _("Tokens revoked: %(n)d.") % {"n": done},
            messages.SUCCESS,
        )
