"""The live provider sandbox beside the sandbox site (``make sandbox``), and the site's live settings.

``sandbox/serve.py`` starts ``python -m sandbox.live tencent`` on 8780 (a free port when that is
taken) with its callbacks going to the site; ``sandbox/settings.py`` calls ``configure`` so the
site signs push and play URLs for it and asks it for stream states (ADR 0355). Both sides read the
URL-signing key from ``var/live-sandbox-key``, made once and never printed or committed; the
stream-state API keys are the sandbox's published test pair, as for the SMS sandbox.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parents[2]
PORT, PORT_ENV = 8780, "XUESHI_LIVE_SANDBOX_PORT"
SWITCH_ENV = "XUESHI_LIVE_SANDBOX"  # "0": the site configures no live provider
PUSH_DOMAIN = "push.sandbox.invalid"
API_KEY_ID, API_SECRET = "sandbox-live-key-id", "sandbox-live-secret"  # the published test pair


def key(var: Path = REPO_DIR / "var") -> str:
    """The URL- and callback-signing key both sides use, made once into ``var/live-sandbox-key``."""
    path = var / "live-sandbox-key"
    if not path.is_file():
        var.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def configure(
    settings: MutableMapping[str, Any], environ: Mapping[str, str] = os.environ, var: Path = REPO_DIR / "var"
) -> None:
    """Point live lessons at the sandbox on ``XUESHI_LIVE_SANDBOX_PORT`` (8780), unless a provider is set."""
    if environ.get(SWITCH_ENV, "1") == "0" or settings.get("XUESHI_LIVE_PROVIDER"):
        return
    endpoint = f"127.0.0.1:{int(environ.get(PORT_ENV) or PORT)}"
    settings.update(
        XUESHI_LIVE_PROVIDER="tencent",
        XUESHI_LIVE_AUTH_KEY=key(var),
        XUESHI_LIVE_PUSH_DOMAIN=PUSH_DOMAIN,
        XUESHI_LIVE_PLAY_DOMAIN=endpoint,
        XUESHI_LIVE_PLAY_SCHEME="http",
        XUESHI_LIVE_RECORDING_HOSTS=[endpoint],
        XUESHI_LIVE_API_ENDPOINT=endpoint,
        XUESHI_LIVE_API_PROTOCOL="http",
        XUESHI_LIVE_API_KEY_ID=API_KEY_ID,
        XUESHI_LIVE_API_SECRET=API_SECRET,
    )


@dataclass
class Started:
    """The running live sandbox: its process and port."""

    process: subprocess.Popen[Any]
    port: int

    def env(self) -> dict[str, str]:
        return {PORT_ENV: str(self.port)}

    def banner(self) -> list[str]:
        prefix = "" if self.port == PORT else f"{PORT_ENV}={self.port} "
        return [
            f"Live sandbox:       http://127.0.0.1:{self.port}/  (streams on air, callbacks sent)",
            f"  put the demo live lesson on air: {prefix}.venv/bin/python manage.py live_sandbox push",
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start(site_origin: str, port: int, log_dir: Path = REPO_DIR / "var") -> Started:
    """Start ``python -m sandbox.live tencent`` calling ``site_origin`` back (output to ``var/``)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, XUESHI_LIVE_AUTH_KEY=key(log_dir))
    command = [sys.executable, "-m", "sandbox.live", "tencent", "--port", str(port)]
    command += ["--callback", f"{site_origin}/xueshi/live/callback/"]
    with (log_dir / "live-sandbox.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Started(process, port)
