"""``python -m sandbox.baiwang [--port N]``: the Baiwang sandbox with the demo app's credentials.

Prints the ``XUESHI_INVOICES_*`` settings a Xueshi site needs to issue through it.
"""

from __future__ import annotations

import argparse

from sandbox.nuonuo.__main__ import DEMO_TAX_NUM, app_credentials

from .server import BaiwangSandbox


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Baiwang open-platform sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--tax-num", default=DEMO_TAX_NUM)
    args = parser.parse_args()
    key, secret = app_credentials()
    sandbox = BaiwangSandbox(key, secret, "demo", secret[:12], args.tax_num, port=args.port, delay=2.0)
    print(f"Baiwang sandbox on {sandbox.url} (calls: {sandbox.base_url}/sandbox/)", flush=True)
    print(
        f"XUESHI_INVOICES_PROVIDER=baiwang XUESHI_INVOICES_BAIWANG_URL={sandbox.url} "
        f"XUESHI_INVOICES_BAIWANG_APP_KEY={key} XUESHI_INVOICES_BAIWANG_APP_SECRET={secret} "
        f"XUESHI_INVOICES_BAIWANG_USERNAME=demo XUESHI_INVOICES_BAIWANG_PASSWORD={secret[:12]}",
        flush=True,
    )
    try:
        sandbox.httpd.serve_forever()
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
