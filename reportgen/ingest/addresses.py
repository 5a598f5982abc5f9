"""Address policy for redirects: which addresses are public, in every spelling a resolver accepts.

A URL written in the config is trusted as written, loopback and intranet addresses included (tests
and intranet RSSHub instances live there).  What a *server* tells us is not: a public feed host that
redirects to 127.0.0.1, 10.0.0.1 or 169.254.169.254 (cloud instance metadata) would have us read
our own network and print it in the briefing.  :mod:`reportgen.ingest.fetch` refuses such a hop
twice: before connecting (:func:`resolve` the target, every answer must be public) and after
(the address the connection actually reached, so a name that changes its answer in between is
still caught).

An address is judged after unwrapping the IPv4 it stands for (IPv4-mapped ``::ffff:a.b.c.d`` and
NAT64 ``64:ff9b::/96``), through :func:`is_public_address`, a module-level function the tests replace.
A redirect that changes :func:`origin` (scheme, host or port) is the fetcher's cue to drop a source's
own headers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from typing import Final

import httpx

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")
# One part of an IPv4 address as inet_aton reads it: hex (0x...), octal (0...) or decimal.
_PART: Final = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")


def literal_ip(host: str) -> IPAddress | None:
    """The address ``host`` spells, or None for a name.

    Beside the usual forms this reads what the C resolver (``inet_aton``) accepts and connects to:
    ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1`` and a trailing dot are all 127.0.0.1.
    """
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4 or not all(_PART.fullmatch(p) for p in parts):
        return None
    numbers = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p.startswith("0") else int(p) for p in parts]
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        return None
    value = last
    for i, n in enumerate(leading):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def unwrap(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one stands for (IPv4-mapped, NAT64), else ``ip`` itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public_address(ip: IPAddress) -> bool:
    """Whether ``ip`` (already unwrapped) is a globally routable unicast address."""
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def non_public_kind(ip: IPAddress) -> str | None:
    """None for a public address, else why it is not: loopback, private, link-local, ..."""
    ip = unwrap(ip)
    if is_public_address(ip):
        return None
    for kind, flag in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if flag:
            return kind
    return "not globally routable"  # e.g. 100.64.0.0/10, shared address space behind carrier NAT


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to for a TCP connection; [] when it does not resolve.

    A name that does not resolve is left to the connection to fail on, with its usual message.
    """
    literal = literal_ip(host)
    if literal is not None:
        return [literal]
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        logger.debug("could not resolve %s before a redirect: %s", host, exc)
        return []
    found: list[IPAddress] = []
    for *_, sockaddr in answers:
        try:
            found.append(ipaddress.ip_address(sockaddr[0]))
        except ValueError:  # not an IP socket address; nothing we could connect to over TCP
            continue
    return found


def peer_address(server_addr: object) -> IPAddress | None:
    """The IP of a socket's peer as ``get_extra_info("server_addr")`` gives it, or None."""
    if isinstance(server_addr, tuple) and server_addr and isinstance(server_addr[0], str):
        try:
            return ipaddress.ip_address(server_addr[0])
        except ValueError:
            return None
    return None


# --- the redirect checks that the fetcher makes ---------------------------------------------------


class RedirectRefused(Exception):
    """A redirect from a public address to a non-public one; the message names the host and why."""


def origin(url: httpx.URL) -> tuple[str, bytes, int | None]:
    """Scheme, host and port, the default port spelt out: what decides that a redirect changes origin."""
    return url.scheme, url.raw_host.lower(), url.port or _DEFAULT_PORTS.get(url.scheme)


def peer_of(response: httpx.Response) -> IPAddress | None:
    """The address this response's connection actually reached (None behind an odd transport)."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        return peer_address(stream.get_extra_info("server_addr"))
    except Exception:  # a transport without socket details; the check before connecting still ran
        return None


async def is_public_server(url: httpx.URL, peer: IPAddress | None) -> bool:
    """Whether the server that answered ``url`` is on a public address: its peer address, else its name."""
    if peer is not None:
        return non_public_kind(peer) is None
    return any(non_public_kind(ip) is None for ip in await resolve(*_host_port(url)))


async def check_redirect_target(url: httpx.URL) -> None:
    """Raises :class:`RedirectRefused` unless every address ``url``'s host resolves to is public."""
    for ip in await resolve(*_host_port(url)):
        check_redirect_peer(url, ip)


def check_redirect_peer(url: httpx.URL, ip: IPAddress) -> None:
    """Raises :class:`RedirectRefused` if ``ip``, where ``url`` leads, is not public."""
    kind = non_public_kind(ip)
    if kind is None:
        return
    host, shown = _host_port(url)[0], str(unwrap(ip))
    where = f"{shown}, {kind}" if host == shown else f"{host} = {shown}, {kind}"
    raise RedirectRefused(f"redirect from a public address to a private one ({where}) refused; "
                          "set fetch.allow_private_redirects = true to allow")


def _host_port(url: httpx.URL) -> tuple[str, int]:
    # raw_host is what httpcore connects to: IDNA-encoded, an IPv6 literal without brackets.
    return url.raw_host.decode("ascii", "replace"), url.port or _DEFAULT_PORTS.get(url.scheme, 80)
