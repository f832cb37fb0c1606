"""``python -m sandbox.objectstore.gate``: the object store's front door, on loopback.

Requests with a presigned URL are checked (``sigv4.check``) and refused with S3's own XML error
when forged, altered or expired; SDK requests (an ``Authorization`` header: the LMS's own calls)
pass; anything else is refused (a private bucket). Allowed requests are relayed to moto's S3
server unchanged. Options: ``--port``, ``--upstream`` (moto's port), ``--keys ID=SECRET,…``.
"""

from __future__ import annotations

import argparse
import http.client
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .sigv4 import check

RELAYED = ("content-type", "content-length", "etag", "last-modified", "accept-ranges", "content-range")


class Gate(BaseHTTPRequestHandler):
    """Check, then relay to moto."""

    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read answers, not logs."""

    def _refuse(self, code: str) -> None:
        body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code></Error>'.encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        path, _, query = self.path.partition("?")
        headers = dict(self.headers.items())
        if "X-Amz-Signature=" in query:
            refused = check(self.command, path, query, headers, self.server.keys, time.time())
            if refused:
                return self._refuse(refused)
        elif "Authorization" not in self.headers:
            return self._refuse("AccessDenied")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() in RELAYED and name.lower() != "content-length":
                self.send_header(name, value)
        head = self.command == "HEAD"
        length = (answer.getheader("Content-Length") or "0") if head else str(len(data))
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        upstream.close()

    do_GET = do_PUT = do_POST = do_DELETE = _handle

    def do_HEAD(self) -> None:
        self._handle()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--keys", required=True, help="ID=SECRET,...")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Gate)
    server.upstream = args.upstream  # type: ignore[attr-defined]
    server.keys = dict(pair.split("=", 1) for pair in args.keys.split(","))  # type: ignore[attr-defined]
    server.serve_forever()


if __name__ == "__main__":
    main()
