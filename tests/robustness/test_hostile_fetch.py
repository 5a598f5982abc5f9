"""Servers that attack the fetcher itself: validators it cannot send back, and redirects into our network.

* an ``ETag``/``Last-Modified`` that httpx cannot send back (non-ASCII, overlong) must not break the
  source forever: it is dropped when it arrives, and ignored when a database already holds one;
* SSRF: a public source may not redirect us to a loopback, private, link-local, unspecified,
  multicast or reserved address, in any spelling (decimal, IPv4-mapped IPv6, a name resolving
  there, a name that changes its answer between our check and the connection), unless
  ``fetch.allow_private_redirects``; a URL written in the config is trusted as written;
* a source's own headers (an API key) never follow a redirect to another origin.

Every server here is on 127.0.0.1 or 127.0.0.2, so "public" is faked: ``public_loopback`` makes
exactly 127.0.0.1 count as a public address, and ``fake_dns`` answers for a few invented names.
Connections anywhere but this host are refused and recorded by ``no_network``, so a test shows that
169.254.169.254 was refused *without* a connection, and no test ever leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mailserver import write_config

from reportgen.config.core import load_config
from reportgen.demo.feedserver import SAMPLE_RSS, FeedServer, Redirect, Route
from reportgen.errors import ConfigError
from reportgen.flow.pipeline import fetch_options, run_fetch
from reportgen.ingest import addresses
from reportgen.ingest.fetch import FetchOptions, fetch_all
from reportgen.models import CacheValidators, FetchRequest, FetchResult, FetchStatus
from reportgen.store.db import Store

FAST = FetchOptions(connect_timeout_s=1.0, read_timeout_s=1.0, total_timeout_s=5.0, retries=0)
SECRET_BODY = b"<rss><channel><title>instance metadata: iam/security-credentials</title></channel></rss>"
BAD_ETAG = '"é中"'
# What a server sends when it writes that ETag in UTF-8: http.server encodes header values as latin-1.
BAD_ETAG_ON_THE_WIRE = BAD_ETAG.encode("utf-8").decode("latin-1")
REFUSAL_HINT = "refused; set fetch.allow_private_redirects = true to allow"
FakeDns = Callable[[str, Callable[[int], str]], None]


def fetch_one(req: FetchRequest, options: FetchOptions = FAST) -> FetchResult:
    [result] = fetch_all([req], options)
    return result


def source(url: str, **kwargs: Any) -> FetchRequest:
    return FetchRequest(source_id="s", url=url, display_url=url, **kwargs)


# --- fixtures: a local "public" server, a private one, no network, fake DNS ----------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuses (and records) every TCP connection to an address that is not this machine."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            ip = ipaddress.ip_address(address[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
                ip = ip.ipv4_mapped
            if not (ip.is_loopback or ip.is_unspecified):
                attempts.append(str(ip))
                raise ConnectionRefusedError(f"test guard: no connection to {ip}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 (and only it) counts as a public address."""
    monkeypatch.setattr(addresses, "is_public_address", lambda ip: ip == ipaddress.ip_address("127.0.0.1"))


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """``fake_dns(name, answer)``: ``name`` resolves to ``answer(n)`` on its n-th lookup (1, 2, ...).

    Patched at ``socket.getaddrinfo``, so the fetcher's own check and the connection that httpx opens
    both see the fake, each with its own lookup, as they would with a real resolver.
    """
    real = socket.getaddrinfo
    names: dict[str, Callable[[int], str]] = {}
    lookups: dict[str, int] = {}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name in names:
            lookups[name] = lookups.get(name, 0) + 1
            return real(names[name](lookups[name]), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def add(name: str, answer: Callable[[int], str]) -> None:
        names[name] = answer

    return add


@pytest.fixture
def public() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def private() -> Iterator[FeedServer]:
    """The server an attacker wants us to read: on 127.0.0.2, serving "instance metadata"."""
    with FeedServer({"/secret": Route(SECRET_BODY)}, host="127.0.0.2") as server:
        yield server


# --- case 3: validators that cannot be sent back ---------------------------------------------------


def test_a_non_ascii_etag_does_not_break_the_source_on_the_next_run(public: FeedServer) -> None:
    public.routes["/feed"] = Route(SAMPLE_RSS, etag=BAD_ETAG_ON_THE_WIRE,
                                   last_modified="Mon, 01 Jan 2024 08:00:00 GMT")

    first = fetch_one(source(public.url("/feed")))
    second = fetch_one(source(public.url("/feed"), validators=first.validators))

    assert first.status is FetchStatus.OK, first.error
    assert first.validators == CacheValidators(etag=None, last_modified="Mon, 01 Jan 2024 08:00:00 GMT")
    assert second.status is FetchStatus.NOT_MODIFIED, second.error  # If-Modified-Since alone did it
    sent = public.requests_to("/feed")[-1].headers
    assert "if-none-match" not in sent and sent["if-modified-since"] == "Mon, 01 Jan 2024 08:00:00 GMT"


@pytest.mark.parametrize(
    "stored",
    [CacheValidators(etag=BAD_ETAG), CacheValidators(last_modified="周一, 01 1月 2024 08:00:00 GMT"),
     CacheValidators(etag='"' + "x" * 600 + '"'), CacheValidators(etag='"a"\r\nX-Injected: 1')],
    ids=["non-ascii-etag", "non-ascii-last-modified", "overlong-etag", "crlf-etag"],
)
def test_a_bad_stored_validator_is_ignored_and_replaced_by_the_next_answer(public: FeedServer,
                                                                           stored: CacheValidators) -> None:
    route = public.routes["/feed"] = Route(SAMPLE_RSS)

    result = fetch_one(source(public.url("/feed"), validators=stored))

    assert result.status is FetchStatus.OK, result.error
    assert result.validators == CacheValidators(etag=route.etag, last_modified=route.last_modified)
    sent = public.requests_to("/feed")[-1].headers
    assert "if-none-match" not in sent and "if-modified-since" not in sent and "x-injected" not in sent


def test_an_overlong_etag_is_not_kept(public: FeedServer) -> None:
    public.routes["/feed"] = Route(SAMPLE_RSS, etag='"' + "e" * 1000 + '"', last_modified=None)

    result = fetch_one(source(public.url("/feed")))

    assert result.status is FetchStatus.OK
    assert result.validators == CacheValidators()


def test_a_run_that_stored_a_bad_etag_heals_on_the_next_run(tmp_path: Path) -> None:
    """The whole loop through the database: run 1 stores what it may, run 2 is a 304, not a failure."""
    with FeedServer({"/good": Route(SAMPLE_RSS, etag=BAD_ETAG_ON_THE_WIRE)}) as srv:
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None))
        first = run_fetch(config)
        second = run_fetch(config)
        third = run_fetch(config)

    statuses = [run.sources[0].status for run in (first, second, third)]
    assert statuses == [FetchStatus.OK, FetchStatus.NOT_MODIFIED, FetchStatus.NOT_MODIFIED], \
        [run.sources[0].error for run in (first, second, third)]
    stored = Store.open(config.settings.database).validators()["good"]
    assert stored.etag is None and stored.last_modified is not None


