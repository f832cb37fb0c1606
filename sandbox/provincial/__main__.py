"""``python -m sandbox.provincial [--port N] [--algorithm HMAC-SHA256|HMAC-SM3|SM2]``.

Keys are made once into ``var/provincial_keys.json``; prints the ``XUESHI_REPORTING_SECRETS``
entry and the destination a Xueshi site needs to push to it.
"""

from __future__ import annotations

import argparse
import json
import secrets
from pathlib import Path

from .server import ProvincialSandbox

VAR = Path(__file__).resolve().parents[2] / "var"
APP_ID = "xueshi-demo"


def demo_keys() -> dict[str, str]:
    """Both sides' keys, generated once (HMAC key, SM2 pairs, SM4 key)."""
    path = VAR / "provincial_keys.json"
    if not path.exists():
        from xueshi_reporting.adapters.signing import new_sm2_private, sm2_public_of

        client, platform = new_sm2_private(), new_sm2_private()
        keys = {
            "hmac_key": secrets.token_hex(32),
            "client_sm2_private": client,
            "client_sm2_public": sm2_public_of(client),
            "platform_sm2_private": platform,
            "platform_sm2_public": sm2_public_of(platform),
            "sm4_key": secrets.token_hex(16),
        }
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    return dict(json.loads(path.read_text()))


def site_secrets(keys: dict[str, str], sm4: bool) -> dict[str, str]:
    """The destination's entry in ``XUESHI_REPORTING_SECRETS`` (the site's side of the keys)."""
    out = {
        "hmac_key": keys["hmac_key"],
        "sm2_private": keys["client_sm2_private"],
        "sm2_public": keys["client_sm2_public"],
        "peer_sm2_public": keys["platform_sm2_public"],
    }
    if sm4:
        out["sm4_key"] = keys["sm4_key"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the provincial platform sandbox on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--algorithm", default="HMAC-SHA256", choices=("HMAC-SHA256", "HMAC-SM3", "SM2"))
    parser.add_argument("--sm4", action="store_true")
    args = parser.parse_args()
    keys = demo_keys()
    platform_keys = dict(keys) if args.sm4 else {k: v for k, v in keys.items() if k != "sm4_key"}
    sandbox = ProvincialSandbox(APP_ID, args.algorithm, platform_keys, port=args.port)
    print(f"Provincial sandbox on {sandbox.base_url} (records: {sandbox.base_url}/sandbox/)", flush=True)
    print(
        f"destination url={sandbox.base_url}/records app_id={APP_ID} signature={args.algorithm}", flush=True
    )
    try:
        sandbox.httpd.serve_forever()
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
