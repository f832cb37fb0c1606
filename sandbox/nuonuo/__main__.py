"""``python -m sandbox.nuonuo [--port N]``: the Nuonuo sandbox with an app whose secret is made into ``var/``.

Prints the ``XUESHI_INVOICES_NUONUO_*`` settings a Xueshi site needs to issue through it.
"""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path

from .server import NuonuoSandbox

VAR = Path(__file__).resolve().parents[2] / "var"
#: The demo seller's tax number (``xueshi_invoices.demo``), so the site's demo invoices are accepted.
DEMO_TAX_NUM = "91110000600037341L"


def app_credentials() -> tuple[str, str]:
    """The demo app's key and secret, generated once into ``var/nuonuo_app.txt``."""
    path = VAR / "nuonuo_app.txt"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{secrets.token_hex(8)}\n{secrets.token_hex(16)}\n")
        path.chmod(0o600)
    key, secret = path.read_text().split()
    return key, secret


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Nuonuo open-platform sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--tax-num", default=DEMO_TAX_NUM)
    args = parser.parse_args()
    key, secret = app_credentials()
    sandbox = NuonuoSandbox(key, secret, args.tax_num, port=args.port, delay=2.0)
    print(f"Nuonuo sandbox on {sandbox.base_url} (calls: {sandbox.base_url}/sandbox/)", flush=True)
    print(
        f"XUESHI_INVOICES_NUONUO_URL={sandbox.base_url} XUESHI_INVOICES_NUONUO_APP_KEY={key} "
        f"XUESHI_INVOICES_NUONUO_APP_SECRET={secret}",
        flush=True,
    )
    try:
        sandbox.httpd.serve_forever()
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
