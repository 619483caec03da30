"""API tokens that expire (DRF's own ``authtoken`` tokens live for ever)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(*, created: datetime, now: datetime, ttl_hours: int) -> bool:
    """Whether a token created at ``created`` is too old to use at ``now``."""
    return now - created >= timedelta(hours=ttl_hours)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token is ``MINQING_TOKEN_TTL_HOURS`` old.

    A token is renewed by deleting it and issuing a new one (the admin site's Tokens page), which
    also gives it a new key: a copied old key stays useless.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(
            created=token.created, now=timezone.now(), ttl_hours=settings.MINQING_TOKEN_TTL_HOURS
        ):
            raise AuthenticationFailed(
                _("This API token has expired; ask an administrator for a new one.")
            )
        return user, token
