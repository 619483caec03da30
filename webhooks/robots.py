"""Group chat robots: WeCom (企业微信) and DingTalk (钉钉) custom robots.

Both take ``{"msgtype": "text", "text": {"content": …}}`` as JSON and answer
``{"errcode": 0, "errmsg": "ok"}``; any other ``errcode`` (a wrong key, a bad signature, the
robot's 20-messages-a-minute limit) is a failure, retried like an HTTP error. DingTalk robots
with 加签 also want ``timestamp`` (ms) and ``sign`` (:func:`webhooks.signing.dingtalk_sign`) in
the query string; the server refuses a timestamp more than an hour old.
"""

from __future__ import annotations

import json
import time

from webhooks import http
from webhooks.models import RobotKind
from webhooks.signing import dingtalk_sign


class RobotError(Exception):
    """The robot refused the message (HTTP status or ``errcode``)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


def robot_url(*, kind: str, url: str, secret: str, now_ms: int | None = None) -> str:
    """The address to post to: DingTalk's signed query added when the robot has a secret."""
    if kind != RobotKind.DINGTALK or not secret:
        return url
    timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
    sign = dingtalk_sign(secret=secret, timestamp_ms=timestamp)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def robot_post(*, kind: str, url: str, secret: str, text: str, timeout: float) -> int:
    """Post ``text`` to the robot; answer the HTTP status, or raise :class:`RobotError`."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False)
    answer = http.request(
        robot_url(kind=kind, url=url, secret=secret),
        body=body.encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=timeout,
    )
    if not answer.ok:
        raise RobotError(f"HTTP {answer.status}", status=answer.status)
    try:
        errcode = json.loads(answer.text).get("errcode")
    except (ValueError, AttributeError):
        raise RobotError("not a JSON answer", status=answer.status) from None
    if errcode != 0:
        # errmsg is the robot's own text (never ours): keep it short.
        try:
            errmsg = str(json.loads(answer.text).get("errmsg", ""))[:120]
        except ValueError:
            errmsg = ""
        raise RobotError(f"errcode {errcode}: {errmsg}", status=answer.status)
    return answer.status
