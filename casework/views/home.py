"""The home page: one panel per role the viewer holds; later capabilities fill them in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from casework.models import Membership, Role
from casework.selectors.calendar import calendar_status
from casework.selectors.scope import scope_for

#: The order panels appear in when a person holds several roles.
PANEL_ORDER = [
    Role.ADMIN,
    Role.SUPERVISOR,
    Role.HANDLER,
    Role.MINQING_SECRETARY,
    Role.GRID_WORKER,
    Role.VOLUNTEER,
]


@login_required
def home(request):
    scope = scope_for(request.user)
    memberships = (
        Membership.objects.filter(user=request.user).select_related("unit").order_by("unit__path")
    )
    roles = [role for role in PANEL_ORDER if role in scope.roles]
    if request.user.is_superuser and Role.ADMIN not in roles:
        roles.insert(0, Role.ADMIN)
    panels = [{"role": role, "label": Role(role).label} for role in roles]
    context = {"memberships": memberships, "panels": panels}
    if Role.ADMIN in roles:
        # Deadlines past the last known year of the official calendar fall back to weekends
        # only: tell the admins before that happens.
        context["calendar_status"] = calendar_status(timezone.localdate())
    return render(request, "casework/home.html", context)
