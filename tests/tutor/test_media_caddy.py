"""The rendered Caddyfile, served by the Caddy that Tutor 22 runs, delivers verified media (ADR 0320).

Tutor's Caddy fronts the LMS; after Django has checked a segment's signature, learner and session
it answers with ``X-Accel-Redirect`` and no body, and Caddy must send the bytes from the internal
file server (the ``xueshi-media-files`` service, the same ``caddy file-server`` command). Only the
container names are pointed at loopback; the LMS is a stand-in that answers as ``delivery.serve``
does and, like uwsgi's ``static-map``, would hand out MEDIA_ROOT under ``/media/``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import threading
import time
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks.media import caddy as media_caddy

from .conftest import Tutor

pytestmark = pytest.mark.tutor

ASSET = "0123456789abcdef0123456789abcdef"
SEGMENT = f"xueshi-media/{ASSET}/720p/seg_00001.ts"
HOST = media_caddy.HOST


def _caddy() -> str:
    try:
        return media_caddy.binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Lms(BaseHTTPRequestHandler):
    """Answers like the LMS behind Caddy: verified media as X-Accel-Redirect, MEDIA_ROOT as uwsgi."""

    media_root: t.ClassVar[Path]
    received: t.ClassVar[list[tuple[str, str, int]]] = []

    def log_message(self, *args: t.Any) -> None:
        """Quiet."""

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/xueshi/media/hls/") and "xsr=good" in self.path:
            self._send(
                200,
                Content_Type="video/mp2t",
                X_Accel_Redirect="/xueshi-media-internal/" + SEGMENT,
                Cache_Control="private, no-store",
            )
        elif path.startswith("/xueshi/media/hls/"):
            self._send(403, b'{"error": "bad_signature"}', Content_Type="application/json")
        elif path.startswith("/media/"):  # uwsgi's static-map = /media=/openedx/media/
            self._send(200, (self.media_root / path.removeprefix("/media/")).read_bytes())
        else:  # a page whose header Caddy must not act on: outside /xueshi/media/
            self._send(200, b"page", X_Accel_Redirect="/xueshi-media-internal/" + SEGMENT)

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(length)  # short when Caddy cut the body at its limit
        self.received.append(("PUT", self.path, len(data)))
        self._send(200, b"{}", Content_Type="application/json")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def served(enabled: Tutor, tmp_path: Path) -> t.Iterator[tuple[int, bytes]]:
    """Caddy with the rendered Caddyfile, the media file server and the LMS stand-in; (port, bytes)."""
    srv = tmp_path / "openedx-media"
    (srv / SEGMENT).parent.mkdir(parents=True)
    segment = os.urandom(300_000)
    (srv / SEGMENT).write_bytes(segment)
    _Lms.media_root, _Lms.received = srv, []
    lms = ThreadingHTTPServer(("127.0.0.1", 0), _Lms)
    threading.Thread(target=lms.serve_forever, daemon=True).start()

    caddy, files_port, web_port = _caddy(), _free_port(), _free_port()
    env = media_caddy.environment(tmp_path, web_port)
    # The xueshi-media-files service's own command, on loopback.
    compose = enabled.read("local", "docker-compose.prod.yml")
    command = media_caddy.files_command(compose, caddy=caddy, root=srv, listen=f"127.0.0.1:{files_port}")
    caddyfile = media_caddy.adapt(
        enabled.read("apps", "caddy", "Caddyfile"),
        lms=f"127.0.0.1:{lms.server_address[1]}",
        files=f"127.0.0.1:{files_port}",
    )
    (tmp_path / "Caddyfile").write_text(caddyfile, encoding="utf-8")
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(
            [caddy, "run", "--adapter", "caddyfile", "--config", str(tmp_path / "Caddyfile")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "caddy.log").open("wb"),
        ),
    ]
    try:
        _wait_for(files_port)
        _wait_for(web_port)
        yield web_port, segment
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        lms.shutdown()


def _request(port: int, method: str, path: str, body: bytes | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers={"Host": HOST})
    response = connection.getresponse()
    response.read()
    return response


def _get(port: int, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers={"Host": HOST})
    response = connection.getresponse()
    return response, response.read()


def test_verified_segments_are_sent_by_caddy_and_media_root_is_closed(served: tuple[int, bytes]) -> None:
    port, segment = served
    response, body = _get(port, f"/xueshi/media/hls/{ASSET}/720p/seg_00001.ts?xst=t&xsr=good")
    assert response.status == 200
    assert body == segment  # the LMS sent no byte of it
    assert response.getheader("X-Accel-Redirect") is None  # the internal path never reaches learners
    headers = response.getheaders()
    assert ("Cache-Control", "private, no-store") in headers  # the LMS's caching and type are kept
    assert [v for k, v in headers if k == "Content-Type"] == ["video/mp2t"]
    assert len([v for k, v in headers if k == "Content-Length"]) <= 1  # the empty answer's 0 is gone

    refused, body = _get(port, f"/xueshi/media/hls/{ASSET}/720p/seg_00001.ts?xst=t&xsr=forged")
    assert refused.status == 403 and b"bad_signature" in body

    # uwsgi would hand the segment to anyone under /media/: Caddy answers 404 first.
    assert _get(port, f"/media/{SEGMENT}")[0].status == 404

    # A header outside /xueshi/media/ is not acted on: the page is passed on as the LMS sent it.
    page, body = _get(port, "/dashboard")
    assert page.status == 200 and body == b"page"


def test_an_upload_chunk_passes_where_other_lms_bodies_are_limited(served: tuple[int, bytes]) -> None:
    port, _ = served
    chunk = b"\0" * (8 * 1024 * 1024)  # XUESHI_MEDIA_MAX_CHUNK_BYTES, the library's part size
    assert _request(port, "PUT", f"/xueshi/media/uploads/{ASSET}/", chunk).status == 200
    assert ("PUT", f"/xueshi/media/uploads/{ASSET}/", len(chunk)) in _Lms.received
    # Tutor's 4 MB elsewhere: Caddy answers 413 and may cut the connection while the body is sent.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        assert _request(port, "PUT", "/api/other/", chunk).status == 413
    assert all(path != "/api/other/" or size < len(chunk) for _, path, size in _Lms.received)
