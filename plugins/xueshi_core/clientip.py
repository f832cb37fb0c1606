"""The client's IP address, the one way every Xueshi record and throttle reads it (ADR 0031).

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only hop by hop
from the right, and only while the hop that wrote it is a *configured* proxy
(``XUESHI_TRUSTED_PROXIES``). The default trusts loopback alone: trusting every private range
would let a learner on an enterprise or government LAN (10.x, 172.16/12, 192.168.x) choose the
IP we audit and throttle by. Under Tutor the plugin names Caddy itself (its service host name,
resolved here, cached briefly), never a whole network.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_TRUSTED = ("127.0.0.1/32", "::1/128")
RESOLVE_SECONDS = 60.0
_resolved: dict[str, tuple[float, list[IPNetwork]]] = {}


def parse_ip(text: str) -> IPAddress | None:
    """An address from text (``[v6]`` brackets allowed); ``None`` if it is not one."""
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def networks(entries: Iterable[str]) -> list[IPNetwork]:
    """CIDRs and plain addresses as networks; host names and typos are skipped (see ``resolve``)."""
    found = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue  # a typo in settings must not break every request
    return found


def client_ip(remote_addr: str, forwarded_for: str, trusted: Iterable[IPNetwork]) -> str:
    """The nearest address that no trusted proxy vouches for; ``""`` if ``remote_addr`` is bad.

    ``X-Forwarded-For`` is read right to left, one hop per trusted proxy: a client cannot
    choose its address by sending the header itself.
    """
    nets = list(trusted)
    current = parse_ip(remote_addr or "")
    if current is None:
        return ""
    for hop in reversed([h for h in (forwarded_for or "").split(",") if h.strip()]):
        if not any(current in net for net in nets):
            break
        parsed = parse_ip(hop)
        if parsed is None:
            break
        current = parsed
    return str(current)


def resolve(host: str, now: float | None = None) -> list[IPNetwork]:
    """The addresses of a proxy named by host name (Tutor's ``caddy``), cached ``RESOLVE_SECONDS``.

    A name that does not resolve trusts nothing: the proxy's own address is then recorded,
    which is wrong but never chosen by a client.
    """
    now = time.monotonic() if now is None else now
    cached = _resolved.get(host)
    if cached is not None and cached[0] > now:
        return cached[1]
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        nets = networks(str(info[4][0]) for info in infos)
    except (OSError, UnicodeError):
        nets = []
    _resolved[host] = (now + RESOLVE_SECONDS, nets)
    return nets


def trusted_proxies() -> list[IPNetwork]:
    """``XUESHI_TRUSTED_PROXIES``: CIDRs, addresses or host names of the reverse proxies."""
    from django.conf import settings

    entries = [str(e).strip() for e in getattr(settings, "XUESHI_TRUSTED_PROXIES", DEFAULT_TRUSTED) or ()]
    nets = networks(entries)
    for entry in entries:
        if entry and not networks([entry]):
            nets.extend(resolve(entry))
    return nets


def request_ip(request: Any) -> str | None:
    """The client address of a Django (or WebOb) request; ``None`` when there is none."""
    meta = getattr(request, "META", None) or getattr(request, "environ", None) or {}
    found = client_ip(
        str(meta.get("REMOTE_ADDR", "") or ""),
        str(meta.get("HTTP_X_FORWARDED_FOR", "") or ""),
        trusted_proxies(),
    )
    return found or None
