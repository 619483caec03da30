"""A local receiver on 127.0.0.1 for webhooks, robots and the SMS provider, in a thread.

Each test scripts its answers (``receiver.answers``: ``(status, body)`` pairs, used in order; the
last one repeats) and reads back every request it got (method, path, query, headers, body).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest


@dataclass
class Received:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    answers: list = field(default_factory=lambda: [(200, "ok")])
    got: list = field(default_factory=list)

    def answer(self):
        index = min(len(self.got) - 1, len(self.answers) - 1)
        return self.answers[index]


@pytest.fixture
def receiver():
    lock = threading.Lock()
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            with lock:
                rec = state["receiver"]
                rec.got.append(
                    Received(
                        self.command,
                        parts.path,
                        dict(parse_qsl(parts.query, keep_blank_values=True)),
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                status, text = rec.answer()
            payload = text.encode() if isinstance(text, str) else json.dumps(text).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = _handle
        do_GET = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()


@pytest.fixture
def superuser(db):
    from casework.models import User

    return User.objects.create_superuser(username="root", password="pw-for-tests-9731")
