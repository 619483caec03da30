"""Authentication backend that refuses demo logins unless DEBUG is on."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def demo_login_refused(user) -> bool:
    """Whether ``user`` is a demo account that may not sign in now (DEBUG is off).

    The one rule for every door: the password backend below and the API's tokens
    (``casework.api.authentication``).
    """
    return bool(getattr(user, "is_demo", False)) and not settings.DEBUG


class DemoAwareBackend(ModelBackend):
    """Django's model backend; users flagged ``is_demo`` may sign in only when DEBUG is on.

    ``user_can_authenticate`` is also consulted by ``get_user``, so an existing demo session stops
    working as soon as DEBUG is turned off.
    """

    def user_can_authenticate(self, user):
        if demo_login_refused(user):
            return False
        return super().user_can_authenticate(user)
