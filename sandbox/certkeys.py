"""The sandbox's certificate signing key (Ed25519, PEM), generated on first use into ``var/``.

Like ``jwtkeys.py``: never committed, shared by every process of the sandbox (runserver, uWSGI,
Celery) and kept across restarts, so credentials issued yesterday still verify today. Creation
is atomic: two processes starting at once agree on one key.
"""

from __future__ import annotations

import os
from pathlib import Path


def ensure_key(path: Path) -> str:
    """The path of the PEM key at ``path``, creating the key there if it is missing."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(temporary, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return str(path)
