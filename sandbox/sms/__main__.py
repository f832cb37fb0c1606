"""``python -m sandbox.sms [aliyun|tencent] [--port N] [--key-id ID --secret S --app-id A]``."""

from __future__ import annotations

import argparse

from . import aliyun, tencent
from .server import Inbox, SmsServer

DEFAULT_KEY_ID, DEFAULT_SECRET = "sandbox-key-id", "sandbox-secret"


def main() -> None:
    parser = argparse.ArgumentParser(description="Run an SMS API sandbox on 127.0.0.1")
    parser.add_argument("vendor", nargs="?", default="aliyun", choices=("aliyun", "tencent"))
    parser.add_argument("--port", type=int, default=9611)
    parser.add_argument("--key-id", default=DEFAULT_KEY_ID)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    parser.add_argument("--app-id", default="1400000001")
    args = parser.parse_args()
    inbox = Inbox(args.vendor)
    if args.vendor == "aliyun":
        handle, kind = aliyun.handler({args.key_id: args.secret}, inbox), aliyun.CONTENT_TYPE
    else:
        handle, kind = tencent.handler({args.key_id: args.secret}, args.app_id, inbox), tencent.CONTENT_TYPE
    server = SmsServer(inbox, handle, args.port, kind)
    print(f"{args.vendor} SMS sandbox on http://{server.endpoint}/ (key id {args.key_id})", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
