"""``Authorization: Token <key>``: a person's own API tokens (``casework.models.ApiToken``).

Refused with 401 and a reason: an unknown key, a revoked or expired token, an inactive person,
and a demo account whenever demo sign-ins are refused (``casework.auth.demo_login_refused``, the
password backend's own rule).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from casework.auth import demo_login_refused
from casework.services.tokens import token_check

KEYWORD = "Token"

_REFUSALS = {
    "unknown": _("Invalid token."),
    "revoked": _("This API token has been revoked; make a new one on your tokens page."),
    "expired": _("This API token has expired; make a new one on your tokens page."),
}


class ApiTokenAuthentication(BaseAuthentication):
    """The token scheme; with no ``Token`` header DRF goes on to the session."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            raise AuthenticationFailed(
                _("Invalid token header: give Authorization: Token followed by the key.")
            )
        try:
            key = words[1].decode()
        except UnicodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        checked = token_check(key=key)
        if checked.refusal:
            raise AuthenticationFailed(_REFUSALS[checked.refusal])
        user = checked.token.user
        if not user.is_active:
            raise AuthenticationFailed(_("This account is inactive."))
        if demo_login_refused(user):
            raise AuthenticationFailed(
                _("Demo accounts may not use the API while demo sign-ins are turned off.")
            )
        return user, checked.token

    def authenticate_header(self, request):
        return KEYWORD
