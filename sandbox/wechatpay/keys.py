"""The sandbox's keys, generated on first use into ``var/``.

The merchant's API key and certificate, WeChat Pay's platform certificate, WeChat Pay's public key
(``PUB_KEY_ID_…``) and the APIv3 key.

The real merchant downloads its API certificate from the merchant platform and WeChat Pay keeps the
public half; here the sandbox plays both sides, so it writes the merchant's half next to its own
(``merchant/``) for the channel's settings to point at. Nothing here is ever committed: the files
are made at run time, atomically (two processes starting at once agree on one set), like
``sandbox/jwtkeys.py``.
"""

from __future__ import annotations

import json
import os
import secrets
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
KEYS_FILE = "keys.json"
DEFAULT_VAR = Path(__file__).resolve().parents[2] / "var" / "wechatpay-sandbox"
CERT_YEARS = 5  # platform and merchant API certificates last five years


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def _certificate(key: rsa.RSAPrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Xueshi sandbox Tenpay CA")]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * CERT_YEARS))
        .sign(key, hashes.SHA256())
    )


def serial_of(certificate: x509.Certificate) -> str:
    """A certificate's serial as WeChat Pay writes it: 40 upper-case hex digits."""
    return format(certificate.serial_number, "040X")


def _generate() -> dict[str, str]:
    merchant, platform, pub = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)
    )
    merchant_cert = _certificate(merchant, MCHID)
    platform_cert = _certificate(platform, "Tenpay.com Root CA sandbox")
    alphabet = string.ascii_letters + string.digits
    return {
        "mchid": MCHID,
        "appid": APPID,
        "apiv3_key": "".join(secrets.choice(alphabet) for _ in range(32)),
        "app_secret": secrets.token_hex(16),  # the official account's AppSecret (OAuth sandbox)
        "merchant_private_key": _private_pem(merchant),
        "merchant_certificate": merchant_cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        "merchant_serial": serial_of(merchant_cert),
        "platform_private_key": _private_pem(platform),
        "platform_certificate": platform_cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        "platform_serial": serial_of(platform_cert),
        "public_key_private": _private_pem(pub),
        "public_key": pub.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii"),
        "public_key_id": "PUB_KEY_ID_" + "".join(secrets.choice(string.digits) for _ in range(22)),
    }


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    try:
        os.link(temporary, path)  # fails if another process got there first: keep theirs
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


@dataclass(frozen=True)
class SandboxKeys:
    """Every key of one sandbox merchant, both WeChat Pay's side and the merchant's."""

    values: dict[str, str]
    loaded: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)  # loading checks the key: slow

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def private_key(self, name: str) -> rsa.RSAPrivateKey:
        """Load one of the PEM private keys (``merchant_private_key``, ``platform_private_key`` …)."""
        if name not in self.loaded:
            key = serialization.load_pem_private_key(self.values[name].encode("ascii"), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            self.loaded[name] = key
        return self.loaded[name]

    def merchant_settings(self, base_url: str) -> dict[str, str]:
        """``XUESHI_WECHATPAY`` for a channel talking to this sandbox (values, not paths)."""
        return {
            "MCHID": self.mchid,
            "APPID": self.appid,
            "PRIVATE_KEY": self.merchant_private_key,
            "CERT_SERIAL_NO": self.merchant_serial,
            "APIV3_KEY": self.apiv3_key,
            "PUBLIC_KEY": self.public_key,
            "PUBLIC_KEY_ID": self.public_key_id,
            "BASE_URL": base_url,
            "APP_SECRET": self.values.get("app_secret", ""),
            "OAUTH_AUTHORIZE_URL": f"{base_url}/connect/oauth2/authorize",
            "OAUTH_API_URL": base_url,
        }


def load_or_create(directory: Path) -> SandboxKeys:
    """The keys in ``directory`` (``var/wechatpay-sandbox`` by default), made there if missing.

    The merchant's half is also written as PEM files under ``merchant/`` so settings can name paths,
    as they do for a real merchant's ``apiclient_key.pem`` and ``pub_key.pem``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / KEYS_FILE
    if not path.exists():
        _write_atomically(path, json.dumps(_generate()))
    keys = SandboxKeys(json.loads(path.read_text(encoding="utf-8")))
    merchant = directory / "merchant"
    merchant.mkdir(exist_ok=True)
    for filename, value in (
        ("apiclient_key.pem", keys.merchant_private_key),
        ("pub_key.pem", keys.public_key),
    ):
        if not (merchant / filename).exists():
            _write_atomically(merchant / filename, value)
    return keys
