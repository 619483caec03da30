"""The second factor: enrolling an authenticator app and entering its code (or a recovery code)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from casework.logins import totp_device_confirm, totp_device_pending


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _token(request) -> str:
    return "".join(request.POST.get("token", "").split())


@never_cache
@login_required
def twofactor_setup(request):
    """Enrol an authenticator app: its secret as text and as a QR code, then one code to confirm.

    Open only while the person has no confirmed device, so a stolen password cannot add one.
    """
    if user_has_device(request.user):
        return redirect(f"{reverse('twofactor-verify')}?{urlencode({'next': _next_url(request)})}")
    device = totp_device_pending(user=request.user)
    error = ""
    if request.method == "POST":
        codes = totp_device_confirm(device=device, token=_token(request))
        if codes is not None:
            otp_login(request, device)
            return render(
                request,
                "registration/twofactor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = _("That code is not right. Check the time on your phone and try again.")
    # The QR code is drawn here as SVG: the secret never leaves the server for a QR service.
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4))  # noqa: S308
    secret = _base32(device.bin_key)
    return render(
        request,
        "registration/twofactor_setup.html",
        {"qr": qr, "secret": secret, "error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@never_cache
@login_required
def twofactor_verify(request):
    """Check a code from the authenticator app, or one recovery code (each works once)."""
    if not user_has_device(request.user):
        return redirect("twofactor-setup")
    error = ""
    if request.method == "POST":
        device = match_token(request.user, _token(request))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        error = _("That code is not right, or it was already used.")
    return render(
        request,
        "registration/twofactor_verify.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


def _base32(key: bytes) -> str:
    """Return the key as authenticator apps ask for it: base32, in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
