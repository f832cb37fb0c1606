"""The sandbox's certificates: UnionPay's root, middle and signing certificates and merchant PFXs.

UnionPay's signing certificate's CN follows the real shape ``041@Z…@中国银联股份有限公司@…`` (the
third ``@`` part names the owner, which merchants check). The merchant certificate is issued by the
same middle CA and bundled with its key in a PFX, as CFCA hands it out. A forger can build a
look-alike chain with its own root: tests use that for "not chained to the root".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

UNIONPAY_SIGN_CN = "041@Z20260101@中国银联股份有限公司@00000001"
PFX_PASSWORD = "000000"  # noqa: S105 (a sandbox file's password, as in the ACP test environment's PFX password


@dataclass(frozen=True)
class Issued:
    """A key and the certificate issued for it."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Xueshi UnionPay Sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(common_name: str, issuer: Issued | None = None, *, ca: bool = False, days: int = 3650) -> Issued:
    """A new key with a certificate signed by ``issuer`` (self-signed when ``None``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC) - timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(key, cert)


def pem(cert: x509.Certificate) -> str:
    """The certificate as PEM text (what ``signPubKeyCert`` carries)."""
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def pfx(issued: Issued, password: str = PFX_PASSWORD) -> bytes:
    """Key and certificate as a PKCS#12 file, the merchant's ``.pfx``."""
    return pkcs12.serialize_key_and_certificates(
        b"merchant", issued.key, issued.cert, None, serialization.BestAvailableEncryption(password.encode())
    )


@dataclass(frozen=True)
class Chain:
    """UnionPay's chain: root → middle → signing certificate."""

    root: Issued
    middle: Issued
    signer: Issued

    @classmethod
    def new(cls, signer_cn: str = UNIONPAY_SIGN_CN) -> Chain:
        root = issue("Xueshi Sandbox UnionPay Root CA", ca=True)
        middle = issue("Xueshi Sandbox UnionPay Middle CA", root, ca=True)
        return cls(root, middle, issue(signer_cn, middle))

    def merchant(self, mer_id: str) -> Issued:
        """A merchant signing certificate issued by the middle CA."""
        return issue(f"041@Z{mer_id}@Xueshi Demo Merchant@00000001", self.middle)


def _private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.chmod(path, 0o600)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def save_chain(chain: Chain, var: Path) -> None:
    """Write the chain (signer key private to the owner) so other processes share it."""
    var.mkdir(parents=True, exist_ok=True)
    for name, cert in (("root.cer", chain.root.cert), ("middle.cer", chain.middle.cert)):
        (var / name).write_text(pem(cert), encoding="ascii")
    for name, issued in (("root", chain.root), ("middle", chain.middle), ("unionpay_sign", chain.signer)):
        _private(var / f"{name}.key", _key_pem(issued.key))
        (var / f"{name}.crt").write_text(pem(issued.cert), encoding="ascii")


def load_chain(var: Path) -> Chain | None:
    """The chain saved in ``var``, or ``None`` if there is none yet."""

    def read(name: str) -> Issued:
        key = serialization.load_pem_private_key((var / f"{name}.key").read_bytes(), None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return Issued(key, x509.load_pem_x509_certificate((var / f"{name}.crt").read_bytes()))

    if not (var / "unionpay_sign.key").exists():
        return None
    return Chain(read("root"), read("middle"), read("unionpay_sign"))


def save_merchant(issued: Issued, var: Path) -> Path:
    """The merchant's PFX (owner-only) and its certificate; returns the PFX path."""
    var.mkdir(parents=True, exist_ok=True)
    path = var / "merchant_sign.pfx"
    _private(path, pfx(issued))
    (var / "merchant_sign.cer").write_text(pem(issued.cert), encoding="ascii")
    return path
