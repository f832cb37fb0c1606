"""The sandbox's JWT signing key: an RSA keypair, as Tutor gives the LMS one (``JWT_RSA_PRIVATE_KEY``).

The LMS signs its JWTs with RS512 and ``JWT_PRIVATE_SIGNING_JWK``; every service verifies them
with ``JWT_PUBLIC_SIGNING_JWK_SET``. The sandbox does the same, so tokens take the production
path through edx-drf-extensions (ADR 0012). The key is generated on first use into ``var/`` (never
committed) and shared by every process of the sandbox (runserver, uWSGI workers, Celery), so a
token minted by one is verified by the others and survives a restart. ``XUESHI_JWT_PRIVATE_JWK``
(a private JWK as JSON) replaces the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

KID = "xueshi-sandbox"
ALGORITHM = "RS512"  # Tutor's and the LMS's JWT_SIGNING_ALGORITHM
PUBLIC_FIELDS = ("kty", "e", "n")


def _generate() -> dict[str, str]:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {**json.loads(RSAAlgorithm.to_jwk(key)), "kid": KID}


def private_jwk(path: Path) -> dict[str, str]:
    """The private JWK: from ``XUESHI_JWT_PRIVATE_JWK``, else ``path``, created there if missing.

    Creation is atomic (a new file linked into place), so two processes starting at once agree on
    one key: the loser of the race reads the winner's.
    """
    if os.environ.get("XUESHI_JWT_PRIVATE_JWK"):
        return dict(json.loads(os.environ["XUESHI_JWT_PRIVATE_JWK"]))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(_generate(), out)
        try:
            os.link(temporary, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return dict(json.loads(path.read_text(encoding="utf-8")))


def public_jwk_set(private: dict[str, str]) -> str:
    """``JWT_PUBLIC_SIGNING_JWK_SET``: the public half, in Tutor's shape."""
    public = {name: private[name] for name in PUBLIC_FIELDS}
    return json.dumps({"keys": [{"kid": private.get("kid", KID), **public}]})
