"""Proof that the video was delivered: media URLs signed for the learner, block and session.

A script that replays the heartbeat protocol never needs the video itself. The player's media URLs
(those under ``XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES``) therefore carry ``xst=<uid>.<block
hash>.<expiry>.<hmac>`` when the page renders (ADR 0052), and ``xst=<uid>.<block
hash>.<expiry>.<session id>.<hmac>`` once a playback session is open (ADR 0053): the open-session
reply carries those and the player switches to them before it plays. The media server verifies
the signature, keeps the learner's fetch log here, and the session's delivered ranges in
``delivery.py``; only the latter earns credit. HLS segments get ``xsr=<start>-<end>`` (their time
span in the playlist), covered by the same HMAC, when the media server rewrites a playlist.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

from . import conf, hotstate

PARAM = "xst"
SPAN = "xsr"  # an HLS segment's time span, "<start>-<end>" seconds, signed with the session
SESSION_ID = re.compile(r"^[0-9a-f-]{36}$")
SPAN_VALUE = re.compile(r"^(\d{1,7}(?:\.\d{1,3})?)-(\d{1,7}(?:\.\d{1,3})?)$")

RECORD_LUA = """
redis.call('HSET', KEYS[1], 'at', ARGV[1], 'size', ARGV[3], 'path', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'fetches', 1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


def signed_prefixes() -> tuple[str, ...]:
    """URL paths whose media this deployment serves through a verifying view (sandbox: ``/media/``)."""
    return tuple(getattr(settings, "XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES", ()) or ())


def proof_required() -> bool:
    """Whether a session earns only what media of its block was delivered to it (``delivery.py``)."""
    return bool(getattr(settings, "XUESHI_STUDYTIME_MEDIA_PROOF", False)) and bool(signed_prefixes())


#: Session hash field: "1" when the session's sources are served through our verifying view.
SERVED_FIELD = "sv"


def mark_served(user_id: int, session_id: str) -> None:
    """Record on the session that its media is ours to serve (``sign_media_urls``)."""
    hotstate.client().hset(hotstate.Keys(user_id).session(session_id), SERVED_FIELD, "1")


def served(session_fields: dict[str, str]) -> bool:
    """Whether a session (its hash, as the heartbeat read it) plays media we serve and log."""
    return session_fields.get(SERVED_FIELD) == "1"


def log_key(user_id: int, usage_hex: str) -> str:
    """Fetch log of one learner and block (a hash: at, bytes, fetches, size, path)."""
    return hotstate.Keys(user_id).media(usage_hex)


@dataclass(frozen=True)
class Signed:
    """Who a verified media URL was signed for: the learner and block, and maybe a session and span."""

    user_id: int
    usage_hex: str
    session_id: str = ""
    span: tuple[float, float] | None = None


def _mac(user_id: int, usage_hex: str, path: str, expires: int, key: bytes, bound: str = "") -> str:
    message = f"media|{user_id}|{usage_hex}|{path}|{expires}{bound}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def _bound(session_id: str, span: str) -> str:
    """The session part of the signed message ('' for a learner-only URL, the ADR 0052 format)."""
    return f"|{session_id}|{span}" if session_id else ""


def span_text(span: tuple[float, float]) -> str:
    """An HLS segment's span as carried in ``xsr`` (millisecond precision)."""
    return f"{span[0]:.3f}-{span[1]:.3f}"


def sign_url(
    url: str,
    user_id: int,
    usage_hex: str,
    now: float,
    session_id: str = "",
    span: tuple[float, float] | None = None,
) -> str:
    """``url`` signed for the learner (and session, and segment span) when its path is one we serve.

    Other URLs are returned unchanged.
    """
    parts = urlsplit(url)
    if not any(parts.path.startswith(prefix) for prefix in signed_prefixes()):
        return url
    expires = int(now) + conf.token_ttl_seconds()
    spanned = span_text(span) if span and session_id else ""
    bound = _bound(session_id, spanned)
    mac = _mac(user_id, usage_hex, parts.path, expires, conf.token_keys()[0], bound)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (PARAM, SPAN)]
    middle = f".{session_id}" if session_id else ""
    query.append((PARAM, f"{user_id}.{usage_hex}.{expires}{middle}.{mac}"))
    if spanned:
        query.append((SPAN, spanned))
    return urlunsplit(parts._replace(query=urlencode(query)))


def verify(path: str, value: str, now: float, span: str = "") -> Signed | None:
    """Who a valid, unexpired signature for ``path`` was made for; ``None`` otherwise.

    ``span`` is the URL's ``xsr`` value: it is part of a session signature, so a segment's span
    cannot be stretched.
    """
    fields = value.split(".")
    if len(fields) not in (4, 5) or not fields[0].isdigit() or not fields[2].isdigit() or len(fields[0]) > 12:
        return None
    user_id, usage_hex, expires, mac = int(fields[0]), fields[1], int(fields[2]), fields[-1]
    session_id = fields[3] if len(fields) == 5 else ""
    if expires < now or len(usage_hex) != 16 or (len(fields) == 5 and not SESSION_ID.match(session_id)):
        return None
    matched = SPAN_VALUE.match(span) if session_id and span else None
    if span and not matched:
        return None
    bound = _bound(session_id, span if matched else "")
    for key in conf.token_keys():
        if hmac.compare_digest(_mac(user_id, usage_hex, path, expires, key, bound), mac):
            times = (float(matched.group(1)), float(matched.group(2))) if matched else None
            return Signed(user_id, usage_hex, session_id, times)
    return None


def record(user_id: int, usage_hex: str, path: str, sent_bytes: int, size: int, now: float) -> None:
    """Log a delivery (one script): when, how many bytes, of what; kept as long as a token lives."""
    hotstate.script(RECORD_LUA)(
        keys=[log_key(user_id, usage_hex)],
        args=[repr(now), max(0, sent_bytes), size, path[:200], conf.token_ttl_seconds() + 3600],
    )
