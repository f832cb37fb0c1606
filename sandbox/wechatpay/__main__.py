"""``python -m sandbox.wechatpay [--port N] [--var DIR] [--time-scale X]``: run the sandbox by hand.

It prints the environment lines that point a Xueshi site's WeChat Pay channel at it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sandbox.wechat_oauth.subscribe import SubscribeSandbox

from .keys import DEFAULT_VAR
from .server import WeChatPaySandbox
from .site import DEFAULT_PORT


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the WeChat Pay v3 sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--var", type=Path, default=DEFAULT_VAR)
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiply the notice retry schedule")
    args = parser.parse_args()
    sandbox = WeChatPaySandbox(args.var, args.port, args.time_scale)
    oauth = SubscribeSandbox(sandbox.keys.appid, sandbox.keys.app_secret)  # web authorisation and messages
    sandbox.mounted.append(oauth.handle)
    merchant = args.var / "merchant"
    print(f"WeChat Pay v3 sandbox on {sandbox.base_url} (received calls: {sandbox.base_url}/sandbox/)")
    print(f"XUESHI_WECHATPAY_MCHID={sandbox.keys.mchid}")
    print(f"XUESHI_WECHATPAY_APPID={sandbox.keys.appid}")
    print(f"XUESHI_WECHATPAY_CERT_SERIAL_NO={sandbox.keys.merchant_serial}")
    print(f"XUESHI_WECHATPAY_PRIVATE_KEY_PATH={merchant / 'apiclient_key.pem'}")
    print(f"XUESHI_WECHATPAY_PUBLIC_KEY_PATH={merchant / 'pub_key.pem'}")
    print(f"XUESHI_WECHATPAY_PUBLIC_KEY_ID={sandbox.keys.public_key_id}")
    print(f"XUESHI_WECHATPAY_APIV3_KEY={sandbox.keys.apiv3_key}")
    print(f"XUESHI_WECHATPAY_BASE_URL={sandbox.base_url}")
    print(f"XUESHI_WECHATPAY_APP_SECRET={sandbox.keys.app_secret}")
    print(f"XUESHI_WECHATPAY_OAUTH_AUTHORIZE_URL={sandbox.base_url}/connect/oauth2/authorize")
    print(f"XUESHI_WECHATPAY_OAUTH_API_URL={sandbox.base_url}", flush=True)
    try:
        sandbox.httpd.serve_forever()
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
