"""Who is calling, from where, on what: client IP behind trusted proxies, device kind from the UA.

Pure functions (no Django), so they are unit-tested and type-checked on their own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

PC, MOBILE, WECHAT, APP = "pc", "mobile", "wechat", "app"
DEVICE_KINDS = (PC, MOBILE, WECHAT, APP)
# Open edX's mobile apps name themselves in the UA ("edX/org.edx.mobile/..." on iOS,
# "... org.edx.mobile/..." on Android, the new Flutter/Kotlin apps "openedx-app").
_APP_MARKERS = ("org.edx.mobile", "openedx-app", "openedx/mobile")
_MOBILE_OS = {"Android", "iOS", "HarmonyOS", "Windows Phone", "BlackBerry OS", "KaiOS"}


def _networks(cidrs: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for cidr in cidrs:
        try:
            nets.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            continue  # a typo in settings must not break every request
    return nets


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_ip(remote_addr: str, forwarded_for: str, trusted: Iterable[str]) -> str:
    """The caller's address: ``REMOTE_ADDR``, or behind trusted proxies the nearest untrusted hop.

    ``X-Forwarded-For`` is read right to left and only while each hop is a trusted proxy, so a
    client cannot choose its audited IP by sending the header itself. Invalid values give ``""``.
    """
    nets = _networks(trusted)
    peer = _ip(remote_addr or "")
    if peer is None:
        return ""
    if not nets or not forwarded_for:
        return str(peer)
    current = peer
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        if not any(current in net for net in nets):
            break
        parsed = _ip(hop)
        if parsed is None:
            break
        current = parsed
    return str(current)


@dataclass(frozen=True)
class ClientKind:
    """What the audit says about a client: its kind and human-readable browser and OS."""

    kind: str
    browser: str
    os: str


@lru_cache(maxsize=2048)
def describe(user_agent: str, *, token_grant: bool = False) -> ClientKind:
    """Classify a client as ``pc``, ``mobile`` (phone browser), ``wechat`` or ``app``.

    A token grant (``/oauth2/access_token``) is the app unless its UA says WeChat. WeChat's
    in-app browser says ``MicroMessenger``; phones are recognised by ua-parser's OS family.
    """
    from ua_parser import parse

    ua = user_agent or ""
    parsed = parse(ua[:512])
    browser = parsed.user_agent.family if parsed.user_agent else "Other"
    os_family = parsed.os.family if parsed.os else "Other"
    lowered = ua.lower()
    if "micromessenger" in lowered:
        kind = WECHAT
    elif token_grant or any(m in lowered for m in _APP_MARKERS):
        kind = APP
    elif os_family in _MOBILE_OS or " mobile" in lowered:
        kind = MOBILE
    else:
        kind = PC
    return ClientKind(kind, browser, os_family)
