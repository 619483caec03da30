"""Template context every page needs: the viewer's roles and unread count, for the header."""

from casework.models import Notification
from casework.selectors.scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "viewer_roles": scope.roles,
        "viewer_everything": scope.everything,
        # Lazy: pages that do not render the header pay nothing.
        "unread_count": lambda: Notification.objects.filter(
            user=user, read_at__isnull=True
        ).count(),
    }
