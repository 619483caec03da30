"""One small HTTP client for every outbound channel here: the standard library, no redirects.

A redirect is answered as what it is (a 3xx, so a failure): following it would turn the POST
into a GET somewhere the admin never registered.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def request(
    url: str, *, method: str = "POST", body: bytes | None = None, headers=None, timeout: float
) -> Answer:
    """Send one request; an HTTP error status is an :class:`Answer`, a network error raises
    ``OSError`` (timeouts, refused connections)."""
    if not url.startswith(("http://", "https://")):
        # Only the web: never file:, ftp: or a custom scheme, whatever an admin typed.
        raise OSError(f"refused to open a non-http(s) URL: {url.split(':', 1)[0]}")
    req = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with _opener.open(req, timeout=timeout) as response:
            return Answer(response.status, response.read(64 * 1024).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        text = exc.read(64 * 1024).decode("utf-8", "replace") if exc.fp else ""
        return Answer(exc.code, text)
