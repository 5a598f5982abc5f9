"""The fetch stage against a real HTTP server on 127.0.0.1 (reportgen.feedserver) and real httpx."""

from __future__ import annotations

import asyncio
import gzip
import logging
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from reportgen.demo.feedserver import (
    SAMPLE_RSS,
    FailThenOk,
    FeedServer,
    GzipBomb,
    Hang,
    Oversize,
    Redirect,
    RedirectLoop,
    RequestHandler,
    Route,
    SlowDrip,
    Status,
)
from reportgen.ingest.fetch import FetchOptions, fetch_all, fetch_all_async, redact_url
from reportgen.models import CacheValidators, FetchRequest, FetchResult, FetchStatus

FAST = FetchOptions(connect_timeout_s=1.0, read_timeout_s=0.3, total_timeout_s=3.0, retries=2, backoff_s=0.01)
KIB = 1024
MIB = 1024 * 1024


@pytest.fixture
def srv() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def request(srv: FeedServer, path: str, **kwargs: object) -> FetchRequest:
    url = srv.url(path)
    return FetchRequest(source_id=path.strip("/") or "root", url=url, display_url=url, **kwargs)  # type: ignore[arg-type]


def fetch_one(req: FetchRequest, options: FetchOptions = FAST) -> FetchResult:
    [result] = fetch_all([req], options)
    return result


# --- success and conditional GET -------------------------------------------------------------------


def test_ok_returns_body_headers_and_validators(srv: FeedServer) -> None:
    route = srv.routes["/feed"] = Route(SAMPLE_RSS)

    result = fetch_one(request(srv, "/feed"))

    assert result.status is FetchStatus.OK
    assert result.error is None
    assert result.http_status == 200
    assert result.body == SAMPLE_RSS
    assert result.bytes_received == len(SAMPLE_RSS)
    assert result.attempts == 1
    assert result.url == srv.url("/feed")
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert result.validators == CacheValidators(etag=route.etag, last_modified=route.last_modified)
    assert result.duration_s > 0


def test_second_fetch_sends_validators_and_gets_not_modified(srv: FeedServer) -> None:
    route = srv.routes["/feed"] = Route(SAMPLE_RSS)
    first = fetch_one(request(srv, "/feed"))

    second = fetch_one(request(srv, "/feed", validators=first.validators))

    assert second.status is FetchStatus.NOT_MODIFIED
    assert second.http_status == 304
    assert second.body is None
    assert second.bytes_received == 0
    assert second.validators == first.validators  # kept from the request
    sent = srv.requests_to("/feed")[-1]
    assert sent.status == 304
    assert sent.headers["if-none-match"] == route.etag
    assert sent.headers["if-modified-since"] == route.last_modified


def test_last_modified_alone_gives_not_modified(srv: FeedServer) -> None:
    srv.routes["/feed"] = Route(SAMPLE_RSS, etag=None, last_modified="Mon, 01 Jan 2024 08:00:00 GMT")
    first = fetch_one(request(srv, "/feed"))
    assert first.validators == CacheValidators(etag=None, last_modified="Mon, 01 Jan 2024 08:00:00 GMT")

    second = fetch_one(request(srv, "/feed", validators=first.validators))

    assert second.status is FetchStatus.NOT_MODIFIED
    assert "if-none-match" not in srv.requests_to("/feed")[-1].headers


def test_changed_feed_is_fetched_again_with_new_validators(srv: FeedServer) -> None:
    srv.routes["/feed"] = Route(SAMPLE_RSS)
    first = fetch_one(request(srv, "/feed"))
    new_body = SAMPLE_RSS.replace(b"news-1", b"news-2")
    srv.routes["/feed"] = Route(new_body)

    second = fetch_one(request(srv, "/feed", validators=first.validators))

    assert second.status is FetchStatus.OK
    assert second.body == new_body
    assert second.validators.etag != first.validators.etag


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as RFC 9110 says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as many servers send
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
def test_compressed_body_is_decoded_and_wire_bytes_counted(srv: FeedServer, encoding: str, encode) -> None:
    wire = encode(SAMPLE_RSS * 50)
    srv.routes["/feed"] = Route(wire, headers=[("Content-Encoding", encoding)])

    result = fetch_one(request(srv, "/feed"))

    assert result.status is FetchStatus.OK, result.error
    assert result.body == SAMPLE_RSS * 50
    assert result.bytes_received == len(wire)
    assert srv.requests_to("/feed")[0].headers["accept-encoding"] == "gzip, deflate"


def test_html_page_is_fetched_as_is(srv: FeedServer) -> None:
    page = "<html><body>访问过于频繁</body></html>".encode()
    srv.routes["/page"] = Route(page, content_type="text/html; charset=utf-8")

    result = fetch_one(request(srv, "/page"))

    assert result.status is FetchStatus.OK  # deciding it is not a feed is parse's job
    assert result.body == page
    assert result.headers["content-type"] == "text/html; charset=utf-8"


