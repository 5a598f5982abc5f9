"""A real HTTP server on 127.0.0.1 that serves feeds, for the offline demo, the tests and the benchmarks.

Fetch code is tested against real sockets rather than mocks, so this server has to behave like the
feed hosts we meet in practice: it answers conditional GETs with 304, and it can misbehave on
purpose (hang, drip bytes, loop redirects, stream a huge body, send a gzip bomb).

::

    routes = {"/feed": Route(rss_bytes), "/gone": Status(404), "/slow": Hang(5.0)}
    with FeedServer(routes, latency_s=0.1) as srv:
        url = srv.url("/feed")           # http://127.0.0.1:<port>/feed
        ...
        srv.requests                     # what was asked, with headers, status and bytes sent

Routes are looked up by path only; the query string (an RSSHub ``?key=``) is ignored for the lookup
but kept in the request log.  An unknown path is a 404.

The routes: ``Route`` (a body, with conditional GET), ``Status`` (any status), ``FailThenOk``,
``Hang``, ``SlowDrip``, ``Redirect``, ``RedirectLoop``, ``Oversize`` and ``GzipBomb``.  A new
behaviour is a ``Route`` subclass whose ``respond`` writes through the ``RequestHandler`` helpers;
anything that waits should wait on ``h.stopping`` so that ``stop()`` is prompt.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, BinaryIO, Final, cast
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

RSS_CONTENT_TYPE: Final = "application/rss+xml; charset=utf-8"

SAMPLE_RSS: Final = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>示例银行新闻</title><link>http://127.0.0.1/</link><description>reportgen test feed</description>
<item><title>某银行发布年度报告</title><link>http://127.0.0.1/news/1</link>
<guid>news-1</guid><pubDate>Mon, 01 Jan 2024 08:00:00 +0000</pubDate>
<description>净利润同比增长。</description></item>
</channel></rss>
""".encode()

# Errors a client causes by hanging up early; they are expected and must not print tracebacks.
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)

_AUTO: Final = "auto"  # sentinel for Route's etag / last_modified


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the server saw.  ``status`` is None when nothing was answered (a hang)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    status: int | None
    bytes_sent: int  # everything written back: status line, headers and body


