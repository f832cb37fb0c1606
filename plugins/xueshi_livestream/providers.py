"""Adapters for the live providers: signed push and play URLs, and their signed stream callbacks.

Both schemes are MD5 URL signatures over a shared key, as the providers document them:

- Tencent Cloud Live (云直播 CSS): ``txTime`` is the expiry as upper-case hex Unix time and
  ``txSecret = MD5(key + StreamName + txTime)``; callbacks are JSON POSTs carrying ``t`` (the
  notice's own expiry) and ``sign = MD5(callback key + t)``; ``event_type`` 1 is push start, 0
  push stop, 100 a recording file (``video_url``).
- Alibaba Cloud ApsaraVideo Live (视频直播): ``auth_key = timestamp-rand-uid-md5hash`` with
  ``md5hash = MD5("URI-timestamp-rand-uid-key")``, valid until timestamp + the domain's validity;
  stream callbacks are GETs (``action`` ``publish``/``publish_done``, ``id`` the stream) and
  recording callbacks JSON POSTs (``uri``), both signed in the headers ``ALI-LIVE-TIMESTAMP`` and
  ``ALI-LIVE-SIGNATURE = MD5(domain|timestamp|key)``.

The ``verify_*`` and ``sign_callback`` halves are what the provider does; the sandbox live server
(``sandbox/live``) uses them, so tests check our URLs the way the provider would (ADR 0350).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode

from . import conf

STREAM_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
START, STOP, RECORDING = "start", "stop", "recording"


def md5(text: str) -> str:
    """Lower-case hex MD5 of UTF-8 text (the providers' signature primitive)."""
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two signatures (case-insensitive hex)."""
    return hmac.compare_digest(a.lower().encode(), b.lower().encode())


@dataclass(frozen=True)
class StreamEvent:
    """A verified provider callback: the stream went on air, went off, or a recording is ready."""

    kind: str
    stream: str
    at: float
    sequence: str = ""
    recording_url: str = ""


class CallbackRefused(Exception):
    """A callback that is not the provider's (bad signature, expired) or not understood: a 4xx."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


class Provider(Protocol):
    """What the live app needs of a provider."""

    name: str

    def push_url(self, stream: str, expires: int) -> str:
        """The teacher's signed RTMP push URL, valid until ``expires`` (epoch seconds)."""
        ...

    def play_url(self, stream: str, expires: int) -> str:
        """A learner's signed HLS play URL, valid until ``expires``."""
        ...

    def verify_url(self, path: str, query: str, now: float, key: str) -> bool:
        """The provider's check of a signed URL's path and query at ``now`` with ``key``."""
        ...

    def parse_callback(self, method: str, body: bytes, query: str, headers: Any, now: float) -> StreamEvent:
        """A verified callback as a ``StreamEvent``; raises ``CallbackRefused`` otherwise."""
        ...


def _one(query: str, name: str) -> str:
    values = parse_qs(query, keep_blank_values=True).get(name) or [""]
    return values[0]


def _stream_of(path: str) -> str:
    """The StreamName of ``/app/stream.m3u8`` or ``/app/stream``, '' if the path is neither."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return ""
    name = parts[1].removesuffix(".m3u8")
    return name if STREAM_NAME.match(name) else ""


class Tencent:
    """Tencent Cloud Live (CSS): ``txSecret``/``txTime`` URLs, ``sign = MD5(key + t)`` callbacks."""

    name = "tencent"

    @staticmethod
    def token(key: str, stream: str, expires: int) -> str:
        """The ``txSecret``/``txTime`` query of ``stream`` expiring at ``expires``."""
        tx_time = f"{int(expires):X}"
        return urlencode({"txSecret": md5(key + stream + tx_time), "txTime": tx_time})

    def push_url(self, stream: str, expires: int) -> str:
        """The signed RTMP push URL (push key = ``XUESHI_LIVE_AUTH_KEY``)."""
        token = self.token(conf.auth_key(), stream, expires)
        return f"rtmp://{conf.push_domain()}/{conf.app_name()}/{stream}?{token}"

    def play_url(self, stream: str, expires: int) -> str:
        """The signed HLS play URL (play key)."""
        token = self.token(conf.play_key(), stream, expires)
        return f"{conf.play_scheme()}://{conf.play_domain()}/{conf.app_name()}/{stream}.m3u8?{token}"

    def verify_url(self, path: str, query: str, now: float, key: str) -> bool:
        """The provider's check of a push or play URL (the signature covers the stream name only)."""
        stream, tx_time, secret = _stream_of(path), _one(query, "txTime"), _one(query, "txSecret")
        try:
            expires = int(tx_time, 16)
        except ValueError:
            return False
        return bool(stream) and expires >= now and same(secret, md5(key + stream + tx_time))

    def parse_callback(self, method: str, body: bytes, query: str, headers: Any, now: float) -> StreamEvent:
        """Verify ``sign = MD5(key + t)`` and ``t`` not past, then read the event."""
        if method != "POST":
            raise CallbackRefused(405, "method_not_allowed")
        try:
            data = _object(body)
            t = int(data.get("t", ""))
        except (TypeError, ValueError) as exc:
            raise CallbackRefused(400, "malformed") from exc
        if not same(str(data.get("sign") or ""), md5(conf.callback_key() + str(t))):
            raise CallbackRefused(403, "bad_signature")
        if t < now:  # ``t`` is the notice's expiry: a replayed old notice is refused
            raise CallbackRefused(403, "expired")
        kinds = {1: START, 0: STOP, 100: RECORDING}
        event_type = data.get("event_type")
        kind = kinds.get(event_type) if isinstance(event_type, int) else None
        stream = str(data.get("stream_id") or data.get("channel_id") or "")
        if kind is None or not STREAM_NAME.match(stream):
            raise CallbackRefused(400, "unknown_event")
        at = data.get("event_time") if kind != RECORDING else data.get("end_time")
        return StreamEvent(
            kind, stream, _epoch(at, now), str(data.get("sequence") or ""), _url(data, "video_url")
        )

    @staticmethod
    def sign_callback(payload: dict[str, Any], key: str, now: float) -> tuple[bytes, dict[str, str]]:
        """The provider's side: a signed notice body valid for ``conf.callback_window()`` seconds."""
        t = int(now) + conf.callback_window()
        body = {**payload, "t": t, "sign": md5(key + str(t))}
        return json.dumps(body).encode(), {"Content-Type": "application/json"}


class Aliyun:
    """Alibaba Cloud ApsaraVideo Live: ``auth_key`` URLs (type A), ``ALI-LIVE-SIGNATURE`` callbacks."""

    name = "aliyun"

    @staticmethod
    def token(key: str, uri: str, expires: int, rand: str = "") -> str:
        """The ``auth_key`` query of ``uri`` valid until ``expires`` (timestamp = expiry - validity)."""
        timestamp = int(expires) - conf.aliyun_validity()
        rand = rand or uuid.uuid4().hex
        return "auth_key=" + f"{timestamp}-{rand}-0-" + md5(f"{uri}-{timestamp}-{rand}-0-{key}")

    def push_url(self, stream: str, expires: int) -> str:
        """The signed RTMP push URL (URI ``/app/stream``)."""
        uri = f"/{conf.app_name()}/{stream}"
        return f"rtmp://{conf.push_domain()}{uri}?{self.token(conf.auth_key(), uri, expires)}"

    def play_url(self, stream: str, expires: int) -> str:
        """The signed HLS play URL (URI ``/app/stream.m3u8``)."""
        uri = f"/{conf.app_name()}/{stream}.m3u8"
        return f"{conf.play_scheme()}://{conf.play_domain()}{uri}?{self.token(conf.play_key(), uri, expires)}"

    def verify_url(self, path: str, query: str, now: float, key: str) -> bool:
        """The provider's check: the hash covers the exact URI, valid until timestamp + validity."""
        parts = _one(query, "auth_key").split("-")
        if len(parts) != 4 or not parts[0].isdigit():
            return False
        timestamp, rand, uid, given = parts
        expected = md5(f"{path}-{timestamp}-{rand}-{uid}-{key}")
        return int(timestamp) + conf.aliyun_validity() >= now and same(given, expected)

    def parse_callback(self, method: str, body: bytes, query: str, headers: Any, now: float) -> StreamEvent:
        """Verify the ``ALI-LIVE-SIGNATURE`` header and its timestamp, then read the event."""
        stamp = str(headers.get("ALI-LIVE-TIMESTAMP") or "")
        signature = str(headers.get("ALI-LIVE-SIGNATURE") or "")
        if method == "GET":  # stream ingest callback: the ingest domain is in the query
            domain = _one(query, "app") or conf.push_domain()
            action, stream = _one(query, "action"), _one(query, "id")
            at: Any = _one(query, "time")
            kind, url = {"publish": START, "publish_done": STOP}.get(action), ""
        elif method == "POST":  # recording callback: JSON body
            try:
                data = _object(body)
                domain, stream, at = str(data["domain"]), str(data["stream"]), data.get("stop_time")
            except (ValueError, KeyError) as exc:
                raise CallbackRefused(400, "malformed") from exc
            kind, url = RECORDING, _url(data, "uri")
        else:
            raise CallbackRefused(405, "method_not_allowed")
        if not (stamp.isdigit() and same(signature, md5(f"{domain}|{stamp}|{conf.callback_key()}"))):
            raise CallbackRefused(403, "bad_signature")
        if abs(now - int(stamp)) > conf.callback_window():
            raise CallbackRefused(403, "expired")
        if kind is None or not STREAM_NAME.match(stream):
            raise CallbackRefused(400, "unknown_event")
        return StreamEvent(kind, stream, _epoch(at, now), stamp, url)

    @staticmethod
    def sign_callback(domain: str, key: str, now: float) -> dict[str, str]:
        """The provider's side: the two signature headers of a callback about ``domain``."""
        stamp = str(int(now))
        return {"ALI-LIVE-TIMESTAMP": stamp, "ALI-LIVE-SIGNATURE": md5(f"{domain}|{stamp}|{key}")}


def _object(body: bytes) -> dict[str, Any]:
    """A callback's JSON object, read by the one guarded reader (depth, size, NaN: ADR 0020)."""
    from xueshi_core.jsonbody import loads_object

    return loads_object(body or b"{}", max_bytes=16 * 1024)


def _epoch(value: Any, now: float) -> float:
    """An event time in epoch seconds; the receive time when absent or implausible (±1 day)."""
    try:
        at = float(value)
    except (TypeError, ValueError):
        return now
    return at if abs(at - now) < 86400 else now


def _url(data: dict[str, Any], name: str) -> str:
    value = str(data.get(name) or "")
    return value if value.startswith(("http://", "https://")) and len(value) < 1000 else ""


def get(name: str = "") -> Provider:
    """The configured provider's adapter (``XUESHI_LIVE_PROVIDER``), or the one named."""
    chosen = name or conf.provider()
    adapters: dict[str, Provider] = {"tencent": Tencent(), "aliyun": Aliyun()}
    if chosen not in adapters:
        raise LookupError(f"no live provider {chosen!r}")
    return adapters[chosen]
