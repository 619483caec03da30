"""What every app's admin shares. Importing this registers nothing."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference only: no add, change or delete here.

    These records change only through their app's services (the pages and the API), which
    check role, scope and state and write the history; the admin must not be a way around them.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