# --- case 5: SSRF through redirects ----------------------------------------------------------------


def refused(result: FetchResult, target: str) -> bool:
    return (result.status is FetchStatus.FAILED and result.body is None and result.attempts == 1
            and result.error is not None and REFUSAL_HINT in result.error and target in result.error)


@pytest.mark.usefixtures("public_loopback")
@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("http://127.0.0.2:{port}/secret", "127.0.0.2"),
        ("http://2130706434:{port}/secret", "127.0.0.2"),  # decimal 127.0.0.2
        ("http://0x7f.0.0.2:{port}/secret", "127.0.0.2"),  # hex, as inet_aton reads it
        ("http://[::ffff:127.0.0.2]:{port}/secret", "127.0.0.2"),  # IPv4-mapped IPv6
        ("http://intranet.example:{port}/secret", "intranet.example"),  # a name resolving there
    ],
    ids=["dotted", "decimal", "hex", "ipv4-mapped", "name"],
)
def test_a_public_source_may_not_redirect_to_loopback(public: FeedServer, private: FeedServer, no_network: list[str],
                                                      fake_dns: FakeDns,
                                                      location: str, shown: str) -> None:
    fake_dns("intranet.example", lambda n: "127.0.0.2")
    public.routes["/feed"] = Redirect(location.format(port=private.port))

    result = fetch_one(source(public.url("/feed")))

    assert refused(result, shown), result.error
    assert "loopback" in (result.error or "")
    assert private.requests == []  # refused before connecting: the request never left
    assert no_network == []


