"""``python -m sandbox.alipay [--port N] [--time-scale F]``: the gateway with the demo merchant.

Prints the ``XUESHI_ALIPAY_*`` environment a Xueshi site needs to pay through it (``site.py``).
"""

from __future__ import annotations

import argparse

from . import signing, site
from .server import AlipaySandbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Alipay gateway sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=site.DEFAULT_PORT)
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiplies the notice retry delays")
    args = parser.parse_args()
    merchant = site.demo_merchant()
    alipay_key = signing.private_key_file(site.VAR / "alipay_private_key.pem")
    sandbox = AlipaySandbox(alipay_key, [merchant], port=args.port, time_scale=args.time_scale)
    settings = site.site_settings(sandbox.gateway_url)
    sandbox.serve_in_foreground(f"Alipay sandbox on {sandbox.gateway_url}", "XUESHI_ALIPAY_", settings)


if __name__ == "__main__":
    main()
