"""Public verification: QR/serial + code, pasted credentials (valid/revoked/forged/malformed), JWKS,
the signed status list, revocation shown on the page. Bad input answers 4xx, never 500."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from django.test import Client
from jwcrypto import jwk, jws

from xueshi_certificates import keys, revocation, statuslist
from xueshi_certificates.issuing import issue_for_account

from .conftest import make_account

API = "/api/xueshi/certificates/v1/verify"
PAGE = "/xueshi/certificates/verify/credential/"


@pytest.fixture
def cert(learner):
    return issue_for_account(make_account(learner.pk)).certificate


def _api(token):
    return Client().post(API, json.dumps({"credential": token}), content_type="application/json")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_qr_url_shows_the_certificate_masked(cert):
    response = Client().get(f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert cert.serial in text and "陈**" in text and "92.5" in text and 'id="status-valid"' in text
    assert "陈静怡" not in text


@pytest.mark.parametrize("bad", ["WRONGCOD", "", "x" * 500, "<script>"])
def test_a_serial_without_its_code_finds_nothing(cert, bad):
    response = Client().get("/xueshi/certificates/verify/", {"serial": cert.serial, "code": bad})
    assert response.status_code == 404
    assert 'id="results"' not in response.content.decode() and "陈**" not in response.content.decode()


def test_unknown_and_malformed_serials_get_the_same_clear_404(cert):
    for serial in ("NXSJY350100260009999A", "%E4%B8%AD", "1' OR '1'='1"):
        response = Client().get(f"/xueshi/certificates/verify/{serial}/{cert.check_code}/")
        assert response.status_code == 404 and 'id="not-found"' in response.content.decode()


def test_our_credential_is_valid_and_verifies_offline_with_jwcrypto(cert, client):
    assert _api(cert.credential).json() == {
        "status": "valid",
        "code": "valid",
        "reason": _api(cert.credential).json()["reason"],
        "serial": cert.serial,
        "revoked_reason": None,
    }
    published = client.get("/xueshi/certificates/.well-known/jwks.json").json()
    signed = jws.JWS()
    signed.deserialize(cert.credential)
    signed.verify(jwk.JWKSet.from_json(json.dumps(published)).get_key(cert.signing_kid), alg="EdDSA")
    payload = json.loads(signed.payload)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["credentialSubject"]["creditsEarned"] == 92.5
    assert payload["credentialSubject"]["identifier"][0]["hashed"] is True
    assert payload["credentialStatus"]["statusListIndex"] == str(cert.status_index)


def test_tampered_forged_and_malformed_credentials_are_refused_with_reasons(cert, tmp_path, settings):
    header, payload, signature = cert.credential.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["credentialSubject"]["creditsEarned"] = 190.0
    tampered = f"{header}.{_b64(body)}.{signature}"
    stranger = keys.load_private(keys.generate_pem().decode())
    same_kid = jwt.encode(body, stranger, algorithm="EdDSA", headers={"kid": cert.signing_kid})
    other_kid = jwt.encode(body, stranger, algorithm="EdDSA", headers={"kid": "not-ours"})
    unsigned = f"{_b64({'alg': 'none', 'kid': cert.signing_kid})}.{payload}."
    hs256 = jwt.encode(body, "guessable", algorithm="HS256", headers={"kid": cert.signing_kid})
    cases = {
        tampered: ("forged", "bad_signature"),
        same_kid: ("forged", "bad_signature"),
        other_kid: ("forged", "unknown_key"),
        unsigned: ("forged", "wrong_algorithm"),
        hs256: ("forged", "wrong_algorithm"),
        "hello": ("malformed", "not_a_jwt"),
        "a.b.c": ("malformed", "bad_header"),
        f"{header}.!!!.{signature}": ("malformed", "bad_payload"),
        "": ("malformed", "empty"),
        "x." * 9000: ("malformed", "too_long"),
    }
    for token, (status, code) in cases.items():
        answer = _api(token)
        if code == "too_long":  # core's JSON reader refuses the body before we see it
            assert answer.status_code == 413 and answer.json()["error"] == "body_too_large"
            page = Client().post(PAGE, {"credential": token})
            assert page.status_code == 422 and f'data-code="{code}"' in page.content.decode()
            continue
        assert answer.status_code == 422, (token[:40], answer.content)
        assert (answer.json()["status"], answer.json()["code"]) == (status, code), token[:40]
        assert answer.json()["reason"]
        page = Client().post(PAGE, {"credential": token})
        assert page.status_code == 422 and f'data-code="{code}"' in page.content.decode()


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"credential": 5}', b"{" * 100])
def test_bad_api_bodies_get_400(body):
    response = Client().post(API, body, content_type="application/json")
    assert response.status_code == 400 and "error" in response.json()


def test_revocation_shows_in_the_signed_status_list_the_api_and_the_page(
    cert, operator, django_capture_on_commit_callbacks
):
    client = Client()
    before = client.get(f"/xueshi/certificates/revocations/{cert.status_list}")
    with django_capture_on_commit_callbacks(execute=True):
        revocation.revoke(cert.serial, reason="学时记录经核查有误", actor=operator)
    token = client.get(f"/xueshi/certificates/revocations/{cert.status_list}")
    assert token["Content-Type"] == "application/vc+jwt"
    for response, revoked in ((before, False), (token, True)):
        signed = jws.JWS()
        signed.deserialize(response.content.decode())
        signed.verify(jwk.JWK(**keys.current().public_jwk()), alg="EdDSA")
        subject = json.loads(signed.payload)["credentialSubject"]
        assert subject["type"] == "BitstringStatusList"
        assert statuslist.is_set(subject["encodedList"], cert.status_index) is revoked
    answer = _api(cert.credential).json()
    assert answer["status"] == "revoked" and answer["revoked_reason"] == "学时记录经核查有误"
    page = client.get(f"/xueshi/certificates/verify/{cert.serial}/{cert.check_code}/").content.decode()
    assert 'id="status-revoked"' in page and "学时记录经核查有误" in page


def test_revoking_needs_a_reason_and_happens_once(cert, operator):
    with pytest.raises(revocation.RevokeRefused):
        revocation.revoke(cert.serial, reason="  ", actor=operator)
    revocation.revoke(cert.serial, reason="重复发证", actor=operator)
    with pytest.raises(revocation.RevokeRefused) as again:
        revocation.revoke(cert.serial, reason="重复发证", actor=operator)
    assert again.value.code == "already_revoked"


def test_a_retired_key_keeps_verifying_after_rotation(cert, settings, tmp_path):
    old_entries = list(settings.XUESHI_CERTIFICATES_SIGNING_KEYS)
    new = tmp_path / "new.pem"
    new.write_bytes(keys.generate_pem())
    settings.XUESHI_CERTIFICATES_SIGNING_KEYS = [str(new), *old_entries]
    published = Client().get("/xueshi/certificates/.well-known/jwks.json").json()["keys"]
    assert len(published) == 2 and published[1]["kid"] == cert.signing_kid
    assert _api(cert.credential).json()["status"] == "valid"
    settings.XUESHI_CERTIFICATES_SIGNING_KEYS = [str(new)]  # the old key withdrawn entirely
    assert _api(cert.credential).json()["code"] == "unknown_key"
