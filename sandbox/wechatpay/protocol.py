r"""WeChat Pay API v3's wire rules as the server applies them (pure functions).

Requests: ``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,
serial_no=…`` over five lines (method, path with query, timestamp in seconds, nonce, body), each
ending ``\\n``, SHA256withRSA with the merchant's API key; more than five minutes off → 401
``SIGN_ERROR``. Replies and notices: ``Wechatpay-Timestamp/Nonce/Signature/Serial`` over three lines
(timestamp, nonce, body). Notice resources: AEAD_AES_256_GCM with the APIv3 key.
"""

from __future__ import annotations

import base64
import re
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEME = "WECHATPAY2-SHA256-RSA2048"
MAX_SKEW_SECONDS = 300
_FIELD = re.compile(r'(\w+)="([^"]*)"')
_NONCE_ALPHABET = string.ascii_uppercase + string.digits


class ApiError(Exception):
    """A refusal in WeChat Pay's shape: HTTP status plus ``{"code", "message"}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Merchant:
    """What WeChat Pay knows of a merchant: its id and its API certificate's serial and public key."""

    mchid: str
    serial: str
    public_key: rsa.RSAPublicKey


def nonce(length: int = 32) -> str:
    """A random nonce in the alphabet WeChat Pay uses."""
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(length))


def parse_authorization(header: str) -> dict[str, str]:
    """The fields of an ``Authorization`` header; ``ApiError`` if the scheme is not v3's."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme != SCHEME:
        raise ApiError(401, "SIGN_ERROR", "错误的签名类型 (Authorization must use WECHATPAY2-SHA256-RSA2048)")
    return dict(_FIELD.findall(rest))


def verify_request(
    method: str,
    path_with_query: str,
    authorization: str,
    body: bytes,
    merchant: Mapping[str, Merchant],
    now: float,
) -> Merchant:
    """Check a merchant request's signature as WeChat Pay does; the merchant, or ``ApiError`` 401."""
    fields = parse_authorization(authorization)
    missing = [
        name for name in ("mchid", "nonce_str", "signature", "timestamp", "serial_no") if not fields.get(name)
    ]
    if missing:
        raise ApiError(401, "SIGN_ERROR", f"Authorization 缺少 {', '.join(missing)}")
    known = merchant.get(fields["mchid"])
    if known is None:
        raise ApiError(401, "SIGN_ERROR", "商户号不存在 (unknown mchid)")
    if fields["serial_no"].upper() != known.serial:
        raise ApiError(
            401, "SIGN_ERROR", "商户证书序列号有误 (serial_no is not the merchant's API certificate)"
        )
    if not fields["timestamp"].isdigit() or abs(int(fields["timestamp"]) - now) > MAX_SKEW_SECONDS:
        raise ApiError(
            401, "SIGN_ERROR", "请求的时间戳已过期或格式错误 (timestamp is seconds, within 5 minutes)"
        )
    message = (
        f"{method}\n{path_with_query}\n{fields['timestamp']}\n{fields['nonce_str']}\n".encode() + body + b"\n"
    )
    try:
        known.public_key.verify(
            base64.b64decode(fields["signature"]), message, padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError) as exc:
        raise ApiError(401, "SIGN_ERROR", "签名错误 (signature does not verify)") from exc
    return known


def sign(private_key: rsa.RSAPrivateKey, timestamp: str, nonce_str: str, body: bytes) -> str:
    """The ``Wechatpay-Signature`` of a reply or notice body."""
    message = f"{timestamp}\n{nonce_str}\n".encode() + body + b"\n"
    return base64.b64encode(private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def signed_headers(
    private_key: rsa.RSAPrivateKey, serial: str, body: bytes, timestamp: int
) -> dict[str, str]:
    """The five ``Wechatpay-*`` headers WeChat Pay puts on a reply or a notice."""
    nonce_str = nonce()
    return {
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Nonce": nonce_str,
        "Wechatpay-Signature": sign(private_key, str(timestamp), nonce_str, body),
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": SCHEME,
    }


def encrypt_resource(
    apiv3_key: str, plaintext: bytes, associated_data: str, original_type: str
) -> dict[str, str]:
    """A notice's ``resource``: AES-256-GCM, 12-character nonce, tag appended, Base64."""
    resource_nonce = nonce(12)
    ciphertext = AESGCM(apiv3_key.encode("ascii")).encrypt(
        resource_nonce.encode("ascii"), plaintext, associated_data.encode("utf-8")
    )
    return {
        "original_type": original_type,
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        "associated_data": associated_data,
        "nonce": resource_nonce,
    }
