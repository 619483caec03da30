"""Outbound channels: email through Django's mail, SMS behind a small pluggable interface.

``MINQING_SMS_BACKEND`` names a class with ``send(*, phone, text, key)``; ``key`` is the
delivery's id, for providers that drop a repeated message with the same client key. The default
console backend writes to the log with the number masked.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("minqing.sms")


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``: what logs and lists show of a phone number."""
    digits = phone or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class ConsoleSMSBackend:
    """Writes each SMS to the log instead of sending it (the default)."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        log.info("SMS %s to %s: %s", key, mask_phone(phone), text)


def sms_backend():
    path = getattr(settings, "MINQING_SMS_BACKEND", "casework.channels.ConsoleSMSBackend")
    return import_string(path)()


def send_email(*, to: str, subject: str, text: str) -> None:
    send_mail(subject, text, None, [to], fail_silently=False)