@pytest.mark.usefixtures("public_loopback")
def test_a_public_source_may_not_redirect_to_0_0_0_0(public: FeedServer, no_network: list[str]) -> None:
    public.routes["/feed"] = Redirect("/secret")  # a same-origin hop first: still public
    public.routes["/secret"] = Redirect(f"http://0.0.0.0:{public.port}/metadata")
    public.routes["/metadata"] = Route(SECRET_BODY)  # what 0.0.0.0 reaches on Linux: this very host

    result = fetch_one(source(public.url("/feed")))

    assert refused(result, "0.0.0.0"), result.error
    assert "unspecified" in (result.error or "")
    assert public.requests_to("/metadata") == []


@pytest.mark.usefixtures("public_loopback")
@pytest.mark.parametrize(
    ("location", "shown", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),  # cloud metadata
        ("http://10.0.0.1/admin", "10.0.0.1", "private"),
        ("http://0251.0376.43518/latest/meta-data/", "169.254.169.254", "link-local"),  # octal + decimal
        ("http://metadata.internal.example/latest/", "metadata.internal.example", "link-local"),  # resolves there
        ("http://[fd00::1]/", "fd00::1", "private"),
    ],
    ids=["metadata", "rfc1918", "octal-metadata", "name-to-metadata", "ipv6-ula"],
)
def test_a_refused_private_target_is_never_connected_to(public: FeedServer, no_network: list[str],
                                                         fake_dns: FakeDns,
                                                         location: str, shown: str, kind: str) -> None:
    fake_dns("metadata.internal.example", lambda n: "169.254.169.254")
    public.routes["/feed"] = Redirect(location)

    result = fetch_one(source(public.url("/feed")))

    assert no_network == []  # not even a connection attempt
    assert refused(result, shown), result.error
    assert kind in (result.error or "")


@pytest.mark.usefixtures("public_loopback")
def test_dns_rebinding_is_caught_on_the_address_actually_connected_to(
        public: FeedServer, private: FeedServer, fake_dns: FakeDns) -> None:
    # Public when the fetcher checks the name; 127.0.0.2 when httpx resolves it again to connect.
    fake_dns("rebind.example", lambda n: "127.0.0.1" if n == 1 else "127.0.0.2")
    public.routes["/feed"] = Redirect(f"http://rebind.example:{private.port}/secret")

    result = fetch_one(source(public.url("/feed")))

    assert refused(result, "rebind.example"), result.error
    assert "127.0.0.2" in (result.error or "")
    assert len(private.requests) == 1  # it did connect (that is the attack), but nothing was kept


@pytest.mark.usefixtures("public_loopback")
def test_allow_private_redirects_follows_them(public: FeedServer, private: FeedServer) -> None:
    public.routes["/feed"] = Redirect(f"http://2130706434:{private.port}/secret")

    result = fetch_one(source(public.url("/feed")), FetchOptions(retries=0, allow_private_redirects=True))

    assert result.status is FetchStatus.OK, result.error
    assert result.body == SECRET_BODY


@pytest.mark.usefixtures("public_loopback")
def test_a_public_source_may_redirect_to_another_public_one(public: FeedServer,
                                                            fake_dns: FakeDns) -> None:
    fake_dns("mirror.example", lambda n: "127.0.0.1")
    public.routes["/feed"] = Redirect(f"http://mirror.example:{public.port}/moved")
    public.routes["/moved"] = Route(SAMPLE_RSS)

    result = fetch_one(source(public.url("/feed")))

    assert result.status is FetchStatus.OK, result.error
    assert result.body == SAMPLE_RSS


def test_a_private_configured_url_is_trusted_with_its_private_redirects(public: FeedServer,
                                                                        private: FeedServer) -> None:
    """No faking: 127.0.0.1 is what it is (private), as an intranet RSSHub would be."""
    public.routes["/feed"] = Redirect(f"http://127.0.0.2:{private.port}/secret")

    result = fetch_one(source(public.url("/feed")))

    assert result.status is FetchStatus.OK, result.error
    assert result.body == SECRET_BODY


def test_a_private_configured_address_is_trusted_even_in_an_odd_spelling(private: FeedServer) -> None:
    result = fetch_one(source(f"http://2130706434:{private.port}/secret"))

    assert result.status is FetchStatus.OK, result.error
    assert result.body == SECRET_BODY


