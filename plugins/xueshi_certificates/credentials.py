"""Signed credentials: an Open Badges 3.0 ``OpenBadgeCredential`` as a VC-JWT, EdDSA/Ed25519 (ADR 0122).

The JWT payload is the credential itself plus the registered claims OB 3.0 §8.2.4 names (``iss``
= ``issuer.id``, ``jti`` = ``id``, ``nbf`` = ``validFrom``). Ed25519 signatures are
deterministic, so the token is a pure function of the certificate row and the key: rebuilt from
the snapshot it is the same string. The subject is bound to the holder by a salted
``IdentityObject`` (the ID number never leaves the site); hours per category, unit and the rule
version travel in the ``xueshi`` extension, since ``creditsEarned`` is a bare number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import jwt

from . import keys, links, snapshot

if TYPE_CHECKING:
    from .models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ALGORITHM = "EdDSA"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential_for(cert: Certificate) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` of a certificate, from its row and snapshot only."""
    snap = cert.snapshot
    holder, rule, period = snap["holder"], snap["rule"], snap["period"]
    issuer_id = links.issuer_id()
    credential_id = links.verify_url(cert.serial, cert.check_code)
    list_url = links.status_list_url(cert.status_list)
    return {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": snap["issuer"]["name"]},
        "validFrom": _iso(cert.issued_at),
        "name": snapshot.title(snap),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": holder["id_hash"],
                    "identityType": "nationalIdentityNumber",
                    "hashed": True,
                    "salt": holder["id_salt"],
                }
            ],
            "achievement": {
                "id": links.achievement_id(rule["id"], int(rule["version"]), snap["kind"]),
                "type": ["Achievement"],
                "name": snapshot.title(snap),
                "description": snapshot.body(snap),
                "criteria": {"narrative": str(rule.get("title") or rule["id"])},
                "creditsAvailable": float(Decimal(snap["required_total"])),
            },
            "creditsEarned": float(Decimal(snap["total"])),
            "activityStartDate": period["start"] + "T00:00:00+08:00",
            "activityEndDate": period["end"] + "T23:59:59+08:00",
            "term": period["label"],
        },
        "credentialStatus": {
            "id": f"{list_url}#{cert.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(cert.status_index),
            "statusListCredential": list_url,
        },
        "xueshi": {
            "serial": cert.serial,
            "unit": snap["unit"],
            "byCategory": snap.get("by_category", {}),
            "rule": {"id": rule["id"], "version": int(rule["version"])},
            "courseKey": snap.get("course_key", ""),
        },
    }


def sign(credential: dict[str, Any], key: keys.SigningKey | None = None) -> str:
    """The VC-JWT of ``credential`` (adds ``iss``, ``jti``, ``nbf``), signed by ``key`` or the current key."""
    key = key or keys.current()
    issuer = credential["issuer"]
    valid_from = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    payload = {
        **credential,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": int(valid_from.timestamp()),
    }
    return jwt.encode(payload, key.private, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"})


def sign_certificate(cert: Certificate, key: keys.SigningKey | None = None) -> tuple[str, str]:
    """``(token, kid)`` for a certificate row."""
    key = key or keys.current()
    return sign(credential_for(cert), key), key.kid
