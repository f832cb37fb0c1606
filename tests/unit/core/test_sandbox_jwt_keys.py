"""The sandbox's JWT keypair: made once into var/, private to its owner, the public half in Tutor's shape."""

from __future__ import annotations

import json
import stat

from sandbox import jwtkeys


def test_the_key_is_made_once_kept_private_and_published_without_its_private_parts(tmp_path, monkeypatch):
    monkeypatch.delenv("XUESHI_JWT_PRIVATE_JWK", raising=False)
    path = tmp_path / "var" / "jwt-signing-jwk.json"
    first = jwtkeys.private_jwk(path)
    assert jwtkeys.private_jwk(path) == first  # every process and restart signs with the same key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first["kty"] == "RSA" and first["kid"] == "xueshi-sandbox" and "d" in first
    (public,) = json.loads(jwtkeys.public_jwk_set(first))["keys"]
    assert public == {"kid": "xueshi-sandbox", "kty": "RSA", "e": first["e"], "n": first["n"]}
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind

    monkeypatch.setenv("XUESHI_JWT_PRIVATE_JWK", json.dumps({**first, "kid": "operator"}))
    assert jwtkeys.private_jwk(tmp_path / "unused.json")["kid"] == "operator"
    assert not (tmp_path / "unused.json").exists()
