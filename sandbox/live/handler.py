"""HTTP requests of the live provider sandbox (``server.LiveSandbox``): pushes, stops, plays, the API."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sandbox.faceapis.signatures import Received
from xueshi_livestream.providers import get

if TYPE_CHECKING:
    from .server import LiveSandbox


class RequestHandler(BaseHTTPRequestHandler):
    """The sandbox's HTTP face; ``owner`` is set by ``LiveSandbox.start`` on a subclass."""

    owner: LiveSandbox

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")  # players fetch from the site's pages
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/":  # the provider's cloud API (stream state, push history)
            length = int(self.headers.get("Content-Length") or 0)
            headers = {k.lower(): v for k, v in self.headers.items()}
            received = Received("POST", "/", parts.query, headers, self.rfile.read(min(length, 65536)))
            status, answer = self.owner.answer_api(received)
            return self._send(status, json.dumps(answer).encode(), "application/json")
        lose = parts.query.split("&")
        if parts.path.startswith("/_sandbox/push/"):
            path = parts.path.removeprefix("/_sandbox/push")
            status, reason = self.owner.push(path, parts.query, lose_start="lose=start" in lose)
        elif parts.path.startswith("/_sandbox/stop/"):
            status, reason = self.owner.stop(parts.path.rsplit("/", 1)[-1], lose_stop="lose=stop" in lose)
        else:
            status, reason = 404, "not_found"
        self._send(status, json.dumps({"result": reason}).encode(), "application/json")

    def do_GET(self) -> None:
        owner, parts = self.owner, urlsplit(self.path)
        segments = parts.path.strip("/").split("/")
        if parts.path == "/":
            return self._send(200, owner.page(), "text/html; charset=utf-8")
        if len(segments) == 2 and segments[0] == "record" and segments[1].endswith(".mp4"):
            found = (
                owner.root
                / segments[1].removesuffix(".mp4")
                / (segments[1].removesuffix(".mp4") + ".rec.mp4")
            )
            return (
                self._send(200, found.read_bytes(), "video/mp4") if found.is_file() else self._send(404, b"")
            )
        if len(segments) != 2 or segments[0] != owner.app:
            return self._send(404, b"not found")
        name = segments[1]
        if name.endswith(".m3u8"):
            stream = name.removesuffix(".m3u8")
            if not get(owner.provider).verify_url(parts.path, parts.query, time.time(), owner.key):
                owner.refused.append(f"play {stream}: bad or expired signature")
                return self._send(403, b"forbidden")
            playlist = owner.root / stream / name
            if stream not in owner.pushes or not playlist.is_file():
                return self._send(404, b"not on air")
            lines = []
            for line in playlist.read_text().splitlines():
                if line and not line.startswith("#"):
                    line = f"{line}?{owner.signed_for_segment(f'/{owner.app}/{line}', parts.query)}"
                lines.append(line)
            return self._send(200, ("\n".join(lines) + "\n").encode(), "application/vnd.apple.mpegurl")
        if name.endswith(".ts"):
            if not owner.segment_allowed(parts.path, parts.query):
                owner.refused.append(f"segment {name}: bad or expired signature")
                return self._send(403, b"forbidden")
            found = owner.root / name.rsplit("_", 1)[0] / name
            return (
                self._send(200, found.read_bytes(), "video/mp2t") if found.is_file() else self._send(404, b"")
            )
        return self._send(404, b"not found")