class Route:
    """A static body that honours If-None-Match / If-Modified-Since.

    ``etag`` and ``last_modified`` default to a hash of the body and the route's creation time;
    pass None to leave the header out.
    """

    def __init__(
        self,
        body: bytes = b"",
        content_type: str = RSS_CONTENT_TYPE,
        etag: str | None = _AUTO,
        last_modified: str | None = _AUTO,
        *,
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.body = body
        self.content_type = content_type
        self.status = status
        self.headers = tuple(headers)
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"' if etag == _AUTO else etag
        self.last_modified = formatdate(time.time(), usegmt=True) if last_modified == _AUTO else last_modified

    def respond(self, h: RequestHandler) -> None:
        validators = []
        if self.etag:
            validators.append(("ETag", self.etag))
        if self.last_modified:
            validators.append(("Last-Modified", self.last_modified))
        if self.status == 200 and self._not_modified(h):
            h.send_head(304, validators)
            return
        headers = [("Content-Type", self.content_type), *validators, *self.headers]
        h.send_whole(self.status, self.body, headers)

    def _not_modified(self, h: RequestHandler) -> bool:
        # RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since counts only without it.
        if_none_match = h.headers.get("If-None-Match")
        if if_none_match is not None:
            if not self.etag:
                return False
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag.removeprefix("W/") in tags
        if_modified_since = h.headers.get("If-Modified-Since")
        if if_modified_since and self.last_modified:
            try:
                return parsedate_to_datetime(self.last_modified) <= parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
        return False


class Status(Route):
    """Answers every request with ``status`` (404, 500, ...) and a short text body."""

    def __init__(self, status: int, body: bytes | None = None) -> None:
        text = body if body is not None else f"{status} {_phrase(status)}\n".encode()
        super().__init__(text, "text/plain; charset=utf-8", None, None, status=status)


class FailThenOk(Route):
    """Fails the first ``n_failures`` requests with ``status``, then serves ``then``."""

    def __init__(self, n_failures: int, status: int = 500, then: Route | None = None) -> None:
        super().__init__()
        self.n_failures = n_failures
        self.failure = Status(status)
        self.then = then if then is not None else Route(SAMPLE_RSS)
        self.calls = 0
        self._lock = threading.Lock()

    def respond(self, h: RequestHandler) -> None:
        with self._lock:
            self.calls += 1
            failing = self.calls <= self.n_failures
        (self.failure if failing else self.then).respond(h)


class Hang(Route):
    """Sends nothing for ``seconds`` (or until the server stops), then hangs up: a read timeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def respond(self, h: RequestHandler) -> None:
        h.stopping.wait(self.seconds)
        h.close_connection = True


class SlowDrip(Route):
    """Sends ``chunk`` every ``interval_s``, ``count`` times: every read is quick, the whole is slow."""

    def __init__(self, chunk: bytes = b"<!-- drip -->\n", interval_s: float = 0.1, count: int = 100) -> None:
        super().__init__()
        self.chunk, self.interval_s, self.count = chunk, interval_s, count

    def respond(self, h: RequestHandler) -> None:
        h.send_head(200, [("Content-Type", self.content_type),
                          ("Content-Length", str(len(self.chunk) * self.count))])
        h.flush()
        for _ in range(self.count):
            if h.stopping.wait(self.interval_s):
                h.close_connection = True
                return
            h.write(self.chunk)
            h.flush()


class Redirect(Route):
    """Redirects to ``to`` (a path on this server or an absolute URL, any scheme)."""

    def __init__(self, to: str, status: int = 302) -> None:
        super().__init__()
        self.to, self.redirect_status = to, status

    def respond(self, h: RequestHandler) -> None:
        h.send_whole(self.redirect_status, b"", [("Location", self.to)])


class RedirectLoop(Route):
    """Redirects to itself, forever."""

    def respond(self, h: RequestHandler) -> None:
        h.send_whole(302, b"", [("Location", h.path)])


class Oversize(Route):
    """Streams ``n_bytes`` of padding, chunked unless ``declare_length`` (then with Content-Length)."""

    def __init__(self, n_bytes: int, *, declare_length: bool = False, chunk_size: int = 64 * 1024) -> None:
        super().__init__()
        self.n_bytes, self.declare_length, self.chunk_size = n_bytes, declare_length, chunk_size

    def respond(self, h: RequestHandler) -> None:
        length = [("Content-Length", str(self.n_bytes))] if self.declare_length else []
        h.send_head(200, [("Content-Type", self.content_type), *length], chunked=not self.declare_length)
        block = b" " * self.chunk_size
        left = self.n_bytes
        while left > 0 and not h.stopping.is_set():
            h.write(block[:left])
            left -= len(block)
        h.end_body()


class GzipBomb(Route):
    """``Content-Encoding: gzip`` that inflates to ``decompressed_bytes`` of zeros (rounded up to MiB).

    The compressed stream is built without ever holding the inflated data: after a full flush the
    deflate state is reset, so every further MiB of zeros compresses to the same ~1 KB block and
    is simply repeated.  The trailer's CRC-32 is computed over the zeros chunk by chunk.
    """

    _MIB = 1024 * 1024

    def __init__(self, decompressed_bytes: int) -> None:
        super().__init__()
        self.decompressed_bytes = decompressed_bytes
        zeros = bytes(self._MIB)
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        self._first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
        self._repeat = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)

    def respond(self, h: RequestHandler) -> None:
        h.send_head(200, [("Content-Type", self.content_type), ("Content-Encoding", "gzip")], chunked=True)
        zeros = bytes(self._MIB)
        n_chunks = max(1, -(-self.decompressed_bytes // self._MIB))
        crc = 0
        for i in range(n_chunks):
            if h.stopping.is_set():
                return
            crc = zlib.crc32(zeros, crc)
            h.write(self._first if i == 0 else self._repeat)
        # An empty final block (BFINAL=1, fixed Huffman, just end-of-block), then CRC-32 and ISIZE.
        h.write(b"\x03\x00" + struct.pack("<II", crc, (n_chunks * self._MIB) & 0xFFFFFFFF))
        h.end_body()


class _CountingWriter:
    """Buffers and counts what goes back to the client.

    Buffering puts headers and a small body in one send, and lets the handler log a request
    *before* its last bytes leave: a client holding a complete response always finds it in
    ``FeedServer.requests``.
    """

    def __init__(self, raw: BinaryIO, flush_at: int = 64 * 1024) -> None:
        self.raw = raw
        self.count = 0
        self.flush_at = flush_at
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.count += len(data)
        self._buffer += data
        if len(self._buffer) >= self.flush_at:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            data, self._buffer = bytes(self._buffer), bytearray()
            self.raw.write(data)
        self.raw.flush()

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return self.raw.closed


class RequestHandler(BaseHTTPRequestHandler):
    """Dispatches to a Route; routes answer through ``send_head``/``write``/``send_whole``."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts do
    disable_nagle_algorithm = True  # trickling routes send small writes; avoid 40 ms delayed-ACK stalls
    server_version = "reportgen-feedserver"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.counter = _CountingWriter(cast(BinaryIO, self.wfile))
        self.wfile = cast(Any, self.counter)
        self._chunked = False
        self._status: int | None = None

    @property
    def stopping(self) -> threading.Event:
        """Set when the server stops; routes that wait should wait on it."""
        return self.server.owner.stopping

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        owner = self.server.owner
        start = self.counter.count
        self._status, self._chunked = None, False
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            if owner.latency_s > 0 and owner.stopping.wait(owner.latency_s):
                self.close_connection = True
            else:
                route = owner.routes.get(parts.path)
                (route if route is not None else Status(404)).respond(self)
        except _CLIENT_GONE:
            self.close_connection = True
        # Logged while the response's last bytes are still in our buffer (see _CountingWriter).
        owner._record(RequestRecord("GET", parts.path, parts.query, headers, self._status,
                                    self.counter.count - start))
        try:
            self.wfile.flush()
        except _CLIENT_GONE:
            self.close_connection = True

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def send_head(self, status: int, headers: Iterable[tuple[str, str]] = (), *,
                  chunked: bool = False) -> None:
        """Status line and headers; ``chunked`` switches ``write`` to chunked transfer coding."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self._chunked = chunked
        self.end_headers()

    def send_whole(self, status: int, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        """A complete response with Content-Length."""
        self.send_head(status, [*headers, ("Content-Length", str(len(body)))])
        if body:
            self.wfile.write(body)

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._chunked:
            self.wfile.write(b"%x\r\n%b\r\n" % (len(data), data))
        else:
            self.wfile.write(data)

    def flush(self) -> None:
        """Sends what is buffered now (for routes that trickle)."""
        self.wfile.flush()

    def end_body(self) -> None:
        if self._chunked:
            self.wfile.write(b"0\r\n\r\n")
            self._chunked = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The path only: the query may carry an RSSHub access key, which must stay out of logs.
        logger.debug("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the http.server signature)
        logger.debug("%s " + format, self.address_string(), *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: FeedServer) -> None:
        self.owner = owner
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) and self.owner.stopping.is_set():
            return  # connections we shut down ourselves in stop()
        if isinstance(exc, _CLIENT_GONE):
            logger.debug("client %s went away: %s", client_address, exc)
            return
        logger.exception("feed server error while serving %s", client_address)


class FeedServer:
    """A threaded HTTP server on an ephemeral 127.0.0.1 port, serving ``routes`` (path → Route)."""

    def __init__(self, routes: Mapping[str, Route] | None = None, *, latency_s: float = 0.0,
                 host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.latency_s = latency_s
        self.host = host
        self.stopping = threading.Event()
        self._records: list[RequestRecord] = []
        self._records_lock = threading.Lock()
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FeedServer:
        if self._server is not None:
            return self
        self.stopping.clear()
        self._server = _HTTPServer((self.host, 0), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"feedserver-{self.port}", daemon=True)
        self._thread.start()
        logger.debug("feed server listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stops serving, releases hanging routes and closes open keep-alive connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        with server.connections_lock:
            open_connections = list(server.connections)
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FeedServer is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request so far, in the order they finished."""
        with self._records_lock:
            return list(self._records)

    def requests_to(self, path: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.path == path]

    def clear_requests(self) -> None:
        with self._records_lock:
            self._records.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._records_lock:
            self._records.append(record)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
