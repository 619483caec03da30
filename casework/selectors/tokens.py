"""A person's API tokens, as their owner sees them: nobody lists another person's tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import ApiToken


def token_list(*, viewer, include_revoked: bool = False) -> QuerySet[ApiToken]:
    """``viewer``'s tokens, newest first; revoked ones only when ``include_revoked``."""
    if viewer is None or not viewer.is_authenticated:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.filter(user=viewer)
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return tokens.order_by("-created_at", "-id")
