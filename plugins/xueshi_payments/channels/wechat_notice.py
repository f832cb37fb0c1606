r"""Verifying a WeChat Pay v3 notice on its raw body, with a distinct refusal code for each failure.

Order of checks (each a ``NoticeRejected`` code): the five ``Wechatpay-*`` headers are there
(``missing_headers``) and name v3's scheme (``unsupported_signature_type``); the signature is not a
``WECHATPAY/SIGNTEST/`` probe (``probe_signature``: WeChat Pay sends these to check that bad
signatures get a 4xx); ``Wechatpay-Timestamp`` is within five minutes of our clock
(``stale_timestamp``; the library does not check it); ``Wechatpay-Serial`` names the WeChat Pay
public key or a platform certificate we know or can download (``unknown_serial``); the
SHA256withRSA signature over "timestamp\\nnonce\\nbody\\n" verifies (``bad_signature``); the body is
the v3 envelope (``malformed_notice``); the AES-256-GCM resource decrypts with the APIv3 key
(``tampered_resource``). ADR 0141.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from xueshi_core.jsonbody import loads_object

from .base import NoticeRejected

SCHEME = "WECHATPAY2-SHA256-RSA2048"
PROBE_PREFIX = "WECHATPAY/SIGNTEST/"
MAX_SKEW_SECONDS = 300
REFRESH_INTERVAL_SECONDS = 60.0  # unknown serials download /v3/certificates at most this often
MAX_NOTICE_BYTES = 64 * 1024  # a notice is about 1 KB; the core reader refuses hostile JSON
HEADERS = ("timestamp", "nonce", "signature", "serial", "signature-type")


def notice_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The ``Wechatpay-*`` headers by short name, from HTTP names or Django ``META`` keys."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower().replace("_", "-")
        key = key.removeprefix("http-")
        if key.startswith("wechatpay-"):
            out[key.removeprefix("wechatpay-")] = str(value)
    return out


@dataclass
class KeyRing:
    """WeChat Pay's verification keys by serial: the public key (``PUB_KEY_ID_…``) and platform certificates.

    Both are kept side by side because WeChat Pay moves a merchant's notices from certificate to
    public-key signatures gradually; the serial on each notice says which key signed it.
    ``refresh`` (``/v3/certificates``) runs for an unknown serial at most once a minute, so forged
    serials cannot make us hammer WeChat Pay.
    """

    public_keys: dict[str, Any] = field(default_factory=dict)
    certificates: Callable[[bool], list[Any]] = lambda refresh: []
    _last_refresh: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def key_for(self, serial: str) -> Any | None:
        """The public key that signs under ``serial``, or ``None``."""
        if serial in self.public_keys:
            return self.public_keys[serial]
        if not serial or serial.startswith("PUB_KEY_ID_"):
            return None
        try:
            wanted = int(serial, 16)
        except ValueError:
            return None
        found = self._certificate(wanted, refresh=False)
        if found is None:
            with self._lock:
                if time.monotonic() - self._last_refresh >= REFRESH_INTERVAL_SECONDS:
                    self._last_refresh = time.monotonic()
                    found = self._certificate(wanted, refresh=True)
        return found

    def _certificate(self, serial_number: int, refresh: bool) -> Any | None:
        try:
            known = self.certificates(refresh)
        except Exception:
            return None
        for certificate in known:
            if certificate.serial_number == serial_number:
                return certificate.public_key()
        return None


def verify(headers: Mapping[str, str], body: bytes, keys: KeyRing, now: float) -> dict[str, Any]:
    """Check the signature of a notice's raw ``body``; its parsed envelope, or ``NoticeRejected``."""
    found = notice_headers(headers)
    missing = [f"Wechatpay-{name.title()}" for name in HEADERS if not found.get(name)]
    if missing:
        raise NoticeRejected("missing_headers", f"missing {', '.join(missing)}")
    if found["signature-type"] != SCHEME:
        raise NoticeRejected("unsupported_signature_type", f"signature type {found['signature-type']!r}")
    if found["signature"].startswith(PROBE_PREFIX):
        raise NoticeRejected("probe_signature", "a WECHATPAY/SIGNTEST/ probe: never accepted")
    timestamp = found["timestamp"]
    if not timestamp.isdigit() or abs(int(timestamp) - now) > MAX_SKEW_SECONDS:
        raise NoticeRejected(
            "stale_timestamp", f"Wechatpay-Timestamp {timestamp[:20]!r} is more than 5 minutes off"
        )
    key = keys.key_for(found["serial"])
    if key is None:
        raise NoticeRejected("unknown_serial", f"no WeChat Pay key with serial {found['serial'][:64]!r}")
    message = f"{timestamp}\n{found['nonce']}\n".encode() + body + b"\n"
    try:
        key.verify(
            base64.b64decode(found["signature"], validate=True), message, padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError) as exc:
        raise NoticeRejected("bad_signature", "the signature does not verify on the raw body") from exc
    try:
        envelope = loads_object(body, max_bytes=MAX_NOTICE_BYTES)
        resource = envelope["resource"]
        if (
            envelope.get("resource_type") != "encrypt-resource"
            or resource.get("algorithm") != "AEAD_AES_256_GCM"
        ):
            raise ValueError("not an AEAD_AES_256_GCM resource")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NoticeRejected("malformed_notice", f"not a v3 notice envelope: {exc}") from exc
    return envelope


def decrypt(resource: Mapping[str, Any], apiv3_key: str) -> dict[str, Any]:
    """The resource's plaintext JSON; ``tampered_resource`` if GCM authentication fails."""
    try:
        plaintext = AESGCM(apiv3_key.encode("utf-8")).decrypt(
            str(resource["nonce"]).encode("utf-8"),
            base64.b64decode(str(resource["ciphertext"])),
            str(resource.get("associated_data") or "").encode("utf-8"),
        )
    except (InvalidTag, ValueError, KeyError) as exc:
        raise NoticeRejected("tampered_resource", "the resource does not decrypt with the APIv3 key") from exc
    try:
        return loads_object(plaintext, max_bytes=MAX_NOTICE_BYTES)
    except ValueError as exc:
        raise NoticeRejected("malformed_notice", f"the resource is not a JSON object: {exc}") from exc