# --- HTTP errors and retries -----------------------------------------------------------------------


def test_404_fails_without_retry(srv: FeedServer) -> None:
    srv.routes["/gone"] = Status(404)

    result = fetch_one(request(srv, "/gone"))

    assert result.status is FetchStatus.FAILED
    assert result.error == "HTTP 404 Not Found"
    assert result.http_status == 404
    assert result.attempts == 1
    assert len(srv.requests_to("/gone")) == 1
    assert result.body is None


def test_unknown_path_is_404(srv: FeedServer) -> None:
    result = fetch_one(request(srv, "/nowhere"))
    assert result.error == "HTTP 404 Not Found"


def test_500_then_ok_succeeds_after_retries(srv: FeedServer) -> None:
    srv.routes["/flaky"] = FailThenOk(2, status=500)

    result = fetch_one(request(srv, "/flaky"))

    assert result.status is FetchStatus.OK
    assert result.attempts == 3
    assert result.body == SAMPLE_RSS
    assert [r.status for r in srv.requests_to("/flaky")] == [500, 500, 200]


def test_persistent_503_gives_up_after_retries(srv: FeedServer) -> None:
    srv.routes["/down"] = FailThenOk(10, status=503)

    result = fetch_one(request(srv, "/down"))

    assert result.status is FetchStatus.FAILED
    assert result.error == "HTTP 503 Service Unavailable (after 3 attempts)"
    assert result.attempts == 3
    assert len(srv.requests_to("/down")) == 3


# --- timeouts ---------------------------------------------------------------------------------------


def test_hang_times_out_quickly_with_retries(srv: FeedServer) -> None:
    srv.routes["/hang"] = Hang(30.0)
    options = FetchOptions(read_timeout_s=0.2, retries=1, backoff_s=0.01)

    started = time.perf_counter()
    result = fetch_one(request(srv, "/hang"), options)

    assert time.perf_counter() - started < 2.0
    assert result.status is FetchStatus.FAILED
    assert result.error == "timed out after 2 attempts (read timeout)"
    assert result.attempts == 2
    assert result.http_status is None


def test_slow_drip_is_cut_by_the_per_source_total_timeout(srv: FeedServer) -> None:
    # Every chunk arrives well within the read timeout; only the whole-request deadline stops it.
    srv.routes["/drip"] = SlowDrip(b"<!-- . -->", interval_s=0.05, count=400)
    options = FetchOptions(read_timeout_s=1.0, total_timeout_s=30.0, retries=0)

    started = time.perf_counter()
    result = fetch_one(request(srv, "/drip", timeout_s=0.4), options)

    assert time.perf_counter() - started < 1.5
    assert result.status is FetchStatus.FAILED
    assert result.error == "timed out (no complete response within 0.4 s)"
    assert result.http_status == 200
    assert 0 < result.bytes_received < 400 * 10


# --- redirects and schemes ------------------------------------------------------------------------


def test_single_redirect_is_followed(srv: FeedServer) -> None:
    srv.routes["/old"] = Redirect("/feed", status=301)
    srv.routes["/feed"] = Route(SAMPLE_RSS)

    result = fetch_one(request(srv, "/old"))

    assert result.status is FetchStatus.OK
    assert result.url == srv.url("/feed")
    assert result.body == SAMPLE_RSS
    assert result.attempts == 1


def test_redirect_loop_fails(srv: FeedServer) -> None:
    srv.routes["/loop"] = RedirectLoop()

    result = fetch_one(request(srv, "/loop"))

    assert result.status is FetchStatus.FAILED
    assert result.error == "too many redirects (>5)"
    assert result.attempts == 1  # not retried
    assert len(srv.requests_to("/loop")) == 6  # the first request + 5 redirects


def test_redirect_to_other_scheme_fails(srv: FeedServer) -> None:
    srv.routes["/ftp"] = Redirect("ftp://files.example.com/feed.xml")

    result = fetch_one(request(srv, "/ftp"))

    assert result.status is FetchStatus.FAILED
    assert result.error == "redirect to unsupported URL scheme 'ftp'"


@pytest.mark.parametrize(
    ("url", "scheme"), [("ftp://example.com/a.xml", "ftp"), ("file:///etc/hosts", "file")]
)
def test_non_http_scheme_fails_without_a_request(url: str, scheme: str) -> None:
    result = fetch_one(FetchRequest("bad", url, url))

    assert result.status is FetchStatus.FAILED
    assert result.error == f"unsupported URL scheme {scheme!r}"
    assert result.attempts == 1
    assert result.http_status is None


