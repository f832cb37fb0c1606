"""The demo merchant the sandbox site pays with, and its ``XUESHI_ALIPAY`` settings.

Both key pairs are generated on first use into ``var/alipay-sandbox/`` (never committed) and
shared by every process: the gateway (``python -m sandbox.alipay``) reads "Alipay's" private key
and the demo app's public key; the site reads the app's private key and Alipay's public key.
"""

from __future__ import annotations

from pathlib import Path

from . import signing, state

VAR = Path(__file__).resolve().parents[2] / "var" / "alipay-sandbox"
DEMO_APP_ID, DEMO_SELLER_ID = "2021000000000001", "2088000000000001"
DEFAULT_PORT = 8090


def _keys(var: Path) -> tuple[Path, Path]:
    alipay_key = signing.private_key_file(var / "alipay_private_key.pem")
    signing.private_key_file(var / "app_private_key.pem")
    public = var / "alipay_public_key.pem"
    if not public.exists():
        public.write_text(signing.public_pem(alipay_key), encoding="ascii")
    return var / "app_private_key.pem", public


def demo_merchant(var: Path = VAR) -> state.Merchant:
    """The demo app as the gateway registers it (its public key)."""
    _keys(var)
    app_key = signing.private_key_file(var / "app_private_key.pem")
    return state.Merchant(DEMO_APP_ID, DEMO_SELLER_ID, app_key.public_key())


def site_settings(
    gateway_url: str = f"http://127.0.0.1:{DEFAULT_PORT}/gateway.do", var: Path = VAR
) -> dict[str, str]:
    """``XUESHI_ALIPAY`` for a site paying through the sandbox gateway."""
    app_private, alipay_public = _keys(var)
    return {
        "APP_ID": DEMO_APP_ID,
        "SELLER_ID": DEMO_SELLER_ID,
        "APP_PRIVATE_KEY_PATH": str(app_private),
        "ALIPAY_PUBLIC_KEY_PATH": str(alipay_public),
        "GATEWAY": gateway_url,
    }
