"""The live provider sandbox (ADR 0354): what Tencent Cloud Live or ApsaraVideo Live does, on loopback.

- A *push* is a POST of the signed push URL's path and query (``/_sandbox/push/live/<stream>?...``):
  the signature is checked with the provider's own rule, then ffmpeg encodes a test picture
  (``lavfi testsrc``) in real time into a sliding-window HLS live playlist, and a recording (MP4)
  beside it. When the first playlist exists the sandbox sends the signed push-start callback.
- A *play* is a GET of ``/live/<stream>.m3u8`` with the play signature; forged or expired ones get
  403, as at the provider's edge. Segment URIs in the playlist are signed again, and checked too.
- ``/_sandbox/stop/live/<stream>`` ends the push (ffmpeg's ``q``): the push-stop callback, then
  the recording callback with the recording's URL (``/record/<stream>.mp4``).
- ``POST /`` is the vendor's cloud API for stream states and push history (``api.py``), signed as
  the SDKs sign.
- ``?lose=start`` on a push, ``?lose=stop`` on a stop, drop that callback (the site was unreachable
  for all the provider's retries); the API still tells (ADR 0356, 0358).
- ``others`` are streams pushed by encoders the sandbox does not run (other lessons on the same
  account), listed online with the real ones; ``failing`` makes an action answer the vendor's
  internal error (``error``) or a 200 answer without its list (``garbled``), as during an outage.
- ``/`` lists streams, what was refused, the callbacks sent and the state queries answered.
"""

from __future__ import annotations

import html
import json
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sandbox.faceapis.signatures import Received
from xueshi_livestream.providers import STREAM_NAME, Aliyun, Tencent, get

from . import api
from .handler import RequestHandler
from .site import API_KEY_ID, API_SECRET

FFMPEG = "/usr/bin/ffmpeg"


@dataclass
class Push:
    """One stream being pushed: its ffmpeg and when it went on air."""

    process: subprocess.Popen[bytes]
    started: float
    sequence: str


