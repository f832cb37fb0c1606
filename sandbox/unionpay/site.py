"""The demo merchant the sandbox site pays with, and its ``XUESHI_UNIONPAY`` settings.

UnionPay's chain and the demo merchant's PFX are generated on first use into
``var/unionpay-sandbox/`` (never committed) and shared by every process: the gateway reads the
signing key and the merchant's certificate; the site reads the PFX and the root and middle.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from . import pki, state

VAR = Path(__file__).resolve().parents[2] / "var" / "unionpay-sandbox"
DEMO_MER_ID = "777290058110048"  # the shape of UnionPay's test merchant numbers (777…)
DEFAULT_PORT = 8091


def chain(var: Path = VAR) -> pki.Chain:
    """The sandbox's UnionPay chain, made and saved the first time."""
    found = pki.load_chain(var)
    if found is None:
        found = pki.Chain.new()
        pki.save_chain(found, var)
    return found


def demo_merchant(var: Path = VAR) -> state.Merchant:
    """The demo merchant as the gateway registers it (its certificate), its PFX made the first time."""
    cer = var / "merchant_sign.cer"
    if not cer.exists():
        pki.save_merchant(chain(var).merchant(DEMO_MER_ID), var)
    return state.Merchant(DEMO_MER_ID, x509.load_pem_x509_certificate(cer.read_bytes()))


def site_settings(gateway: str = f"http://127.0.0.1:{DEFAULT_PORT}", var: Path = VAR) -> dict[str, str]:
    """``XUESHI_UNIONPAY`` for a site paying through the sandbox gateway."""
    demo_merchant(var)
    return {
        "MER_ID": DEMO_MER_ID,
        "SIGN_CERT_PATH": str(var / "merchant_sign.pfx"),
        "SIGN_CERT_PASSWORD": pki.PFX_PASSWORD,
        "MIDDLE_CERT_PATH": str(var / "middle.cer"),
        "ROOT_CERT_PATH": str(var / "root.cer"),
        "GATEWAY": gateway,
        "FILE_URL": gateway + "/filedownload/",
    }
