"""What every app's admin shares. Importing this registers nothing."""

from django.contrib import admin
from django.db.models import Q


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


class ScopedChoices:
    """Mixin for admins and inlines: a foreign key to a scoped model offers, and accepts, only
    the rows the viewer's admin for that model shows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(ScopedChoices):
    """Mixin: the admin shows a staff member only the rows of the places they cover.

    ``scope_path`` names the relation from the model to an org unit's ``path``
    (``"unit__path"``, ``"case__unit__path"``, or ``"path"`` for units themselves); a tuple of
    them shows a row reached through any. The list, the change page (out of scope it is "not
    found"), the autocomplete of other admins that point here and the choices of every foreign
    key to a scoped model all read through ``get_queryset``, built from the same
    ``casework.selectors.scope`` the pages use. A superuser sees everything; a staff member with
    no membership sees nothing.
    """

    scope_path: str | tuple[str, ...] = "unit__path"

    def scope_q(self, request) -> Q:
        from casework.selectors.scope import scope_for

        scope = scope_for(request.user)
        if scope.everything:
            return Q()
        paths = (self.scope_path,) if isinstance(self.scope_path, str) else self.scope_path
        q = Q(pk__in=[])
        for path in paths:
            q |= scope.units_q(path.removesuffix("path"))
        return q

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scope_queryset(qs, request, self)


def scope_queryset(qs, request, admin_: ScopedAdmin):
    """``qs`` cut to the viewer's scope, through ``admin_``'s ``scope_path``."""
    if request.user.is_superuser:
        return qs
    q = admin_.scope_q(request)
    if isinstance(admin_.scope_path, str) and "__" not in admin_.scope_path.removesuffix("__path"):
        return qs.filter(q)
    # Through a to-many relation (memberships, requests) a row matches once per related row:
    # filter by id, so the list keeps one line per row.
    return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))
