"""``python -m sandbox.unionpay [--port N] [--time-scale F]``: the gateway with the demo merchant.

Prints the ``XUESHI_UNIONPAY_*`` environment a Xueshi site needs to pay through it (``site.py``).
"""

from __future__ import annotations

import argparse

from . import site
from .server import UnionPaySandbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the UnionPay ACP gateway sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=site.DEFAULT_PORT)
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiplies the notice retry delays")
    args = parser.parse_args()
    merchant = site.demo_merchant()
    sandbox = UnionPaySandbox(site.chain(), [merchant], port=args.port, time_scale=args.time_scale)
    settings = site.site_settings(sandbox.base_url)
    sandbox.serve_in_foreground(f"UnionPay sandbox on {sandbox.base_url}", "XUESHI_UNIONPAY_", settings)


if __name__ == "__main__":
    main()