# --- size limits -----------------------------------------------------------------------------------


def test_oversize_streamed_body_is_cut_off(srv: FeedServer) -> None:
    srv.routes["/big"] = Oversize(8 * MIB)
    options = FetchOptions(max_body_bytes=256 * KIB, retries=0)

    result = fetch_one(request(srv, "/big"), options)

    assert result.status is FetchStatus.FAILED
    assert result.error == "body exceeds 256 KiB limit"
    assert 256 * KIB < result.bytes_received < 2 * MIB
    assert result.body is None


def test_oversize_declared_length_is_refused_before_reading(srv: FeedServer) -> None:
    srv.routes["/big"] = Oversize(8 * MIB, declare_length=True)
    options = FetchOptions(max_body_bytes=256 * KIB, retries=0)

    result = fetch_one(request(srv, "/big"), options)

    assert result.error == "body exceeds 256 KiB limit (Content-Length 8 MiB)"
    assert result.bytes_received == 0


def test_gzip_bomb_is_stopped_without_inflating_it(srv: FeedServer) -> None:
    srv.routes["/bomb"] = GzipBomb(2 * 1024 * MIB)  # 2 GiB of zeros, about 2 MB on the wire
    options = FetchOptions(max_decompressed_bytes=8 * MIB, retries=0)

    tracemalloc.start()
    try:
        result = fetch_one(request(srv, "/bomb"), options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.status is FetchStatus.FAILED
    assert result.error == "decompressed body exceeds 8 MiB (gzip bomb?)"
    assert peak < 40 * MIB  # the limit plus working buffers, nowhere near 2 GiB
    assert result.bytes_received < 64 * KIB


def test_aborted_downloads_leave_no_tracebacks(capfd: pytest.CaptureFixture[str]) -> None:
    routes = {"/big": Oversize(8 * MIB), "/bomb": GzipBomb(1024 * MIB), "/hang": Hang(30.0)}
    options = FetchOptions(max_body_bytes=64 * KIB, max_decompressed_bytes=MIB, read_timeout_s=0.2, retries=0)
    with FeedServer(routes) as server:
        results = fetch_all([request(server, path) for path in routes], options)
    assert [r.status for r in results] == [FetchStatus.FAILED] * 3
    assert capfd.readouterr().err == ""


# --- batches ----------------------------------------------------------------------------------------


def test_batch_keeps_order_and_one_bad_source_does_not_affect_others(srv: FeedServer) -> None:
    srv.routes.update({
        "/a": Route(b"<rss>a</rss>"), "/gone": Status(404), "/b": Route(b"<rss>b</rss>"),
        "/hang": Hang(30.0), "/loop": RedirectLoop(), "/c": Route(b"<rss>c</rss>"),
    })
    paths = ["/a", "/gone", "/b", "/hang", "/loop", "/c"]
    reqs = [request(srv, p) for p in paths]
    reqs.insert(3, FetchRequest("refused", "http://127.0.0.1:9/feed", "http://127.0.0.1:9/feed"))
    seen: list[str] = []
    options = FetchOptions(read_timeout_s=0.2, retries=1, backoff_s=0.01)

    results = fetch_all(reqs, options, progress=lambda r: seen.append(r.source_id))

    assert [r.source_id for r in results] == [r.source_id for r in reqs]
    by_id = {r.source_id: r for r in results}
    assert [by_id[s].body for s in ("a", "b", "c")] == [b"<rss>a</rss>", b"<rss>b</rss>", b"<rss>c</rss>"]
    assert all(by_id[s].status is FetchStatus.OK for s in ("a", "b", "c"))
    assert all(by_id[s].status is FetchStatus.FAILED for s in ("gone", "refused", "hang", "loop"))
    assert by_id["refused"].error is not None and by_id["refused"].error.startswith("connection failed")
    assert sorted(seen) == sorted(r.source_id for r in reqs)  # once per source


def test_empty_batch() -> None:
    assert fetch_all([]) == []


def test_async_api_runs_inside_a_running_loop(srv: FeedServer) -> None:
    srv.routes["/feed"] = Route(SAMPLE_RSS)

    async def main() -> list[FetchResult]:
        return await fetch_all_async([request(srv, "/feed")], FAST)

    [result] = asyncio.run(main())
    assert result.body == SAMPLE_RSS


class InFlightGauge(Route):
    """Holds each request briefly and records the most requests in flight at once."""

    def __init__(self) -> None:
        super().__init__(SAMPLE_RSS)
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def respond(self, h: RequestHandler) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(0.1)
        with self._lock:
            self.in_flight -= 1
        super().respond(h)


@pytest.mark.parametrize(("concurrency", "per_host", "bound"), [(2, 8, 2), (8, 3, 3), (8, 8, 8)])
def test_concurrency_bounds(srv: FeedServer, concurrency: int, per_host: int, bound: int) -> None:
    gauge = srv.routes["/feed"] = InFlightGauge()
    reqs = [FetchRequest(f"s{i}", srv.url(f"/feed?n={i}"), srv.url("/feed")) for i in range(8)]

    results = fetch_all(reqs, FetchOptions(concurrency=concurrency, per_host=per_host))

    assert all(r.status is FetchStatus.OK for r in results)
    assert gauge.max_in_flight == bound


# --- headers and secrets ----------------------------------------------------------------------------


def test_user_agent_and_per_source_headers_are_sent(srv: FeedServer) -> None:
    srv.routes["/feed"] = Route(SAMPLE_RSS)

    fetch_one(request(srv, "/feed", headers=(("X-Reportgen-Test", "yes"),)))

    [sent] = srv.requests_to("/feed")
    assert "reportgen" in sent.headers["user-agent"]
    assert sent.headers["x-reportgen-test"] == "yes"
    assert "application/rss+xml" in sent.headers["accept"]


def test_access_key_never_appears_in_results_or_logs(srv: FeedServer,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore.http11"):  # the CLI quiets these; here we want their every line
        caplog.set_level(logging.DEBUG, logger=name)
    secret = "S3cretRsshubKey"
    srv.routes.update({"/ok": Route(SAMPLE_RSS), "/gone": Status(404), "/hang": Hang(30.0),
                       "/flaky": FailThenOk(1), "/ftp": Redirect(f"ftp://example.com/?key={secret}")})
    reqs = [FetchRequest(p.strip("/"), srv.url(p) + f"?key={secret}&lang=zh", srv.url(p) + "?lang=zh")
            for p in ("/ok", "/gone", "/hang", "/flaky", "/ftp")]
    reqs.append(FetchRequest("refused", f"http://127.0.0.1:9/x?token={secret}", "http://127.0.0.1:9/x"))
    reqs.append(FetchRequest("badurl", f"http://[::1/x?key={secret}", "http://[::1/x"))

    results = fetch_all(reqs, FetchOptions(read_timeout_s=0.2, retries=1, backoff_s=0.01))

    assert srv.requests_to("/ok")[0].query == f"key={secret}&lang=zh"  # the key did reach the server
    assert results[0].url == srv.url("/ok") + "?key=***&lang=zh"
    assert [r.status for r in results] == [FetchStatus.OK, FetchStatus.FAILED, FetchStatus.FAILED,
                                           FetchStatus.OK, FetchStatus.FAILED, FetchStatus.FAILED,
                                           FetchStatus.FAILED]
    for result in results:
        assert secret not in repr(result)
    assert "HTTP Request" in caplog.text  # httpx did log the requests...
    assert secret not in caplog.text  # ...without the key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://rsshub.example/caixin/latest?key=abc123", "https://rsshub.example/caixin/latest?key=***"),
        ("https://h/x?limit=5&access_key=abc&lang=zh", "https://h/x?limit=5&access_key=***&lang=zh"),
        ("https://h/x?TOKEN=abc&apikey=def", "https://h/x?TOKEN=***&apikey=***"),
        ("https://h/x?monkey=1&keys=2", "https://h/x?monkey=1&keys=2"),
        ("https://h/x?key=", "https://h/x?key="),
        ("https://user:pw123@h/x", "https://user:***@h/x"),
        ("http://[::1/x?key=abc123", "http://[::1/x?key=***"),  # unparseable, still redacted
        ("https://h/x", "https://h/x"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_the_fetch_stage_deadline_fails_what_is_still_waiting_and_keeps_what_answered():
    """A host that hangs must not hold the whole run (and the alerts it pushes) for minutes: at the stage's
    deadline the sources still in an attempt, waiting for a slot or between retries fail with that reason;
    what answered before it stays answered."""
    routes = {"/ok": Route(SAMPLE_RSS), "/hang1": Hang(30), "/hang2": Hang(30)}
    options = FetchOptions(per_host=2, total_timeout_s=20, retries=2, backoff_s=0.01, deadline_s=1.0)
    with FeedServer(routes) as srv:
        ok, hang1, hang2 = fetch_all([request(srv, "/ok"), request(srv, "/hang1"), request(srv, "/hang2")], options)
    assert ok.status is FetchStatus.OK and ok.error is None
    for late in (hang1, hang2):  # one was in its attempt, the other still waiting for the host's slot
        assert late.status is FetchStatus.FAILED
        assert "fetch stage's deadline of 1 s" in (late.error or ""), late.error
    with pytest.raises(ValueError, match="deadline_s"):
        FetchOptions(deadline_s=0)
