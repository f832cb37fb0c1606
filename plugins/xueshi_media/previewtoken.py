"""Preview (试听) tokens: a credit-free grant to play one block's library video (ADR 0325).

A preview is not a playback session: no lease, no ledger signature, nothing delivered "for
credit". Its token therefore has its own message domain and key (derived from ``SECRET_KEY`` for
this purpose, or ``XUESHI_MEDIA_PREVIEW_KEYS`` newest first), so it can never pass as a ledger
signature nor a ledger signature as a preview.

``xpv=<asset>.<block hash>.<viewer>.<limit>.<expires>.<mac>``: the asset it plays, the 试听 block
it was minted for, the viewer (``s<hash of the Django session key>`` when the visitor has a
session, so a copied URL fails in another browser; ``a<random>`` otherwise, a bearer grant for its
short life), the signed preview limit in seconds (0 = the whole video) and its expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings

from . import conf

PARAM = "xpv"
HEX32 = r"([0-9a-f]{32})"
TOKEN = re.compile(rf"^{HEX32}\.([0-9a-f]{{16}})\.([sa][0-9a-f]{{16}})\.(\d{{1,6}})\.(\d{{1,12}})\.{HEX32}$")


@dataclass(frozen=True)
class Grant:
    """What a valid preview token allows: one asset, for one viewer, up to ``limit`` seconds (0 = all)."""

    asset: str
    block: str
    viewer: str
    limit: int
    expires: int


class Refused(Exception):
    """A preview request refused: ``code`` is the machine reason (403 body ``error``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def keys() -> list[bytes]:
    """Signing keys, newest first; without any, one derived from ``SECRET_KEY`` for previews only."""
    listed = [k.encode("utf-8") if isinstance(k, str) else bytes(k) for k in conf.preview_keys()]
    return listed or [hashlib.sha256(b"xueshi_media.preview|" + str(settings.SECRET_KEY).encode()).digest()]


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def viewer_of(session_key: str | None) -> str:
    """The viewer id of a token: the visitor's session (hashed), else a fresh random id."""
    return "s" + _short(session_key) if session_key else "a" + secrets.token_hex(8)


def block_hash(usage_key: str) -> str:
    """The 试听 block a token was minted for (its usage key, hashed)."""
    return _short(str(usage_key))


def effective_limit(operator: int, author: int) -> int:
    """The preview's cap in seconds: the smaller of the operator's and the author's (0 = no cap)."""
    caps = [int(c) for c in (operator, author) if c and int(c) > 0]
    return min(caps) if caps else 0


def _mac(asset: str, block: str, viewer: str, limit: int, expires: int, key: bytes) -> str:
    message = f"preview|{asset}|{block}|{viewer}|{limit}|{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def mint(asset: str, usage_key: str, session_key: str | None, limit: int, now: float, ttl: int) -> str:
    """A token for ``asset`` minted by the 试听 block ``usage_key``, valid ``ttl`` seconds."""
    viewer, block, expires = viewer_of(session_key), block_hash(usage_key), int(now) + ttl
    mac = _mac(asset, block, viewer, limit, expires, keys()[0])
    return f"{asset}.{block}.{viewer}.{limit}.{expires}.{mac}"


def verify(token: str, asset: str, session_key: str | None, now: float) -> Grant:
    """The grant of a valid token for ``asset`` and this visitor.

    Raises:
        Refused: ``bad_preview_token`` (missing, malformed or forged), ``preview_expired``,
            ``other_video`` (minted for another asset), ``other_visitor`` (another session's).
    """
    found = TOKEN.match(token or "")
    if found is None:
        raise Refused("bad_preview_token")
    grant = Grant(found[1], found[2], found[3], int(found[4]), int(found[5]))
    macs = (_mac(grant.asset, grant.block, grant.viewer, grant.limit, grant.expires, k) for k in keys())
    if not any(hmac.compare_digest(mac, found[6]) for mac in macs):
        raise Refused("bad_preview_token")
    if grant.expires < now:
        raise Refused("preview_expired")
    if grant.asset != asset:
        raise Refused("other_video")
    if grant.viewer.startswith("s") and (not session_key or grant.viewer != "s" + _short(session_key)):
        raise Refused("other_visitor")
    return grant
