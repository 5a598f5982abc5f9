"""A push receiver on 127.0.0.1 that records every request, for the demo and the push tests.

It stands in for a webhook (apprise's ``json://``) and, with the tests' rerouting, for the 企业微信,
钉钉 and 飞书 robot endpoints: every POST is kept with its path, query, headers and body, and
answered ``{"errcode": 0, "code": 0}`` (what those robots answer when they accept a message).
``fail_next = n`` makes it answer the next ``n`` requests with 500, as a service that is down.

::

    with PushReceiver() as rx:
        url = f"json://127.0.0.1:{rx.port}/hook"
        ...
        rx.accepted          # the requests it answered 200, oldest first
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    status: int

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class PushReceiver:
    """A threaded HTTP server on an ephemeral 127.0.0.1 port that records what it receives."""

    def __init__(self, on_receive: Callable[[Received], None] | None = None) -> None:
        self.received: list[Received] = []
        self.fail_next = 0
        self.on_receive = on_receive
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start the receiver first"
        return int(self._server.server_address[1])

    @property
    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.status == 200]

    def start(self) -> PushReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver._lock:
                    failing = receiver.fail_next > 0
                    if failing:
                        receiver.fail_next -= 1
                    parts = urlsplit(self.path)
                    record = Received("POST", parts.path, parse_qs(parts.query),
                                      {k.lower(): v for k, v in self.headers.items()}, body, 500 if failing else 200)
                    receiver.received.append(record)
                answer = b'{"errcode": 1, "errmsg": "down"}' if failing else b'{"errcode": 0, "code": 0, "msg": "ok"}'
                self.send_response(record.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                if receiver.on_receive is not None and not failing:
                    receiver.on_receive(record)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (http.server's name)
                pass  # the request line holds the robot's key in its query: not logged

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"push-receiver-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> PushReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
