"""Credentials and status lists signed with PyJWT are verified by an independent library (jwcrypto)."""

import json

import pytest
from jwcrypto import jwk, jws

from xueshi_certificates import credentials, keys, statuslist


@pytest.fixture
def two_keys(tmp_path, settings):
    paths = []
    for name in ("new", "old"):
        path = tmp_path / f"{name}.pem"
        path.write_bytes(keys.generate_pem())
        paths.append(str(path))
    settings.XUESHI_CERTIFICATES_SIGNING_KEYS = paths
    return keys.all_keys()


def _verify_with_jwcrypto(token: str, jwks: dict) -> dict:
    keyset = jwk.JWKSet.from_json(json.dumps(jwks))
    signed = jws.JWS()
    signed.deserialize(token)
    kid = signed.jose_header["kid"]
    signed.verify(keyset.get_key(kid), alg="EdDSA")
    return json.loads(signed.payload)


def _credential(issuer: str = "https://cert.example.cn/xueshi/certificates/issuer") -> dict:
    return {
        "@context": credentials.CONTEXTS,
        "id": "https://cert.example.cn/xueshi/certificates/verify/NXSJY350100260000001Z/ABCDEFGH/",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "测试平台"},
        "validFrom": "2026-12-04T08:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "creditsEarned": 92.5},
    }


def test_jwks_publishes_every_key_by_thumbprint(two_keys):
    published = keys.jwks()["keys"]
    assert [k["kid"] for k in published] == [k.kid for k in two_keys]
    for entry, key in zip(published, two_keys, strict=True):
        assert entry["kty"] == "OKP" and entry["crv"] == "Ed25519" and "d" not in entry
        assert jwk.JWK(**{n: entry[n] for n in ("kty", "crv", "x")}).thumbprint() == key.kid


def test_a_credential_signed_by_us_verifies_with_jwcrypto_and_keeps_its_claims(two_keys):
    token = credentials.sign(_credential())
    payload = _verify_with_jwcrypto(token, keys.jwks())
    assert payload["iss"] == "https://cert.example.cn/xueshi/certificates/issuer"
    assert payload["jti"].endswith("/ABCDEFGH/")
    assert payload["nbf"] == 1796371200
    assert payload["credentialSubject"]["creditsEarned"] == 92.5


def test_signing_is_deterministic_and_names_the_current_key(two_keys):
    token = credentials.sign(_credential())
    assert token == credentials.sign(_credential())
    signed = jws.JWS()
    signed.deserialize(token)
    assert signed.jose_header == {"alg": "EdDSA", "kid": two_keys[0].kid, "typ": "JWT"}


def test_a_retired_key_still_verifies_what_it_signed(two_keys):
    token = credentials.sign(_credential(), key=two_keys[1])
    assert _verify_with_jwcrypto(token, keys.jwks())["type"][1] == "OpenBadgeCredential"


def test_a_tampered_payload_fails_jwcrypto(two_keys):
    token = credentials.sign(_credential())
    header, payload, signature = token.split(".")
    import base64

    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["credentialSubject"]["creditsEarned"] = 190
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(jws.InvalidJWSSignature):
        _verify_with_jwcrypto(f"{header}.{forged}.{signature}", keys.jwks())


def test_seed_entries_derive_a_stable_key(settings):
    settings.XUESHI_CERTIFICATES_SIGNING_KEYS = ["seed:generated-by-tutor-48-characters"]
    first = keys.current().kid
    keys._load.cache_clear()
    assert keys.current().kid == first
    settings.XUESHI_CERTIFICATES_SIGNING_KEYS = ["seed:another-secret"]
    assert keys.current().kid != first


def test_status_list_bits_round_trip():
    encoded = statuslist.encode([0, 7, 8, 131_071])
    assert encoded.startswith("u")
    assert [statuslist.is_set(encoded, i) for i in (0, 1, 7, 8, 9, 131_071)] == [
        True,
        False,
        True,
        True,
        False,
        True,
    ]
    with pytest.raises(ValueError):
        statuslist.encode([131_072])
