"""Fetch stage: FetchRequest → FetchResult over httpx, one result per source, in request order.

A bad source is data, not an exception: every outcome (HTTP error, timeout, oversize body, gzip
bomb, redirect loop, bad scheme) becomes a ``FetchResult`` with ``status=failed`` and a short
human-readable ``error``.  What this stage guarantees:

* bounded concurrency, globally and per host; the per-host slot is taken first, so sources
  waiting on a busy host never hold one of the global slots;
* conditional GETs from ``FetchRequest.validators``; a 304 keeps the request's validators; a
  validator httpx could not send back (non-ASCII, control characters, overlong) is never kept from
  a response and never sent from the request, so one odd ``ETag`` cannot break a source for good;
* retries with exponential backoff on timeouts, transport errors and 5xx, never on 4xx;
* a whole-request deadline per attempt (``asyncio.timeout``), so a server dripping one byte a
  second cannot hold a slot forever;
* body limits counted while streaming: wire bytes, and decoded bytes through our own incremental
  inflater with ``max_length``, so a gzip bomb is stopped without ever holding its output;
* only http/https, for the first URL and for every redirect target;
* the address policy of :mod:`reportgen.ingest.addresses`: the configured URL is trusted as
  written, but once a server on a public address has had a say, a redirect may not lead to a
  loopback, private, link-local or otherwise non-public address (checked on the resolved target
  before connecting, and on the address actually connected to), unless ``allow_private_redirects``;
* a redirect to another origin (scheme, host or port) drops the source's own headers, and
  Authorization and Cookie, for the rest of the chain;
* no RSSHub access key in any URL, message or log line we produce (see :func:`redact_url`), and the
  request's secrets handed on (``FetchResult.secrets``) for parse to cut out of what the body echoes;
* a 304 counts only as the answer to a conditional request: one to a request that named no validator is
  a failure, so a broken server or proxy cannot pass for a source with no news;
* every failure is one line, its control and bidi characters written as escapes (a reason phrase can
  carry terminal escapes); a traceback is logged at DEBUG only.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import random
import re
import ssl
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import httpx

from reportgen import USER_AGENT
from reportgen.ingest import addresses
from reportgen.ingest.normalize import MIN_SECRET, printable_message, secrets_pattern
from reportgen.models import CacheValidators, FetchRequest, FetchResult, FetchStatus

logger = logging.getLogger(__name__)

SECRET_QUERY_PARAMS: Final = frozenset({"key", "access_key", "token", "apikey", "api_key"})
# The same names in free text (log lines of httpx/httpcore), e.g. "...?key=abc&" or "b'...?token=abc'".
_SECRET_IN_TEXT: Final = re.compile(r"(?<![\w-])((?:key|access_key|token|apikey|api_key)=)[^&\s'\"#<>]+",
                                    re.IGNORECASE)
# httpx logs each request URL at INFO; httpcore's DEBUG traces include raw response headers.
_THIRD_PARTY_LOGGERS: Final = ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2",
                               "httpcore.proxy", "httpcore.socks")
ACCEPT: Final = ("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
                 "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
# Only codings we inflate ourselves (with a size cap); never br/zstd, which httpx may otherwise offer.
ACCEPT_ENCODING: Final = "gzip, deflate"
_CROSS_ORIGIN_DROP: Final = frozenset({"authorization", "proxy-authorization", "cookie"})
# A validator goes back verbatim in If-None-Match / If-Modified-Since: httpx sends str header values
# as ASCII and h11 refuses control characters, so anything else would fail every later request.
MAX_VALIDATOR_LENGTH: Final = 512
_SENDABLE_VALUE: Final = re.compile(r"[\x20-\x7e\t]+")
_LANE_SIZE: Final = 4  # connections per httpx client; see _Fetcher
_DRAIN_LIMIT: Final = 64 * 1024  # read small 3xx/4xx/5xx/304 bodies so the connection can be reused


@dataclass(frozen=True)
class FetchOptions:
    concurrency: int = 16  # global bound on in-flight requests
    per_host: int = 4  # bound per host (of the source's own URL)
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0  # whole request incl. body; FetchRequest.timeout_s overrides it
    retries: int = 2  # extra attempts on timeouts, transport errors and 5xx; none on 4xx
    backoff_s: float = 0.5  # exponential: backoff_s * 2**attempt, with small jitter
    max_body_bytes: int = 10 * 1024 * 1024  # wire bytes; streaming is aborted beyond
    max_decompressed_bytes: int = 50 * 1024 * 1024  # decoded bytes (gzip bomb guard)
    max_redirects: int = 5
    allow_private_redirects: bool = False  # let a public source redirect to a loopback/private address
    user_agent: str = USER_AGENT
    # the whole fetch stage: a source still waiting for a slot, an answer or a retry when it passes fails
    # with that reason (so a host dripping bytes cannot hold the run, and the alerts, for many minutes)
    deadline_s: float | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.retries < 0 or self.max_redirects < 0 or self.backoff_s < 0:
            raise ValueError("retries, max_redirects and backoff_s must not be negative")
        if min(self.connect_timeout_s, self.read_timeout_s, self.total_timeout_s) <= 0:
            raise ValueError("timeouts must be positive")
        if self.deadline_s is not None and self.deadline_s <= 0:
            raise ValueError("deadline_s must be positive (None: no deadline)")
        if self.max_body_bytes < 1 or self.max_decompressed_bytes < 1:
            raise ValueError("body limits must be positive")


DEFAULT_OPTIONS: Final = FetchOptions()


def redact_url(url: str) -> str:
    """``url`` with secret query values (key, access_key, token, apikey) and any password as ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a broken IPv6 literal; still never show the key
        return _SECRET_IN_TEXT.sub(r"\1***", url)
    query = "&".join(_redact_param(p) for p in parts.query.split("&")) if parts.query else ""
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.split(':', 1)[0]}:***@{hostport}"
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _redact_param(param: str) -> str:
    name, eq, value = param.partition("=")
    if eq and value and unquote_plus(name).strip().lower() in SECRET_QUERY_PARAMS:
        return f"{name}=***"
    return param


