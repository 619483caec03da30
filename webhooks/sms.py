"""A real SMS provider: Aliyun SMS (阿里云短信服务) ``SendSms``, API version 2017-05-25.

Name it with ``MINQING_SMS_BACKEND=webhooks.sms.AliyunSMSBackend``; casework's deliveries call
``send(*, phone, text, key)`` after claiming the delivery, so a message is sent once. The request
is Aliyun's RPC style: every parameter in the query string of a GET, signed with HMAC-SHA1 over
the canonicalised query (:func:`string_to_sign`) under ``AccessKeySecret + "&"``. Mainland SMS
must use an approved template: the text goes into one template variable
(``MINQING_ALIYUN_SMS_TEMPLATE_PARAM``, e.g. a template ``民情提醒：${text}``), cut to the
variable's length limit. The delivery id travels as ``OutId``, Aliyun's caller reference, so a
receipt can be matched to it. Logs show the number masked, never in full.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from casework.channels import mask_phone
from casework.text import scrub_personal
from webhooks import http

log = logging.getLogger("minqing.sms")


class SMSError(Exception):
    """The provider refused the message; the text never holds the phone number."""


def percent_encode(value: str) -> str:
    """Aliyun's encoding: RFC 3986 unreserved characters kept, a space is ``%20``, ``*`` is
    ``%2A``, ``~`` stays."""
    return quote(str(value), safe="~")


def canonical_query(params: dict[str, str]) -> str:
    """The parameters sorted by name, each name and value percent-encoded, joined by ``&``."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(params: dict[str, str], *, method: str = "GET") -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def rpc_signature(params: dict[str, str], *, secret: str, method: str = "GET") -> str:
    """Aliyun's RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0)."""
    key = (secret + "&").encode()
    digest = hmac.new(key, string_to_sign(params, method=method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSMSBackend:
    """Aliyun ``SendSms``, configured from the ``MINQING_ALIYUN_SMS_*`` settings."""

    version = "2017-05-25"

    def __init__(self):
        self.key_id = getattr(settings, "MINQING_ALIYUN_SMS_ACCESS_KEY_ID", "")
        self.secret = getattr(settings, "MINQING_ALIYUN_SMS_ACCESS_KEY_SECRET", "")
        self.sign_name = getattr(settings, "MINQING_ALIYUN_SMS_SIGN_NAME", "")
        self.template = getattr(settings, "MINQING_ALIYUN_SMS_TEMPLATE_CODE", "")
        self.param = getattr(settings, "MINQING_ALIYUN_SMS_TEMPLATE_PARAM", "text")
        self.limit = getattr(settings, "MINQING_ALIYUN_SMS_PARAM_LIMIT", 35)
        self.endpoint = getattr(
            settings, "MINQING_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"
        )
        self.region = getattr(settings, "MINQING_ALIYUN_SMS_REGION", "cn-hangzhou")
        self.timeout = getattr(settings, "MINQING_WEBHOOK_TIMEOUT_SECONDS", 5.0)

    def params(self, *, phone: str, text: str, key: str, now: datetime, nonce: str) -> dict:
        """Every query parameter but ``Signature``."""
        return {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.version,
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": self.template,
            "TemplateParam": json.dumps(
                {self.param: text[: self.limit]}, ensure_ascii=False, separators=(",", ":")
            ),
            "OutId": key,
        }

    def send(self, *, phone: str, text: str, key: str) -> None:
        missing = [
            name
            for name, value in (
                ("MINQING_ALIYUN_SMS_ACCESS_KEY_ID", self.key_id),
                ("MINQING_ALIYUN_SMS_ACCESS_KEY_SECRET", self.secret),
                ("MINQING_ALIYUN_SMS_SIGN_NAME", self.sign_name),
                ("MINQING_ALIYUN_SMS_TEMPLATE_CODE", self.template),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"Aliyun SMS needs {', '.join(missing)}")
        params = self.params(
            phone=phone, text=text, key=key, now=datetime.now(UTC), nonce=uuid.uuid4().hex
        )
        params["Signature"] = rpc_signature(params, secret=self.secret)
        joiner = "&" if "?" in self.endpoint else "?"
        answer = http.request(
            f"{self.endpoint}{joiner}{canonical_query(params)}", method="GET", timeout=self.timeout
        )
        try:
            result = json.loads(answer.text)
        except ValueError:
            result = {}
        code = result.get("Code") if isinstance(result, dict) else None
        if not answer.ok or code != "OK":
            message = scrub_personal(str(result.get("Message", "") if result else ""))[:120]
            log.warning("SMS %s to %s refused: %s %s", key, mask_phone(phone), code, message)
            raise SMSError(f"Aliyun SendSms HTTP {answer.status} {code}: {message}")
        log.info("SMS %s to %s sent (BizId %s)", key, mask_phone(phone), result.get("BizId"))
