"""Bad XUESHI_* values are refused with a message that names the key and the reason."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from tutor.exceptions import TutorError

from tutorxueshi import config as xconfig
from tutorxueshi.validation import uscc_is_valid, validate

from .conftest import Tutor

pytestmark = pytest.mark.tutor

APIV3_KEY = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"  # 32 printable characters, made up


def _defaults(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {k.full_name: k.default for k in xconfig.KEYS}
    config["XUESHI_VERSION"] = "0.1.0"
    config["XUESHI_PIP_REQUIREMENT"] = "openedx-xueshi==0.1.0"
    config["XUESHI_STUDYTIME_TOKEN_KEY"] = "t" * 48
    config["XUESHI_DATA_KEY"] = "d" * 48
    config["XUESHI_DATA_HASH_KEY"] = "h" * 48
    config["OPENEDX_CACHE_REDIS_DB"] = 1
    config["OPENEDX_CELERY_REDIS_DB"] = 0
    config.update({f"XUESHI_{k}": v for k, v in overrides.items()})
    return config


def _pem(tmp_path: Path, name: str, label: str) -> str:
    body = base64.encodebytes(bytes(range(256)) * 2).decode()
    path = tmp_path / name
    path.write_text(f"-----BEGIN {label}-----\n{body}-----END {label}-----\n", encoding="utf-8")
    return str(path)


def test_defaults_are_valid() -> None:
    assert validate(_defaults()) == []


def test_bad_lease_policy_fails_config_save_with_a_clear_message(enabled: Tutor) -> None:
    result = enabled("config", "save", "--set", "XUESHI_LEASE_POLICY=bogus")
    assert result.exit_code != 0
    assert isinstance(result.exception, TutorError)
    message = str(result.exception)
    assert "XUESHI_LEASE_POLICY: 'bogus' is not one of 'takeover', 'refuse'" in message
    assert "tutor config save --set" in message
    # The environment was not re-rendered with the bad value; fixing it works.
    assert "bogus" not in enabled.read("apps", "openedx", "settings", "lms", "production.py")
    enabled.ok("config", "save", "--set", "XUESHI_LEASE_POLICY=refuse")
    assert "'refuse'" in enabled.read("apps", "openedx", "settings", "lms", "production.py")


def test_every_problem_is_reported_at_once(enabled: Tutor) -> None:
    result = enabled(
        "config", "save", "--set", "XUESHI_HEARTBEAT_SECONDS=abc", "--set", "XUESHI_FACE_ENGINE=baidu"
    )
    message = str(result.exception)
    assert "XUESHI_HEARTBEAT_SECONDS: must be a whole number between 5 and 300, got 'abc'" in message
    assert "XUESHI_FACE_ENGINE: 'baidu' is not one of 'local', 'tencent', 'aliyun'" in message


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"HEARTBEAT_SECONDS": True}, "XUESHI_HEARTBEAT_SECONDS: must be a whole number"),
        ({"HEARTBEAT_SECONDS": 301}, "XUESHI_HEARTBEAT_SECONDS: must be between 5 and 300, got 301"),
        ({"ANTI_IDLE_MINUTES": 0}, "XUESHI_ANTI_IDLE_MINUTES: must be between 1 and 120"),
        ({"HEARTBEAT_SECONDS": 120, "ANTI_IDLE_MINUTES": 1}, "longer than one heartbeat"),
        ({"STUDYTIME_REDIS_DB": 1}, "database 1 is used by Tutor"),
        ({"STUDYTIME_TOKEN_KEY": "short"}, "XUESHI_STUDYTIME_TOKEN_KEY: must be at least 32"),
        ({"STUDYTIME_PREVIOUS_TOKEN_KEYS": "x" * 40}, "must be a list of keys"),
        ({"STUDYTIME_PREVIOUS_TOKEN_KEYS": ["t" * 48]}, "must not contain the current key"),
        ({"DATA_KEY": "short"}, "XUESHI_DATA_KEY: must be at least 32"),
        ({"DATA_HASH_KEY": ""}, "XUESHI_DATA_HASH_KEY: must be at least 32"),
        ({"PREVIOUS_DATA_KEYS": ["d" * 48]}, "XUESHI_PREVIOUS_DATA_KEYS: must not contain the current key"),
        ({"PREVIOUS_DATA_KEYS": ["short"]}, "XUESHI_PREVIOUS_DATA_KEYS: must be a list of keys"),
        ({"DATA_HASH_KEY": "d" * 48}, "XUESHI_DATA_HASH_KEY: must differ from the encryption keys"),
        ({"TIME_ZONE": "Asia/Beijing"}, "XUESHI_TIME_ZONE: 'Asia/Beijing' is not an IANA time zone"),
        ({"DEMO_DATA": "yes"}, "XUESHI_DEMO_DATA: must be true or false"),
        ({"PIP_REQUIREMENT": "x'; rm -rf /"}, "XUESHI_PIP_REQUIREMENT: must not contain quotes"),
        ({"PIP_REQUIREMENT": " "}, "XUESHI_PIP_REQUIREMENT: must name what to install"),
        ({"BEAT_VOLUME_SIZE": "1GB"}, "XUESHI_BEAT_VOLUME_SIZE: '1GB' is not a Kubernetes size"),
        ({"CHINA_MIRRORS": True, "APT_MIRROR": "mirrors.example"}, "XUESHI_APT_MIRROR: 'mirrors.example'"),
        ({"ALIPAY_GATEWAY": "http://openapi.alipay.com/gateway.do"}, "XUESHI_ALIPAY_GATEWAY"),
        ({"FACE_ENGINE": "tencent"}, "XUESHI_FACE_TENCENT_SECRET_KEY: is required with FACE_ENGINE=tencent"),
        ({"FACE_ENGINE": "aliyun"}, "XUESHI_FACE_ALIYUN_ACCESS_KEY_ID: is required with FACE_ENGINE=aliyun"),
        ({"PROVINCE_ENDPOINT_URL": "http://gov.example.cn/api"}, "XUESHI_PROVINCE_CLIENT_ID: is required"),
        (
            {
                "PROVINCE_ENDPOINT_URL": "http://gov.example.cn/api",
                "PROVINCE_CLIENT_ID": "c",
                "PROVINCE_CLIENT_SECRET": "s",
            },
            "XUESHI_PROVINCE_ENDPOINT_URL: 'http://gov.example.cn/api' is not an https URL",
        ),
        ({"INVOICE_PROVIDER": "aisino"}, "XUESHI_INVOICE_PROVIDER: 'aisino' is not one of"),
        ({"CHALLENGE_SECONDS": 5}, "XUESHI_CHALLENGE_SECONDS: must be between 10 and 600, got 5"),
        ({"CHALLENGE_ATTEMPTS": 0}, "XUESHI_CHALLENGE_ATTEMPTS: must be between 1 and 10"),
        ({"CHALLENGE_ROTATIONS": "5"}, "XUESHI_CHALLENGE_ROTATIONS: must be a whole number"),
        ({"SESSION_OPEN_BURST": -1}, "XUESHI_SESSION_OPEN_BURST: must be between 0 and 100"),
        ({"SESSION_OPEN_REFILL_SECONDS": 0}, "XUESHI_SESSION_OPEN_REFILL_SECONDS: must be between 1"),
        ({"MEDIA_PROOF": "on"}, "XUESHI_MEDIA_PROOF: must be true or false"),
        ({"MEDIA_PROOF": True}, "XUESHI_MEDIA_SIGNED_PREFIXES: is required with MEDIA_PROOF=true"),
        ({"MEDIA_SIGNED_PREFIXES": ["media/"]}, "XUESHI_MEDIA_SIGNED_PREFIXES: must be a list of URL paths"),
        ({"RETENTION_YEARS": 2}, "XUESHI_RETENTION_YEARS: must be between 3 and 10, got 2"),
        ({"FACE_PENDING_ENROLMENT": "pass"}, "XUESHI_FACE_PENDING_ENROLMENT: 'pass' is not one of 'hold'"),
        ({"FACE_THRESHOLDS": {"baidu": 80}}, "XUESHI_FACE_THRESHOLDS: must map engines"),
        ({"FACE_THRESHOLDS": {"local": 0}}, "XUESHI_FACE_THRESHOLDS: must map engines"),
        (
            {"INVOICE_PROVIDER": "nuonuo"},
            "XUESHI_INVOICE_APP_SECRET: is required with INVOICE_PROVIDER='nuonuo'",
        ),
        # Media, notifications, reporting, live (validation_services)
        ({"MEDIA_STORAGE": "s3"}, "XUESHI_MEDIA_STORAGE: 's3' is not one of 'volume', 'platform'"),
        ({"MEDIA_WORKER_CONCURRENCY": 0}, "XUESHI_MEDIA_WORKER_CONCURRENCY: must be between 1 and 32"),
        ({"MEDIA_PRESIGNED_SECONDS": 86400}, "XUESHI_MEDIA_PRESIGNED_SECONDS: must be between 0 and 3600"),
        ({"MEDIA_STORAGE_PREFIX": "../media"}, "XUESHI_MEDIA_STORAGE_PREFIX: '../media' is not one folder"),
        (
            {"NOTIFY_WECHAT_APPID": "wxd678efd567ab6787"},
            "XUESHI_NOTIFY_WECHAT_SECRET: is required once WeChat",
        ),
        ({"REPORTING_SECRETS": {"fj": {"hmac_key": ""}}}, "destination 'fj': ['hmac_key'] is missing"),
        ({"REPORTING_SECRETS": {"fj": {"hmac": "k" * 40}}}, "destination 'fj': unknown key(s) ['hmac']"),
        ({"REPORTING_URLS": {"fj": "http://gov.example.cn"}}, "XUESHI_REPORTING_URLS: must map destination"),
        ({"LIVE_PROVIDER": "tencent"}, "XUESHI_LIVE_AUTH_KEY: is required with LIVE_PROVIDER='tencent'"),
        (
            {
                "INVOICE_PROVIDER": "baiwang",
                "INVOICE_APP_KEY": "bw-key",
                "INVOICE_APP_SECRET": "bw-secret",
                "INVOICE_SELLER_NAME": "示例培训中心",
                "INVOICE_DRAWER": "张三",
            },
            "XUESHI_INVOICE_PASSWORD: is required with INVOICE_PROVIDER='baiwang'",
        ),
        ({"LIVE_RECORDING_HOSTS": "https://vod.example.cn"}, "XUESHI_LIVE_RECORDING_HOSTS: must be a list"),
        ({"NOTIFY_DEFAULT_LANGUAGE": "fr"}, "XUESHI_NOTIFY_DEFAULT_LANGUAGE: 'fr' is not one of"),
        ({"NOTIFY_BATCH_SIZE": 0}, "XUESHI_NOTIFY_BATCH_SIZE: must be between 1 and 5000"),
        (
            {"REPORTING_HOLD_UNTIL_CONFIRMED": "yes"},
            "XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED: must be true or false",
        ),
        (
            {
                "LIVE_PROVIDER": "aliyun",
                "LIVE_PUSH_DOMAIN": "rtmp://push.example.cn",
                "LIVE_PLAY_DOMAIN": "play.example.cn",
                "LIVE_AUTH_KEY": "k" * 16,
            },
            "XUESHI_LIVE_PUSH_DOMAIN: 'rtmp://push.example.cn' is not a domain name",
        ),
        (
            {
                "LIVE_PROVIDER": "tencent",
                "LIVE_PUSH_DOMAIN": "push.example.cn",
                "LIVE_PLAY_DOMAIN": "play.example.cn",
                "LIVE_AUTH_KEY": "k" * 16,
                "LIVE_API_KEY_ID": "AKIDexample",
            },
            "XUESHI_LIVE_API_SECRET: is required with LIVE_API_KEY_ID set",
        ),
    ],
)
def test_bad_values_are_named_with_a_reason(overrides: dict[str, Any], expected: str) -> None:
    problems = validate(_defaults(**overrides))
    assert any(expected in problem for problem in problems), problems


def test_wechatpay_half_configured_lists_what_is_missing() -> None:
    problems = validate(_defaults(WECHATPAY_MCHID="1900000109"))
    missing = {p.split(":")[0] for p in problems}
    assert missing == {
        "XUESHI_WECHATPAY_APPID",
        "XUESHI_WECHATPAY_SERIAL_NO",
        "XUESHI_WECHATPAY_APIV3_KEY",
        "XUESHI_WECHATPAY_PRIVATE_KEY_FILE",
        "XUESHI_PAYMENTS_NOTIFY_BASE_URL",
    }


def test_wechatpay_complete_with_key_files_is_valid(tmp_path: Path) -> None:
    config = _defaults(
        WECHATPAY_MCHID="1900000109",
        WECHATPAY_APPID="wxd678efd567ab6787",
        WECHATPAY_SERIAL_NO="5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        WECHATPAY_APIV3_KEY=APIV3_KEY,
        WECHATPAY_PRIVATE_KEY_FILE=_pem(tmp_path, "apiclient_key.pem", "PRIVATE KEY"),
        WECHATPAY_PUBLIC_KEY_ID="PUB_KEY_ID_0119000001092025",
        WECHATPAY_PUBLIC_KEY_FILE=_pem(tmp_path, "pub_key.pem", "PUBLIC KEY"),
        PAYMENTS_NOTIFY_BASE_URL="https://study.example.cn",
    )
    assert validate(config) == []


def test_wechatpay_bad_values_never_echo_the_apiv3_key(tmp_path: Path) -> None:
    wrong_key = "S3cr3t-not-32-chars"
    problems = validate(
        _defaults(
            WECHATPAY_MCHID="商户号",
            WECHATPAY_APPID="app123",
            WECHATPAY_SERIAL_NO="xyz",
            WECHATPAY_APIV3_KEY=wrong_key,
            WECHATPAY_PRIVATE_KEY_FILE=_pem(tmp_path, "wrong.pem", "PUBLIC KEY"),
        )
    )
    text = "\n".join(problems)
    assert "XUESHI_WECHATPAY_MCHID: '商户号' is not a merchant id" in text
    assert "XUESHI_WECHATPAY_APPID: 'app123' is not an AppID" in text
    assert "XUESHI_WECHATPAY_APIV3_KEY: the value is not 32 printable characters" in text
    assert "does not hold a private key" in text
    assert wrong_key not in text


def test_missing_and_garbage_key_files_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "alipay_public.txt"
    garbage.write_text("这不是密钥", encoding="utf-8")
    problems = validate(
        _defaults(
            ALIPAY_APP_ID="2021000000000000",
            ALIPAY_PRIVATE_KEY_FILE=str(tmp_path / "absent.pem"),
            ALIPAY_PUBLIC_KEY_FILE=str(garbage),
        )
    )
    text = "\n".join(problems)
    assert "XUESHI_ALIPAY_PRIVATE_KEY_FILE: cannot read" in text
    assert "XUESHI_ALIPAY_PUBLIC_KEY_FILE:" in text and "neither PEM nor Base64" in text


def test_alipay_accepts_bare_base64_keys_as_its_key_tool_writes_them(tmp_path: Path) -> None:
    bare = tmp_path / "应用私钥.txt"
    bare.write_text(base64.b64encode(bytes(range(256)) * 4).decode(), encoding="utf-8")
    config = _defaults(
        ALIPAY_APP_ID="2021000000000000",
        ALIPAY_SELLER_ID="2088000000000001",
        ALIPAY_PRIVATE_KEY_FILE=str(bare),
        ALIPAY_PUBLIC_KEY_FILE=_pem(tmp_path, "alipay.pem", "PUBLIC KEY"),
        PAYMENTS_NOTIFY_BASE_URL="https://study.example.cn",
    )
    assert validate(config) == []


@pytest.mark.parametrize(
    # Published codes of well-known companies (national enterprise credit registry).
    "code",
    ["91330100716105852F", "9144030071526726XG", "914403001922038216", "91110000802100433B"],
)
def test_real_unified_social_credit_codes_pass(code: str) -> None:
    assert uscc_is_valid(code)


@pytest.mark.parametrize(
    "code",
    ["91330100716105852G", "9133010071610585", "91330100716105852FX", "9133010071610585IO"],
)
def test_wrong_unified_social_credit_codes_fail(code: str) -> None:
    assert not uscc_is_valid(code)


def test_invoice_with_a_bad_tax_number_is_refused() -> None:
    config = _defaults(
        INVOICE_PROVIDER="nuonuo",
        INVOICE_APP_KEY="key",
        INVOICE_APP_SECRET="secret",
        INVOICE_TAX_NUMBER="91330100716105852G",
        INVOICE_SELLER_NAME="学时继续教育培训有限公司",
        INVOICE_DRAWER="王会计",
    )
    assert validate(config) == [
        "XUESHI_INVOICE_TAX_NUMBER: '91330100716105852G' is not a valid 统一社会信用代码 "
        "(18 characters with a check character)"
    ]
    config["XUESHI_INVOICE_TAX_NUMBER"] = "91330100716105852f"  # lower case is accepted
    assert validate(config) == []


def test_the_issue_15_settings_accept_sensible_values() -> None:
    good = _defaults(
        MEDIA_PROOF=True,
        MEDIA_SIGNED_PREFIXES=["/media/xueshi/"],
        SESSION_OPEN_BURST=0,
        RETENTION_YEARS=3,
        FACE_PENDING_ENROLMENT="record",
        FACE_THRESHOLDS={"local": 45, "tencent": 80.5},
    )
    assert validate(good) == []


def test_alipay_half_configured_names_the_seller_and_an_https_notify_origin(tmp_path: Path) -> None:
    problems = validate(
        _defaults(
            ALIPAY_APP_ID="2021000000000000",
            ALIPAY_PRIVATE_KEY_FILE=_pem(tmp_path, "app.pem", "PRIVATE KEY"),
            ALIPAY_PUBLIC_KEY_FILE=_pem(tmp_path, "alipay.pem", "PUBLIC KEY"),
        )
    )
    assert {p.split(":")[0] for p in problems} == {
        "XUESHI_ALIPAY_SELLER_ID",
        "XUESHI_PAYMENTS_NOTIFY_BASE_URL",
    }
    problems = validate(
        _defaults(
            ALIPAY_APP_ID="2021000000000000",
            ALIPAY_SELLER_ID="1234",
            ALIPAY_PRIVATE_KEY_FILE=_pem(tmp_path, "app.pem", "PRIVATE KEY"),
            ALIPAY_PUBLIC_KEY_FILE=_pem(tmp_path, "alipay.pem", "PUBLIC KEY"),
            PAYMENTS_NOTIFY_BASE_URL="http://study.example.cn",
        )
    )
    text = "\n".join(problems)
    assert "XUESHI_ALIPAY_SELLER_ID: '1234' is not a PID" in text
    assert "XUESHI_PAYMENTS_NOTIFY_BASE_URL: 'http://study.example.cn' is not an https origin" in text


def test_unionpay_half_configured_names_what_is_missing_and_bad_shapes() -> None:
    problems = validate(_defaults(UNIONPAY_MER_ID="777290058110048"))
    assert {p.split(":")[0] for p in problems} == {
        "XUESHI_UNIONPAY_SIGN_CERT_PATH",
        "XUESHI_UNIONPAY_SIGN_CERT_PASSWORD",
        "XUESHI_UNIONPAY_MIDDLE_CERT_PATH",
        "XUESHI_UNIONPAY_ROOT_CERT_PATH",
        "XUESHI_PAYMENTS_NOTIFY_BASE_URL",
    }
    text = "\n".join(
        validate(
            _defaults(
                UNIONPAY_MER_ID="7772900",
                UNIONPAY_SIGN_CERT_PATH="sign.pfx",
                UNIONPAY_SIGN_CERT_PASSWORD="000000",
                UNIONPAY_MIDDLE_CERT_PATH="/certs/mid.cer",
                UNIONPAY_ROOT_CERT_PATH="/certs/root.cer",
                UNIONPAY_GATEWAY="http://gateway.95516.com",
                PAYMENTS_NOTIFY_BASE_URL="https://study.example.cn",
            )
        )
    )
    assert "XUESHI_UNIONPAY_MER_ID: '7772900' is not a UnionPay merchant number (15 digits)" in text
    assert "XUESHI_UNIONPAY_SIGN_CERT_PATH: 'sign.pfx' is not an absolute path" in text
    assert "XUESHI_UNIONPAY_GATEWAY: 'http://gateway.95516.com' is not an https URL" in text
    assert "000000" not in text  # the password is never echoed
    # Unquoted digits become a number in config.yml: 000000 would reach the PFX as "0".
    numeric = validate(_defaults(UNIONPAY_SIGN_CERT_PASSWORD=0, UNIONPAY_MER_ID="777290058110048"))
    assert any(p.startswith("XUESHI_UNIONPAY_SIGN_CERT_PASSWORD: is a number") for p in numeric)


def test_invoice_seller_basics_rate_and_callback_are_checked() -> None:
    config = _defaults(
        INVOICE_PROVIDER="nuonuo",
        INVOICE_APP_KEY="key",
        INVOICE_APP_SECRET="secret",
        INVOICE_TAX_NUMBER="91330100716105852F",
        INVOICE_VAT_RATE=5,
        INVOICES_CALLBACK_BASE_URL="http://study.example.cn/x",
    )
    assert validate(config) == [
        "XUESHI_INVOICE_SELLER_NAME: is required with INVOICE_PROVIDER='nuonuo'",
        "XUESHI_INVOICE_DRAWER: is required with INVOICE_PROVIDER='nuonuo'",
        "XUESHI_INVOICE_VAT_RATE: 5 is not one of 6, 3, 1, 0",
        "XUESHI_INVOICES_CALLBACK_BASE_URL: 'http://study.example.cn/x' is not an https origin (no path)",
    ]


def test_sms_provider_half_configured_names_what_is_missing() -> None:
    config = _defaults(SMS_PROVIDER="tencent", SMS_SIGN_NAME="学时平台", SMS_TEMPLATES=["SMS_1"])
    assert validate(config) == [
        "XUESHI_SMS_TEMPLATES: must map message kinds to template codes",
        "XUESHI_SMS_TENCENT_SECRET_ID: is required with SMS_PROVIDER=tencent",
        "XUESHI_SMS_TENCENT_SECRET_KEY: is required with SMS_PROVIDER=tencent",
        "XUESHI_SMS_TENCENT_SDK_APP_ID: is required with SMS_PROVIDER=tencent",
    ]
    assert any(p.startswith("XUESHI_SMS_PROVIDER") for p in validate(_defaults(SMS_PROVIDER="yunpian")))
