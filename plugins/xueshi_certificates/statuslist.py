"""Revocation published as a W3C Bitstring Status List, signed like the credentials (ADR 0123).

Each certificate owns one bit (``Certificate.status_index``) of a list; a set bit means revoked.
The list is a gzip-compressed bitstring of ``LIST_BITS`` bits (16 KiB, the specification's
minimum, so a list does not reveal how many certificates exist), base64url-encoded with the
multibase prefix ``u``. Bit 0 is the most significant bit of the first byte.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_BITS = 131_072


def encode(revoked: Iterable[int], size: int = LIST_BITS) -> str:
    """The ``encodedList`` value with the bits of ``revoked`` set."""
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def is_set(encoded_list: str, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` is set (what any verifier does)."""
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u' prefix)")
    data = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError("status index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def list_credential(
    *, list_url: str, issuer_id: str, valid_from: str, encoded_list: str
) -> dict[str, object]:
    """The ``BitstringStatusListCredential`` (unsigned; ``credentials.sign`` makes it a VC-JWT)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }
