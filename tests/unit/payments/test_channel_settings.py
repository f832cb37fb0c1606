"""Which payment channels a site offers, from the environment, the platform's YAML and the sandbox."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from sandbox import payment_sandboxes
from sandbox.serve import banner
from xueshi_payments.conf import configured_channels
from xueshi_payments.settings import common, production

WECHAT = "xueshi_payments.channels.wechat.WeChatPayChannel"
ALIPAY = "xueshi_payments.channels.alipay.AlipayChannel"


def test_the_environment_names_the_merchants_and_only_named_ones_are_offered(monkeypatch) -> None:
    for name in ("XUESHI_ALIPAY_APP_ID", "XUESHI_WECHATPAY_APIV3_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XUESHI_WECHATPAY_MCHID", "1900000109")
    monkeypatch.setenv("XUESHI_WECHATPAY_PRIVATE_KEY_PATH", "/run/secrets/apiclient_key.pem")
    settings = SimpleNamespace()
    common.plugin_settings(settings)
    assert settings.XUESHI_WECHATPAY == {
        "MCHID": "1900000109",
        "PRIVATE_KEY_PATH": "/run/secrets/apiclient_key.pem",
    }
    assert settings.XUESHI_ALIPAY == {}
    assert list(settings.XUESHI_PAYMENT_CHANNELS) == ["wechat", "transfer"]


def test_the_yaml_completes_the_merchants_and_an_explicit_channel_list_wins() -> None:
    settings = SimpleNamespace(ENV_TOKENS={"XUESHI_ALIPAY": {"APP_ID": "2021000000000001", "GATEWAY": ""}})
    common.plugin_settings(settings)
    production.plugin_settings(settings)
    assert settings.XUESHI_ALIPAY == {"APP_ID": "2021000000000001"}  # empty values are not values
    assert settings.XUESHI_PAYMENT_CHANNELS["alipay"] == ALIPAY
    settings.ENV_TOKENS["XUESHI_PAYMENT_CHANNELS"] = {"transfer": "x.Transfer"}
    production.plugin_settings(settings)
    assert settings.XUESHI_PAYMENT_CHANNELS == {"transfer": "x.Transfer"}


def test_the_sandbox_site_pays_through_both_sandboxes_on_the_ports_it_is_given(tmp_path: Path) -> None:
    env = {
        "XUESHI_WECHATPAY_SANDBOX_PORT": "18061",
        "XUESHI_ALIPAY_SANDBOX_PORT": "18090",
        "XUESHI_UNIONPAY_SANDBOX_PORT": "18091",
    }
    env["XUESHI_PAYMENTS_NOTIFY_BASE_URL"] = "http://127.0.0.1:8000"
    site: dict[str, object] = {"XUESHI_WECHATPAY": {}, "XUESHI_ALIPAY": {}, "XUESHI_UNIONPAY": {}}
    payment_sandboxes.configure(site, env)
    wechat, alipay = site["XUESHI_WECHATPAY"], site["XUESHI_ALIPAY"]
    assert isinstance(wechat, dict) and isinstance(alipay, dict)
    assert wechat["BASE_URL"] == "http://127.0.0.1:18061" and Path(wechat["PRIVATE_KEY_PATH"]).is_file()
    assert alipay["GATEWAY"] == "http://127.0.0.1:18090/gateway.do"
    unionpay = site["XUESHI_UNIONPAY"]
    assert isinstance(unionpay, dict) and unionpay["GATEWAY"] == "http://127.0.0.1:18091"
    assert Path(unionpay["SIGN_CERT_PATH"]).is_file() and Path(unionpay["ROOT_CERT_PATH"]).is_file()
    assert site["XUESHI_PAYMENT_CHANNELS"] == configured_channels(wechat, alipay, unionpay)
    assert list(site["XUESHI_PAYMENT_CHANNELS"]) == ["wechat", "alipay", "unionpay", "transfer"]  # type: ignore[call-overload]
    assert site["XUESHI_PAYMENTS_NOTIFY_BASE_URL"] == "http://127.0.0.1:8000"
    # Off on request, and never over a merchant the operator configured.
    off: dict[str, object] = {"XUESHI_WECHATPAY": {}, "XUESHI_ALIPAY": {}}
    payment_sandboxes.configure(off, {"XUESHI_PAYMENT_SANDBOXES": "0"})
    assert off == {"XUESHI_WECHATPAY": {}, "XUESHI_ALIPAY": {}}
    real: dict[str, object] = {"XUESHI_WECHATPAY": {"MCHID": "1900000109"}, "XUESHI_ALIPAY": {}}
    payment_sandboxes.configure(real, env)
    assert real["XUESHI_WECHATPAY"] == {"MCHID": "1900000109"}


def test_the_banner_lists_the_sandbox_pages_before_the_logins() -> None:
    running = payment_sandboxes.Running(wechatpay_port=8061, alipay_port=8090, unionpay_port=8091)
    lines = banner("http://localhost:8000/", running.banner())
    assert any("http://127.0.0.1:8091/sandbox/" in line for line in lines)
    assert any("http://127.0.0.1:8061/sandbox/" in line for line in lines)
    assert any("http://127.0.0.1:8090/sandbox/" in line for line in lines)
    assert lines.index(running.banner()[0]) < next(i for i, line in enumerate(lines) if "operator" in line)


def test_a_unionpay_merchant_number_offers_online_banking_from_the_environment_or_the_yaml(
    monkeypatch,
) -> None:
    for name in ("XUESHI_WECHATPAY_MCHID", "XUESHI_ALIPAY_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XUESHI_UNIONPAY_MER_ID", "777290058110048")
    monkeypatch.setenv("XUESHI_UNIONPAY_SIGN_CERT_PATH", "/run/secrets/unionpay.pfx")
    settings = SimpleNamespace()
    common.plugin_settings(settings)
    assert settings.XUESHI_UNIONPAY == {
        "MER_ID": "777290058110048",
        "SIGN_CERT_PATH": "/run/secrets/unionpay.pfx",
    }
    assert list(settings.XUESHI_PAYMENT_CHANNELS) == ["unionpay", "transfer"]
    monkeypatch.delenv("XUESHI_UNIONPAY_MER_ID")
    settings = SimpleNamespace(ENV_TOKENS={"XUESHI_UNIONPAY": {"MER_ID": "777290058110049", "GATEWAY": ""}})
    common.plugin_settings(settings)
    production.plugin_settings(settings)
    assert settings.XUESHI_UNIONPAY == {
        "MER_ID": "777290058110049",
        "SIGN_CERT_PATH": "/run/secrets/unionpay.pfx",
    }
    assert list(settings.XUESHI_PAYMENT_CHANNELS) == ["unionpay", "transfer"]
    assert configured_channels({}, {}, {"SIGN_CERT_PATH": "/x.pfx"}) == configured_channels({}, {})