# --- custom headers and origins ----------------------------------------------------------------------

SOURCE_HEADERS = (("X-Api-Key", "k-123456"), ("Authorization", "Bearer t-123456"), ("Cookie", "sid=c-123456"))


def test_custom_headers_follow_a_same_origin_redirect(public: FeedServer) -> None:
    public.routes["/feed"] = Redirect("/moved")
    public.routes["/moved"] = Route(SAMPLE_RSS)

    result = fetch_one(source(public.url("/feed"), headers=SOURCE_HEADERS))

    assert result.status is FetchStatus.OK, result.error
    [sent] = public.requests_to("/moved")
    assert (sent.headers["x-api-key"], sent.headers["authorization"], sent.headers["cookie"]) == \
        ("k-123456", "Bearer t-123456", "sid=c-123456")


@pytest.mark.parametrize("other", ["host", "port"])
def test_custom_headers_do_not_follow_a_cross_origin_redirect(public: FeedServer, private: FeedServer,
                                                              other: str) -> None:
    elsewhere = private if other == "host" else FeedServer().start()
    try:
        elsewhere.routes["/moved"] = Route(SAMPLE_RSS)
        public.routes["/feed"] = Redirect(elsewhere.url("/moved"))
        public.routes["/back"] = Route(SAMPLE_RSS)
        elsewhere.routes["/round-trip"] = Redirect(public.url("/back"))  # and not back again either
        public.routes["/trip"] = Redirect(elsewhere.url("/round-trip"))

        results = fetch_all([source(public.url("/feed"), headers=SOURCE_HEADERS),
                             source(public.url("/trip"), headers=SOURCE_HEADERS)], FAST)
        [first_hop] = public.requests_to("/feed")
        [moved] = elsewhere.requests_to("/moved")
        [back] = public.requests_to("/back")
    finally:
        if elsewhere is not private:
            elsewhere.stop()

    assert [r.status for r in results] == [FetchStatus.OK, FetchStatus.OK], [r.error for r in results]
    assert first_hop.headers["x-api-key"] == "k-123456"
    for sent in (moved, back):
        assert not {"x-api-key", "authorization", "cookie"} & set(sent.headers), sent.headers
        assert "reportgen" in sent.headers["user-agent"]  # the client's own headers stay


# --- the address rules themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"), ("169.254.169.254.", "169.254.169.254"), ("[::1]", "::1"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("example.com", None), ("1.2.3.4.5", None), ("256.0.0.1", None), ("4294967296", None), ("08.0.0.1", None),
        ("0x", None), ("1..2", None), ("", None), ("127.0.0.1 junk", None),
    ],
)
def test_literal_ip_reads_every_spelling_that_a_resolver_accepts(host: str, expected: str | None) -> None:
    assert addresses.literal_ip(host) == (ipaddress.ip_address(expected) if expected is not None else None)


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_literal_ip_reads_any_decimal_and_hex_ipv4(n: int) -> None:
    assert addresses.literal_ip(str(n)) == ipaddress.IPv4Address(n)
    assert addresses.literal_ip(hex(n)) == ipaddress.IPv4Address(n)


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("127.0.0.1", "loopback"), ("::1", "loopback"),
        ("::ffff:127.0.0.2", "loopback"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fd00::1", "private"),
        ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"), ("240.0.0.1", "reserved"), ("100.64.0.1", "not globally routable"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
    ],
)
def test_non_public_kind(ip: str, kind: str | None) -> None:
    assert addresses.non_public_kind(ipaddress.ip_address(ip)) == kind


# --- the config key ------------------------------------------------------------------------------


def test_allow_private_redirects_is_read_from_the_fetch_section(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / name).mkdir()
    default = load_config(write_config(tmp_path / "a", feeds_base="http://127.0.0.1:9", smtp_port=None))
    allowed = load_config(write_config(tmp_path / "b", feeds_base="http://127.0.0.1:9", smtp_port=None,
                                       extra="[fetch]\nallow_private_redirects = true\n"))

    assert fetch_options(default.fetch).allow_private_redirects is False
    assert fetch_options(allowed.fetch).allow_private_redirects is True
    with pytest.raises(ConfigError, match=r"fetch\.allow_private_redirects"):
        load_config(write_config(tmp_path / "c", feeds_base="http://127.0.0.1:9", smtp_port=None,
                                 extra='[fetch]\nallow_private_redirects = "yes"\n'))
