"""``python -m sandbox.live [tencent|aliyun] --port N --callback URL``: the live provider sandbox.

The key is read from ``XUESHI_LIVE_AUTH_KEY`` (the same the site signs with; never committed).
"""

from __future__ import annotations

import argparse
import os
import threading

import django
from django.conf import settings


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the live provider sandbox on 127.0.0.1")
    parser.add_argument("provider", nargs="?", default="tencent", choices=("tencent", "aliyun"))
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument("--callback", default="http://127.0.0.1:8000/xueshi/live/callback/")
    args = parser.parse_args()
    key = os.environ.get("XUESHI_LIVE_AUTH_KEY", "")
    if not key:
        raise SystemExit("set XUESHI_LIVE_AUTH_KEY (the key the site signs URLs with)")
    if not settings.configured:
        settings.configure(XUESHI_LIVE_PROVIDER=args.provider, XUESHI_LIVE_AUTH_KEY=key)
        django.setup()
    from .server import LiveSandbox

    sandbox = LiveSandbox(args.provider, key, args.callback, port=args.port).start()
    print(f"{args.provider} live sandbox on http://{sandbox.endpoint}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        sandbox.close()


if __name__ == "__main__":
    main()
