"""``python -m sandbox.wechat_oauth [--port N] [--appid ID --secret S]``: OAuth, token, subscribe messages."""

from __future__ import annotations

import argparse

from .server import OAuthServer
from .subscribe import SubscribeSandbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the WeChat web authorisation sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8062)
    parser.add_argument("--appid", default="wxd678efh567hg6787")
    parser.add_argument("--secret", default="sandbox-app-secret")
    args = parser.parse_args()
    server = OAuthServer(SubscribeSandbox(args.appid, args.secret), args.port)
    print(f"WeChat OAuth sandbox on {server.base_url} (appid {args.appid})", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
