"""``python -m sandbox.alipay [--port N] [--time-scale F]``: the gateway with a demo merchant.

Keys are generated on first run into ``var/alipay-sandbox/`` (never committed): the gateway's
own key pair ("Alipay's" keys) and a demo merchant's app key pair. The command prints the
``XUESHI_ALIPAY_*`` environment a Xueshi site needs to pay through it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import signing, state
from .server import AlipaySandbox

VAR = Path(__file__).resolve().parents[2] / "var" / "alipay-sandbox"
DEMO_APP_ID, DEMO_SELLER_ID = "2021000000000001", "2088000000000001"


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Alipay gateway sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiplies the notice retry delays")
    args = parser.parse_args()
    alipay_key = signing.private_key_file(VAR / "alipay_private_key.pem")
    app_key = signing.private_key_file(VAR / "app_private_key.pem")
    (VAR / "alipay_public_key.pem").write_text(signing.public_pem(alipay_key), encoding="ascii")
    merchant = state.Merchant(DEMO_APP_ID, DEMO_SELLER_ID, app_key.public_key())
    sandbox = AlipaySandbox(alipay_key, [merchant], port=args.port, time_scale=args.time_scale)
    print(f"Alipay sandbox on {sandbox.gateway_url} (received: {sandbox.base_url}/sandbox/)", flush=True)
    print(
        f"XUESHI_ALIPAY_APP_ID={DEMO_APP_ID} XUESHI_ALIPAY_SELLER_ID={DEMO_SELLER_ID} "
        f"XUESHI_ALIPAY_GATEWAY={sandbox.gateway_url} "
        f"XUESHI_ALIPAY_APP_PRIVATE_KEY_PATH={VAR}/app_private_key.pem "
        f"XUESHI_ALIPAY_PUBLIC_KEY_PATH={VAR}/alipay_public_key.pem",
        flush=True,
    )
    try:
        sandbox.httpd.serve_forever()
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