@dataclass
class LiveSandbox:
    """The sandbox provider; ``start()`` serves it on ``127.0.0.1:port`` in a thread."""

    provider: str
    key: str
    callback_url: str
    push_domain: str = "push.sandbox.invalid"
    app: str = "live"
    port: int = 0
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="xueshi-live-")))
    pushes: dict[str, Push] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    callbacks: list[str] = field(default_factory=list)
    api_secrets: dict[str, str] = field(default_factory=lambda: {API_KEY_ID: API_SECRET})
    nonces: set[str] = field(default_factory=set)
    queries: list[str] = field(default_factory=list)
    ended: list[tuple[str, float, float]] = field(default_factory=list)  # (app/stream, started, stopped)
    others: dict[str, float] = field(default_factory=dict)  # stream -> started, pushed elsewhere
    failing: dict[str, str] = field(default_factory=dict)  # action -> "error" or "garbled"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> LiveSandbox:
        """Serve in a daemon thread; ``self.port`` is the bound port."""
        sandbox = self

        class Handler(RequestHandler):
            owner = sandbox

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        """Stop every push and the server."""
        for stream in list(self.pushes):
            self.stop(stream, notify=False)
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:<port>``: the play domain the site signs play URLs for."""
        return f"127.0.0.1:{self.port}"

    # -- pushing ------------------------------------------------------------------------------
    def push(self, path: str, query: str, lose_start: bool = False) -> tuple[int, str]:
        """Start a push if its URL is signed for it; ``(status, reason)``.

        ``lose_start``: the start callback is lost on the way; the stream-state API still tells.
        """
        stream = path.strip("/").split("/")[-1]
        if not (STREAM_NAME.match(stream) and path == f"/{self.app}/{stream}"):
            return 404, "unknown_stream"
        if not get(self.provider).verify_url(path, query, time.time(), self.key):
            self.refused.append(f"push {stream}: bad or expired signature")
            return 403, "forbidden"
        with self.lock:
            if stream in self.pushes:
                return 409, "already_pushing"
            folder = self.root / stream
            folder.mkdir(parents=True, exist_ok=True)
            process = subprocess.Popen(_ffmpeg(folder, stream), stdin=subprocess.PIPE)
            self.pushes[stream] = Push(process, time.time(), uuid.uuid4().hex)
        playlist = folder / f"{stream}.m3u8"
        for _ in range(200):  # the provider calls back once data flows
            if playlist.exists():
                break
            time.sleep(0.05)
        if lose_start:
            self.callbacks.append(f"start {stream} -> lost")
        else:
            self.notify(stream, "start")
        return 200, "pushing"

    def stop(self, stream: str, notify: bool = True, lose_stop: bool = False) -> tuple[int, str]:
        """End a push: ffmpeg finishes the recording, then the stop and recording callbacks.

        ``lose_stop``: the stop callback is lost on the way (the recording's still comes), as when
        the site was unreachable for the provider's retries; the stream-state API still tells.
        """
        with self.lock:
            push = self.pushes.pop(stream, None)
        if push is None:
            return 404, "not_pushing"
        try:
            push.process.communicate(b"q", timeout=20)
        except subprocess.TimeoutExpired:
            push.process.kill()
            push.process.wait()
        self.ended.append((f"{self.app}/{stream}", push.started, time.time()))
        if notify and lose_stop:
            self.callbacks.append(f"stop {stream} -> lost")
        elif notify:
            self.notify(stream, "stop", push.sequence)
        if notify:
            url = f"http://{self.endpoint}/record/{stream}.mp4"
            threading.Thread(target=self.notify, args=(stream, "recording", push.sequence, url)).start()
        return 200, "stopped"

    def answer_api(self, request: Received) -> tuple[int, dict[str, Any]]:
        """The cloud API (``api.py``): signed like the vendor's, answered from the pushes."""
        online = {f"{self.app}/{name}": started for name, started in self.others.items()}
        online.update({f"{self.app}/{name}": push.started for name, push in list(self.pushes.items())})
        pushes = api.Pushes(online, list(self.ended))
        action = request.headers.get("x-tc-action") or request.headers.get("x-acs-action") or ""
        if action in self.failing:
            self.queries.append(f"{action}: {self.failing[action]}")
            return api.failure(self.provider, self.failing[action])
        if self.provider == "tencent":
            status, body = api.tencent(request, self.api_secrets, self.push_domain, pushes)
            error = body["Response"].get("Error", {}).get("Code", "")
        else:
            status, body = api.aliyun(request, self.api_secrets, self.endpoint, pushes, self.nonces)
            error = str(body.get("Code", ""))
        self.queries.append(f"{action}: {error or 'answered'}")
        return status, body

    # -- callbacks ----------------------------------------------------------------------------
    def notify(
        self, stream: str, kind: str, sequence: str = "", url: str = "", at: float | None = None
    ) -> int:
        """Send the provider's signed callback for ``kind`` (start, stop, recording); the HTTP status.

        ``at``: when the event happened, if not now (a retry carries its event's original time).
        """
        now = time.time()
        event_at = int(now if at is None else at)
        if self.provider == "tencent":
            event = {"start": 1, "stop": 0, "recording": 100}[kind]
            payload = {
                "event_type": event,
                "stream_id": stream,
                "channel_id": stream,
                "app": self.push_domain,
            }
            payload.update(appname=self.app, event_time=event_at, sequence=sequence, end_time=event_at)
            if url:
                payload["video_url"] = url
            body, headers = Tencent.sign_callback(payload, self.key, now)
            request = urllib.request.Request(  # noqa: S310 (the site on loopback)
                self.callback_url, data=body, headers=headers, method="POST"
            )
        elif kind == "recording":
            host = urlsplit(self.callback_url).hostname or ""
            data = {"domain": host, "app": self.app, "stream": stream, "uri": url, "stop_time": int(now)}
            headers = {"Content-Type": "application/json", **Aliyun.sign_callback(host, self.key, now)}
            body = json.dumps(data).encode()
            request = urllib.request.Request(  # noqa: S310 (the site on loopback)
                self.callback_url, data=body, headers=headers, method="POST"
            )
        else:
            action = "publish" if kind == "start" else "publish_done"
            query = f"action={action}&app={self.push_domain}&appname={self.app}&id={stream}&time={event_at}"
            headers = Aliyun.sign_callback(self.push_domain, self.key, now)
            request = urllib.request.Request(  # noqa: S310 (the site on loopback)
                f"{self.callback_url}?{query}", headers=headers
            )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        self.callbacks.append(f"{kind} {stream} -> {status}")
        return status

    # -- playing ------------------------------------------------------------------------------
    def signed_for_segment(self, segment_path: str, query: str) -> str:
        """The query a playlist gives a segment URI: the play token (Tencent) or one for its path."""
        if self.provider == "tencent":
            return query
        parts = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("auth_key", "").split("-")
        expires = int(parts[0]) + _validity() if parts and parts[0].isdigit() else int(time.time())
        return Aliyun.token(self.key, segment_path, expires)

    def segment_allowed(self, path: str, query: str) -> bool:
        """A segment is served under the signature its playlist gave it."""
        adapter, now = get(self.provider), time.time()
        if self.provider == "tencent":
            stream = path.rsplit("/", 1)[-1].rsplit("_", 1)[0]
            return adapter.verify_url(f"/{self.app}/{stream}.m3u8", query, now, self.key)
        return adapter.verify_url(path, query, now, self.key)

    def page(self) -> bytes:
        """What a newcomer looks at: streams on air, refusals, callbacks."""
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.pushes)
        refused = "".join(f"<li>{html.escape(r)}</li>" for r in self.refused[-50:])
        sent = "".join(f"<li>{html.escape(c)}</li>" for c in self.callbacks[-50:])
        asked = "".join(f"<li>{html.escape(q)}</li>" for q in self.queries[-50:])
        return (
            f"<!doctype html><meta charset='utf-8'><title>Live sandbox ({self.provider})</title>"
            f"<h1>Live sandbox ({html.escape(self.provider)})</h1><h2>On air</h2><ul id=streams>{items}</ul>"
            f"<h2>Refused</h2><ul id=refused>{refused}</ul><h2>Callbacks</h2><ul id=callbacks>{sent}</ul>"
            f"<h2>Stream-state queries</h2><ul id=queries>{asked}</ul>"
        ).encode()


def _validity() -> int:
    from xueshi_livestream import conf

    return conf.aliyun_validity()


def _ffmpeg(folder: Path, stream: str) -> list[str]:
    """A real-time test picture encoded once, written as a live HLS window and as the recording."""
    hls = (
        f"[f=hls:hls_time=1:hls_list_size=6:hls_flags=delete_segments+independent_segments:"
        f"hls_segment_filename={folder}/{stream}_%d.ts]{folder}/{stream}.m3u8"
    )
    record = f"[f=mp4:movflags=+faststart]{folder}/{stream}.rec.mp4"
    return [
        FFMPEG, "-hide_banner", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", "testsrc=size=320x180:rate=15",
        "-map", "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
        "-g", "15", "-pix_fmt", "yuv420p", "-f", "tee", f"{hls}|{record}",
    ]  # fmt: skip