def _secrets_of(url: str) -> list[str]:
    """The secret values in ``url``, raw and decoded, to scrub from free text (e.g. exception text)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found: set[str] = set()
    for param in parts.query.split("&"):
        name, _, value = param.partition("=")
        if unquote_plus(name).strip().lower() in SECRET_QUERY_PARAMS and len(value) >= MIN_SECRET:
            found.update({value, unquote_plus(value)})
    if parts.password and len(parts.password) >= MIN_SECRET:
        found.update({parts.password, unquote_plus(parts.password)})
    return sorted(found, key=len, reverse=True)


COOKIE_SECRET_MIN: Final = 16  # a cookie value this long is kept secret whatever its name
_SECRET_COOKIE: Final = re.compile(r"auth|token|key|secret|passw|sess|sid|sign|credential|login|user|ticket",
                                   re.IGNORECASE)  # a cookie holding a session or a credential, by its name
# A configured header whose value is a credential (Authorization, Cookie, X-Api-Key, X-Token …).
_SECRET_HEADER: Final = re.compile(r"auth|cookie|token|key|secret|passw|session|sign|credential", re.IGNORECASE)


def request_secrets(req: FetchRequest) -> tuple[str, ...]:
    """What a response must not echo back into anything we keep: the secret values of the request's
    URL (the RSSHub key) and the values of its credential headers, whole and in their parts (the
    token of ``Bearer <token>``, each cookie's value)."""
    found = set(_secrets_of(req.url))
    for name, value in req.headers:
        if not _SECRET_HEADER.search(name):
            continue
        value = value.strip()
        found.add(value)
        scheme, _, credential = value.partition(" ")
        if credential and "=" not in scheme:
            found.add(credential.strip())  # Authorization: <scheme> <credentials>
        for part in value.split(";"):  # Cookie: a=<value>; b=<value>
            cookie, _, cookie_value = (x.strip() for x in part.partition("="))
            # a session or token cookie, or a long opaque value; not site=icbc or lang=zh-CN, whose values are
            # ordinary words a headline holds (cutting them out would lose the bank's mentions)
            if _SECRET_COOKIE.search(cookie) or len(cookie_value) >= COOKIE_SECRET_MIN:
                found.add(cookie_value)
    return tuple(sorted((f for f in found if len(f) >= MIN_SECRET), key=len, reverse=True))


def redact_text(text: str) -> str:
    """``text`` with the value of every ``key=``/``token=``/``access_key=``… in it as ``***``.

    For messages built from what a server sent back (an error page that echoes the request URL),
    where the secret values themselves are not known.
    """
    return _SECRET_IN_TEXT.sub(r"\1***", text)


def _scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` fit for a log line, the store and the report: ``secrets`` (in any form a server may
    echo them) and ``key=…`` values as ``***``, control and bidi characters as escapes."""
    pattern = secrets_pattern(secrets)
    if pattern is not None:
        text = pattern.sub("***", text)
    return printable_message(_SECRET_IN_TEXT.sub(r"\1***", text))


def _describe_unexpected(exc: BaseException) -> str:
    """One line for an exception nobody foresaw: an exception group (anyio's) by its first leaf."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    detail = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _size(n: int) -> str:
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= factor:
            return f"{n // factor} {unit}" if n % factor == 0 else f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


class _Failure(Exception):
    """One attempt's failure, already worded for a human."""

    def __init__(self, message: str, *, retryable: bool = False, timeout: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.timeout = timeout


class _BodyDecoder:
    """Content-Encoding decoding chunk by chunk, refusing to produce more than ``limit`` bytes.

    ``decompress(data, max_length)`` never inflates past the remaining budget + 1, so a bomb is
    detected after at most ``limit`` + 1 decoded bytes, whatever the compression ratio.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self.limit = limit
        self.size = 0
        self.coding = codings[0] if codings else None
        self._wbits = 0
        if self.coding in ("gzip", "x-gzip") and len(codings) == 1:
            self._wbits = 16 + zlib.MAX_WBITS
        elif self.coding == "deflate" and len(codings) == 1:
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped, as the RFC says; raw deflate is tried on error
        elif codings:
            raise _Failure(f"unsupported Content-Encoding {content_encoding.strip()!r}")
        self._inflater = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False

    def feed(self, data: bytes) -> bytes:
        out = self._inflate(data) if self._inflater is not None else data
        self.size += len(out)
        if self.size > self.limit:
            raise self._too_big()
        return out

    def _too_big(self) -> _Failure:
        if self.coding:
            return _Failure(f"decompressed body exceeds {_size(self.limit)} (gzip bomb?)")
        return _Failure(f"body exceeds {_size(self.limit)} limit")

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        pieces: list[bytes] = []
        budget = self.limit - self.size
        while data:
            try:
                out = self._inflater.decompress(data, budget + 1)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._started and self._wbits > 0:
                    self._wbits = -zlib.MAX_WBITS  # a server sending raw deflate, as many do
                    self._inflater = zlib.decompressobj(self._wbits)
                    continue
                raise _Failure(f"invalid {self.coding} body: {exc}") from exc
            self._started = True
            pieces.append(out)
            budget -= len(out)
            if budget < 0:
                raise self._too_big()
            if self._inflater.eof:
                # Another gzip member may follow; anything else after the end is ignored.
                data = self._inflater.unused_data
                if not (self._wbits > 16 and data.startswith(b"\x1f\x8b")):
                    break
                self._inflater = zlib.decompressobj(self._wbits)
            else:
                data = self._inflater.unconsumed_tail  # empty unless max_length was reached
        return b"".join(pieces)


@dataclass
class _Progress:
    """What is known about one source so far, kept across attempts for the failure report."""

    url: str
    http_status: int | None = None
    bytes_received: int = 0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Outcome:
    status: FetchStatus
    body: bytes | None


class _Fetcher:
    """Holds the concurrency limits: per-host semaphores, and the global slots as lane tokens.

    httpcore's pool does O(connections²) bookkeeping on every request start and end, which at 50
    connections costs more CPU than the fetching itself.  So the global bound is split into lanes
    of at most ``_LANE_SIZE`` slots, each lane its own client and pool; a slot is a token naming
    its lane's client, handed out last-in first-out so a warm keep-alive connection is reused.
    """

    def __init__(self, clients: Sequence[httpx.AsyncClient], options: FetchOptions,
                 deadline: float | None = None) -> None:
        self.options = options
        self.deadline = deadline  # the event loop's time when the fetch stage must be over (None: no limit)
        self.slots: asyncio.LifoQueue[httpx.AsyncClient] = asyncio.LifoQueue()
        for i in range(options.concurrency):
            self.slots.put_nowait(clients[i % len(clients)])  # at most lane_size tokens per lane
        self.host_slots: dict[str, asyncio.Semaphore] = {}

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        try:
            host = urlsplit(url).netloc.lower()
        except ValueError:
            host = ""
        if host not in self.host_slots:
            self.host_slots[host] = asyncio.Semaphore(self.options.per_host)
        return self.host_slots[host]

    async def fetch(self, req: FetchRequest) -> FetchResult:
        options = self.options
        total_s = req.timeout_s if req.timeout_s is not None else options.total_timeout_s
        secrets = request_secrets(req)
        progress = _Progress(url=req.url)
        host_slot = self._host_slot(req.url)
        started: float | None = None
        attempts = 0
        try:
            async with asyncio.timeout_at(self.deadline):  # None: no limit
                while True:
                    attempts += 1
                    try:
                        async with host_slot:
                            client = await self.slots.get()
                            try:
                                started = time.perf_counter() if started is None else started
                                async with asyncio.timeout(total_s):
                                    outcome = await self._attempt(client, req, progress)
                            finally:
                                self.slots.put_nowait(client)
                        return self._result(req, progress, started, attempts, outcome=outcome, secrets=secrets)
                    except _Failure as exc:
                        failure = exc
                    except addresses.RedirectRefused as exc:
                        failure = _Failure(str(exc))
                    except TimeoutError:
                        failure = _Failure(f"no complete response within {total_s:g} s", retryable=True, timeout=True)
                    except httpx.TimeoutException as exc:
                        kind = type(exc).__name__.removesuffix("Timeout").lower() or "request"
                        failure = _Failure(f"{kind} timeout", retryable=True, timeout=True)
                    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                        failure = _Failure(f"invalid URL: {exc}")
                    except httpx.TransportError as exc:
                        failure = _Failure(_describe_transport_error(exc), retryable=True)
                    except Exception as exc:  # a bug or a surprise must not sink the other sources
                        # one line in the source's health (the run logs it); the traceback with --debug only
                        logger.debug("unexpected error fetching %s", req.source_id, exc_info=True)
                        failure = _Failure(f"unexpected error: {_describe_unexpected(exc)}")
                    if not failure.retryable or attempts > options.retries:
                        break
                    delay = options.backoff_s * 2 ** (attempts - 1) * random.uniform(1.0, 1.2)
                    logger.debug("source %s attempt %d failed (%s); retrying in %.2f s",
                                 req.source_id, attempts, _scrub(failure.message, secrets), delay)
                    await asyncio.sleep(delay)
        except TimeoutError:  # the stage's deadline (an attempt's own timeout is caught inside, and retried)
            message = (f"not fetched within the fetch stage's deadline of {options.deadline_s:g} s (after "
                       f"{attempts} attempt(s)): [fetch] deadline_s")
            return self._result(req, progress, started, attempts, error=_scrub(message, secrets), secrets=secrets)
        if failure.timeout:
            message = f"timed out after {attempts} attempts ({failure.message})" if attempts > 1 \
                else f"timed out ({failure.message})"
        else:
            message = f"{failure.message} (after {attempts} attempts)" if attempts > 1 else failure.message
        return self._result(req, progress, started, attempts, error=_scrub(message, secrets), secrets=secrets)

    def _result(self, req: FetchRequest, progress: _Progress, started: float | None, attempts: int,
                outcome: _Outcome | None = None, error: str | None = None,
                secrets: tuple[str, ...] = ()) -> FetchResult:
        duration_s = time.perf_counter() - started if started is not None else 0.0
        validators = req.validators
        if outcome is not None and outcome.status is FetchStatus.OK:
            validators = CacheValidators(etag=_kept_validator(req, progress.headers, "etag"),
                                         last_modified=_kept_validator(req, progress.headers, "last-modified"))
        status = outcome.status if outcome is not None else FetchStatus.FAILED
        dropped = [name for name in ("etag", "last-modified") if outcome is not None
                   and outcome.status is FetchStatus.OK and progress.headers.get(name)
                   and _sendable_validator(progress.headers[name]) is None]
        warning = (f"ignored its unusable {' and '.join(dropped)} header (not ASCII, or over "
                   f"{MAX_VALIDATOR_LENGTH} characters): the next fetch is unconditional") if dropped else None
        result = FetchResult(
            source_id=req.source_id, status=status, url=redact_url(progress.url),
            fetched_at=datetime.now(UTC), duration_s=duration_s, http_status=progress.http_status,
            body=outcome.body if outcome is not None else None, headers=progress.headers,
            validators=validators, bytes_received=progress.bytes_received, attempts=attempts, error=error,
            warning=warning, secrets=secrets,
        )
        if error:
            logger.debug("source %s failed: %s", req.source_id, error)  # the run logs it once, as a warning
        else:
            logger.debug("source %s: %s, HTTP %s, %d bytes in %.2f s", req.source_id, status.value,
                         progress.http_status, progress.bytes_received, duration_s)
        return result

    async def _attempt(self, client: httpx.AsyncClient, req: FetchRequest, progress: _Progress) -> _Outcome:
        headers = _request_headers(req)
        own_headers = {name.lower() for name, _ in req.headers} | _CROSS_ORIGIN_DROP
        url = req.url
        progress.http_status, progress.headers = None, {}  # nothing from an earlier attempt
        guarded = not self.options.allow_private_redirects
        public_seen = False  # a server on a public address has had a say in where this chain goes
        for _ in range(self.options.max_redirects + 1):
            where = "redirect to " if url != req.url else ""
            try:
                parts = urlsplit(url)
                scheme, port = parts.scheme.lower(), parts.port
            except ValueError as exc:
                raise _Failure(f"{where}invalid URL: {exc}") from exc
            if scheme not in ("http", "https"):
                raise _Failure(f"{where}unsupported URL scheme {scheme!r}" if scheme else
                               f"{where}URL without a scheme")
            _check_host(url, port, where)
            if public_seen:  # before connecting: 169.254.169.254 is never even asked
                await addresses.check_redirect_target(httpx.URL(url))
            progress.url = url
            async with contextlib.AsyncExitStack() as stack:
                try:
                    response = await stack.enter_async_context(client.stream("GET", url, headers=headers))
                except UnicodeError as exc:
                    # The URL passed _check_host: httpx read the Location of a redirect (to offer
                    # its next request even when it does not follow it), and idna refused the host.
                    raise _Failure(f"redirect to an invalid URL: {_url_problem(exc)}") from exc
                peer = addresses.peer_of(response)
                if public_seen and peer is not None:  # after connecting: a name that changed its answer
                    addresses.check_redirect_peer(response.url, peer)
                progress.http_status = response.status_code
                progress.headers = _response_headers(response)
                if not response.has_redirect_location:
                    return await self._finish(response, progress, conditional=_is_conditional(headers))
                await self._drain(response, progress)
                try:
                    target = response.url.join(response.headers["location"])
                    target_origin = addresses.origin(target)
                except (ValueError, httpx.InvalidURL) as exc:
                    raise _Failure(f"redirect to an invalid URL: {_url_problem(exc)}") from exc
                if target_origin != addresses.origin(response.url):
                    headers = {k: v for k, v in headers.items() if k.lower() not in own_headers}
                if guarded and not public_seen:
                    public_seen = await addresses.is_public_server(response.url, peer)
                url = str(target)
        raise _Failure(f"too many redirects (>{self.options.max_redirects})")

    async def _finish(self, response: httpx.Response, progress: _Progress, *, conditional: bool) -> _Outcome:
        code = response.status_code
        if code == 304:
            await self._drain(response, progress)
            if not conditional:
                # "Not modified" since a version we never named: the server (or a proxy or cache
                # in between) is broken, and nothing was delivered.  Counting it as an answer would
                # let a dead source pass the completeness check as "no news".
                raise _Failure("HTTP 304 Not Modified to an unconditional request (the server or a proxy "
                               "in between is misbehaving)")
            return _Outcome(FetchStatus.NOT_MODIFIED, None)
        if not 200 <= code < 300:
            await self._drain(response, progress)
            phrase = httpx.codes.get_reason_phrase(code) or response.reason_phrase
            raise _Failure(f"HTTP {code} {phrase}".rstrip(), retryable=code >= 500)
        limit = self.options.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failure(f"body exceeds {_size(limit)} limit (Content-Length {_size(int(declared))})")
        encoding = response.headers.get("content-encoding", "")
        decoder = _BodyDecoder(encoding, self.options.max_decompressed_bytes)
        pieces: list[bytes] = []
        wire = 0
        # Leaving the loop early is fine: closing the stream context closes the response.
        async for chunk in response.aiter_raw():
            wire += len(chunk)
            progress.bytes_received += len(chunk)
            if wire > limit:
                raise _Failure(f"body exceeds {_size(limit)} limit")
            pieces.append(decoder.feed(chunk))
        return _Outcome(FetchStatus.OK, b"".join(pieces))

    async def _drain(self, response: httpx.Response, progress: _Progress) -> None:
        """Reads a small body (a 304 has none) so the keep-alive connection can be reused.

        A large one is left unread: closing the response then drops the connection, which is
        cheaper than downloading an error page we do not want.
        """
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > _DRAIN_LIMIT:
            return
        drained = 0
        async for chunk in response.aiter_raw():
            drained += len(chunk)
            progress.bytes_received += len(chunk)
            if drained > _DRAIN_LIMIT:
                return


def _check_host(url: str, port: int | None, where: str) -> None:
    """Refuses, before connecting, a URL httpx or the socket layer would fail on with an exception
    of their own: a port out of range, a host name IDNA cannot read (``xn--a.example``)."""
    if port == 0:
        raise _Failure(f"{where}invalid URL: port 0")
    try:
        _ = httpx.URL(url).host  # decodes an xn-- label: idna raises on a bad one
    except (ValueError, httpx.InvalidURL) as exc:
        raise _Failure(f"{where}invalid URL: {_url_problem(exc)}") from exc


def _url_problem(exc: Exception) -> str:
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return f"host name is not valid IDNA ({detail})" if isinstance(exc, UnicodeError) else detail


def _is_conditional(headers: dict[str, str]) -> bool:
    return any(name.lower() in ("if-none-match", "if-modified-since") and value for name, value in headers.items())


def _request_headers(req: FetchRequest) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, stored in (("If-None-Match", req.validators.etag), ("If-Modified-Since", req.validators.last_modified)):
        value = _sendable_validator(stored)
        if value:
            headers[name] = value
        elif stored:  # a database written before this check; the next 200 answer replaces it
            logger.debug("source %s: not sending its stored %s validator %r", req.source_id, name,
                         redact_text(stored[:80]))
    for name, value in req.headers:
        if _sendable_header(value) is None:  # the value is not shown: it may be a credential
            raise _Failure(f"header {name}: its value cannot be sent (HTTP header values are ASCII text without "
                           "control characters; percent-encode a URL)")
        headers[name] = value
    return headers


def _sendable_header(value: str) -> str | None:
    return value if value == "" or _SENDABLE_VALUE.fullmatch(value) else None


def _sendable_validator(value: str | None) -> str | None:
    """``value`` if it can go back in a conditional request header, else None."""
    value = value.strip(" \t") if value else None
    if not value or len(value) > MAX_VALIDATOR_LENGTH or not _SENDABLE_VALUE.fullmatch(value):
        return None
    return value


def _kept_validator(req: FetchRequest, headers: dict[str, str], name: str) -> str | None:
    """A response's ETag or Last-Modified, kept only if we could send it back next time."""
    value = headers.get(name)
    kept = _sendable_validator(value)
    if value and kept is None:
        logger.warning("source %s: ignoring its %s %r (not ASCII, or over %d characters): the next fetch "
                       "is unconditional", req.source_id, name, redact_text(value[:80]), MAX_VALIDATOR_LENGTH)
    return kept


def _response_headers(response: httpx.Response) -> dict[str, str]:
    headers = {name.lower(): value for name, value in response.headers.items()}
    for name in ("location", "content-location"):
        if name in headers:
            headers[name] = redact_url(headers[name])
    return headers


def _describe_transport_error(exc: httpx.TransportError) -> str:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {detail}"
    if isinstance(exc, httpx.ProtocolError):
        return f"protocol error: {detail}"
    return f"network error: {detail}"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context, built once: loading the CA bundle costs ~50 ms per client."""
    return httpx.create_ssl_context()


async def fetch_all_async(requests: Sequence[FetchRequest], options: FetchOptions = DEFAULT_OPTIONS,
                          progress: Callable[[FetchResult], None] | None = None, *,
                          keep_bodies: bool = True) -> list[FetchResult]:
    """Fetches every source concurrently; one result per request, in request order, never raises.

    ``progress`` sees each result, body included, as soon as it arrives; with ``keep_bodies=False``
    the returned results carry no body, so a caller that stores each source in ``progress`` does not
    hold every body in memory until the last source answers.
    """
    if not requests:
        return []
    n_lanes = -(-options.concurrency // _LANE_SIZE)
    lane_size = -(-options.concurrency // n_lanes)
    limits = httpx.Limits(max_connections=lane_size, max_keepalive_connections=lane_size)
    timeout = httpx.Timeout(connect=options.connect_timeout_s, read=options.read_timeout_s,
                            write=options.read_timeout_s, pool=options.connect_timeout_s)
    headers = {"User-Agent": options.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    ssl_context = _ssl_context()
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(
                headers=headers, timeout=timeout, limits=limits, verify=ssl_context, follow_redirects=False))
            for _ in range(n_lanes)
        ]
        deadline = (asyncio.get_running_loop().time() + options.deadline_s) if options.deadline_s else None
        fetcher = _Fetcher(clients, options, deadline)

        async def one(req: FetchRequest) -> FetchResult:
            result = await fetcher.fetch(req)
            if progress is not None:
                try:
                    progress(result)
                except Exception:
                    logger.exception("progress callback failed for %s", req.source_id)
            return result if keep_bodies or result.body is None else dataclasses.replace(result, body=None)

        return list(await asyncio.gather(*(one(req) for req in requests)))


def fetch_all(requests: Sequence[FetchRequest], options: FetchOptions = DEFAULT_OPTIONS,
              progress: Callable[[FetchResult], None] | None = None, *,
              keep_bodies: bool = True) -> list[FetchResult]:
    """Synchronous :func:`fetch_all_async`; call it from code that has no running event loop."""
    return asyncio.run(fetch_all_async(requests, options, progress, keep_bodies=keep_bodies))


class _RedactSecretsFilter(logging.Filter):
    """Rewrites a third-party log line that carries an access key, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_IN_TEXT.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _install_log_redaction() -> None:
    # A logger's filters see only records created on that very logger, hence one per module logger.
    for name in _THIRD_PARTY_LOGGERS:
        third_party = logging.getLogger(name)
        if not any(isinstance(f, _RedactSecretsFilter) for f in third_party.filters):
            third_party.addFilter(_RedactSecretsFilter())


_install_log_redaction()
