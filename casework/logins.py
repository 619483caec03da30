"""Signing in: the lockout answer (django-axes) and the second factor (django-otp).

The pages that enrol and check a second factor are in ``casework/views/twofactor.py``; this
module holds the rules they and the middleware share.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Role
from casework.selectors.scope import scope_for

RECOVERY_CODE_COUNT = 10
_PRIVILEGED_ROLES = (Role.SUPERVISOR, Role.ADMIN)
_ACTIVE_KEY = "_minqing_active_at"
# A signed-in session's end is pushed back at most this often: one write a minute, not one per
# request, so a session ends between IDLE_MINUTES - 1 and IDLE_MINUTES after its last request.
_TOUCH_SECONDS = 60


def lockout_response(request, original_response=None, credentials=None):
    """Answer a locked-out login (django-axes' ``AXES_LOCKOUT_CALLABLE``).

    The answer depends on nothing but the settings: the same status and words whether or not the
    username exists, so a lockout reveals no accounts.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-ins for this username from this device. "
        "Try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        from casework.api.errors import error_body

        return JsonResponse(
            error_body(detail=message, code="locked_out"),
            status=429,
            headers={"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))},
        )
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


def twofactor_required(user) -> bool:
    """Whether ``user`` must sign in with a second factor.

    Supervisors and administrators (over any unit), staff (the admin site is not scoped to a
    subtree) and superusers, when ``MINQING_REQUIRE_2FA`` is on.
    """
    if not settings.MINQING_REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return scope_for(user).has_role(*_PRIVILEGED_ROLES)


def totp_device_pending(*, user) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating it on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code from the app and issue fresh recovery codes.

    Returns the recovery codes (shown to the person once), or None when the code is wrong. Any
    earlier recovery codes stop working.
    """
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new one-time codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def session_mark_active(sender, request, user, **kwargs):
    """Note when a session was last kept alive (``user_logged_in`` receiver)."""
    request.session[_ACTIVE_KEY] = int(timezone.now().timestamp())


class SessionIdleMiddleware:
    """End a signed-in session ``SESSION_COOKIE_AGE`` after its last request.

    Django sets a session's end when it is saved; this saves a signed-in session again (with a
    fresh end) once a minute while requests keep coming. Sessions the view never read are left
    alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and SESSION_KEY in session:
            now = int(timezone.now().timestamp())
            if now - session.get(_ACTIVE_KEY, 0) >= _TOUCH_SECONDS:
                session[_ACTIVE_KEY] = now
        return response


# Paths a signed-in person may reach before the second factor: signing in and out, the second
# factor's own pages, the language switch, files.
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/i18n/")


class TwoFactorMiddleware:
    """Hold back a person who must use a second factor until the session is verified.

    Pages redirect to enrolment (no confirmed device yet) or to the check; the API answers 403.
    A request that carries an ``Authorization: Token`` header is left to the API's token check:
    a person makes tokens only from a signed-in session (which this middleware has verified),
    and a bad token is refused there, never replaced by the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._hold(request)
        return response or self.get_response(request)

    def _hold(self, request):
        path = request.path
        static = (settings.STATIC_URL, settings.MEDIA_URL)
        if path.startswith(_OPEN_PREFIXES) or path.lstrip("/").startswith(static):
            return None
        user = request.user
        if not twofactor_required(user) or user.is_verified():
            return None
        if path.startswith("/api/"):
            # Only the token scheme: with any other header DRF would fall back to the session.
            if request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
                return None
            from casework.api.errors import error_body

            return JsonResponse(
                error_body(
                    detail=_(
                        "Your account needs a second factor: sign in on the website and enter "
                        "the code from your authenticator app, then try again."
                    ),
                    code="second_factor_required",
                ),
                status=403,
            )
        name = "twofactor-verify" if user_has_device(user) else "twofactor-setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
