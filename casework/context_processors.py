"""Template context every page needs: the viewer's roles, for the navigation."""

from casework.selectors.scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {"viewer_roles": scope.roles, "viewer_everything": scope.everything}
