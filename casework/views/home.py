"""The home page: one panel per role the viewer holds; later capabilities fill them in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casework.models import Membership, Role
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
    return render(request, "casework/home.html", {"memberships": memberships, "panels": panels})
