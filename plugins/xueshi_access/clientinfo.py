"""What a client is: its device kind from the user agent (its IP: ``xueshi_core.clientip``).

Pure functions (no Django), so they are unit-tested and type-checked on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

PC, MOBILE, WECHAT, APP = "pc", "mobile", "wechat", "app"
DEVICE_KINDS = (PC, MOBILE, WECHAT, APP)
# Open edX's mobile apps name themselves in the UA ("edX/org.edx.mobile/..." on iOS,
# "... org.edx.mobile/..." on Android, the new Flutter/Kotlin apps "openedx-app").
_APP_MARKERS = ("org.edx.mobile", "openedx-app", "openedx/mobile")
_MOBILE_OS = {"Android", "iOS", "HarmonyOS", "Windows Phone", "BlackBerry OS", "KaiOS"}


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
