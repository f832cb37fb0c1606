"""``make sandbox`` points live lessons at the live provider sandbox (ADR 0355), unless told not to."""

from __future__ import annotations

from pathlib import Path

from sandbox.live import site


def test_the_site_is_configured_for_the_sandbox_on_its_port_with_a_key_made_once(tmp_path: Path) -> None:
    settings: dict[str, object] = {}
    site.configure(settings, {site.PORT_ENV: "18780"}, tmp_path)
    assert settings["XUESHI_LIVE_PROVIDER"] == "tencent"
    assert settings["XUESHI_LIVE_PLAY_DOMAIN"] == settings["XUESHI_LIVE_API_ENDPOINT"] == "127.0.0.1:18780"
    assert settings["XUESHI_LIVE_AUTH_KEY"] == site.key(tmp_path)  # the sandbox reads the same key
    assert (tmp_path / "live-sandbox-key").stat().st_mode & 0o077 == 0

    off: dict[str, object] = {}
    site.configure(off, {site.SWITCH_ENV: "0"}, tmp_path)
    real = {"XUESHI_LIVE_PROVIDER": "aliyun"}  # an operator's provider wins
    site.configure(real, {}, tmp_path)
    assert off == {} and real == {"XUESHI_LIVE_PROVIDER": "aliyun"}
    banner = site.Started(process=None, port=18780).banner()  # type: ignore[arg-type]
    assert "XUESHI_LIVE_SANDBOX_PORT=18780 .venv/bin/python manage.py live_sandbox push" in banner[1]
