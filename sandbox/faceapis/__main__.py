"""``python -m sandbox.faceapis tencent|aliyun [--port N] [--key-id ID --secret SECRET]``."""

from __future__ import annotations

import argparse

from . import aliyun, tencent
from .server import SandboxServer


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a cloud face API sandbox on 127.0.0.1")
    parser.add_argument("vendor", choices=("tencent", "aliyun"))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key-id", default="sandbox-key-id")
    parser.add_argument("--secret", default="sandbox-secret")
    args = parser.parse_args()
    module = tencent if args.vendor == "tencent" else aliyun
    server = SandboxServer(module.handler({args.key_id: args.secret}), args.port, module.CONTENT_TYPE)
    print(f"{args.vendor} face API sandbox on http://{server.endpoint} (key id {args.key_id})", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
