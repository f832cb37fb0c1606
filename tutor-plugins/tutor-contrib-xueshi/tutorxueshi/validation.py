"""Checks on the ``XUESHI_*`` configuration, with messages an operator can act on.

A wrong value found here costs a second; found in a running platform (a payment
callback that cannot be verified, a study-time ledger writing into Tutor's cache
database) it costs a support call. Every message names the key, says what is
wrong and why, and never repeats a secret value.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import typing as t
import zoneinfo

from . import config as xconfig

Config = t.Mapping[str, t.Any]

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [3**i % 31 for i in range(17)]
# The requirement lands inside single quotes of a Dockerfile RUN line.
_UNSAFE_REQUIREMENT = re.compile(r"['\"`$\\\n\r]")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
_HTTPS_URL = re.compile(r"^https://[^\s/]+(/\S*)?$")


def uscc_is_valid(code: str) -> bool:
    """Check a 统一社会信用代码 (GB 32100-2015): charset, length and MOD 31-3 check char."""
    if len(code) != 18 or any(ch not in _USCC_ALPHABET for ch in code):
        return False
    total = sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(code[:17], _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def read_key_file(path: str) -> str:
    """Return a key file's text; the caller decides whether it is valid."""
    with open(os.path.expanduser(path), encoding="utf-8") as handle:
        return handle.read().strip()


def key_file_problem(path: str, kind: str) -> str | None:
    """Say what is wrong with a PEM (or bare Base64, as Alipay's tool writes) key file.

    Arguments:
        path: file path on the Tutor host.
        kind: "PRIVATE KEY" or "PUBLIC KEY".

    Returns:
        None when the file holds a plausible key, else a reason (never the content).
    """
    try:
        text = read_key_file(path)
    except OSError as exc:
        return f"cannot read {path!r} ({exc.strerror or exc})"
    except UnicodeDecodeError:
        return f"{path!r} is not a text (PEM) file"
    if text.startswith("-----BEGIN"):
        if kind not in text.splitlines()[0] and not (
            kind == "PUBLIC KEY" and "CERTIFICATE" in text.splitlines()[0]
        ):
            return f"{path!r} does not hold a {kind.lower()} (PEM header {text.splitlines()[0]!r})"
        return None
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return f"{path!r} is neither PEM nor Base64"
    if len(der) < 64:
        return f"{path!r} is too short to be an RSA {kind.lower()}"
    return None


class _Checker:
    """Collects problems; one instance per validation run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.problems: list[str] = []

    def get(self, name: str) -> t.Any:
        return self.config.get(xconfig.PREFIX + name, "")

    def text(self, name: str) -> t.Any:
        """The value as text when YAML made a number of it (ids such as 1900000109)."""
        value = self.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    def add(self, name: str, reason: str) -> None:
        self.problems.append(f"{xconfig.PREFIX}{name}: {reason}")

    def boolean(self, name: str) -> None:
        if not isinstance(self.get(name), bool):
            self.add(name, f"must be true or false, got {self.get(name)!r}")

    def integer(self, name: str, low: int, high: int) -> int | None:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(name, f"must be a whole number between {low} and {high}, got {value!r}")
            return None
        if not low <= value <= high:
            self.add(name, f"must be between {low} and {high}, got {value}")
            return None
        return value

    def choice(self, name: str, choices: t.Sequence[str]) -> None:
        if self.get(name) not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            self.add(name, f"{self.get(name)!r} is not one of {allowed}")

    def pattern(self, name: str, regex: str, meaning: str, secret: bool = False) -> None:
        value = self.text(name)
        if not isinstance(value, str) or not re.fullmatch(regex, value):
            shown = "the value" if secret else repr(value)
            self.add(name, f"{shown} is not {meaning}")

    def required(self, names: t.Iterable[str], because: str) -> list[str]:
        missing = [n for n in names if self.get(n) in ("", None)]
        for name in missing:
            self.add(name, f"is required {because}")
        return missing

    def key_file(self, name: str, kind: str) -> None:
        path = self.get(name)
        if path:
            problem = key_file_problem(str(path), kind)
            if problem:
                self.add(name, problem)


def validate(config: Config) -> list[str]:
    """Return every problem in the rendered configuration (empty when all is well)."""
    check = _Checker(config)
    _check_install(check)
    _check_studytime(check)
    _check_personal_data(check)
    _check_wechatpay(check)
    _check_alipay(check)
    _check_unionpay(check)
    _check_invoice(check)
    _check_face(check)
    _check_sms(check)
    _check_province(check)
    # Imported here: validation_services types its checks with this module's _Checker.
    from .validation_services import check_services

    check_services(check)
    return check.problems


def _check_install(check: _Checker) -> None:
    check.pattern("VERSION", r"[0-9][0-9A-Za-z.+!-]*", "a version such as 0.1.0")
    requirement = check.get("PIP_REQUIREMENT")
    if not isinstance(requirement, str) or not requirement.strip():
        check.add("PIP_REQUIREMENT", "must name what to install, e.g. openedx-xueshi==0.1.0")
    elif _UNSAFE_REQUIREMENT.search(requirement):
        check.add(
            "PIP_REQUIREMENT",
            "must not contain quotes, $, backslashes or line breaks (it is put in the Dockerfile)",
        )
    for name in ("DEMO_DATA", "RUN_BEAT", "CHINA_MIRRORS"):
        check.boolean(name)
    check.pattern("BEAT_VOLUME_SIZE", r"[1-9][0-9]*(Mi|Gi|Ti)", "a Kubernetes size such as 1Gi")
    zone = check.get("TIME_ZONE")
    try:
        zoneinfo.ZoneInfo(str(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if zoneinfo.available_timezones():  # no tz database on this host: cannot judge
            check.add("TIME_ZONE", f"{zone!r} is not an IANA time zone such as 'Asia/Shanghai'")
    for name in ("PIP_INDEX_URL", "NPM_REGISTRY", "APT_MIRROR"):
        if check.get("CHINA_MIRRORS") is True:
            check.pattern(name, _URL.pattern, "an http(s) URL")


def _check_studytime(check: _Checker) -> None:
    heartbeat = check.integer("HEARTBEAT_SECONDS", 5, 300)
    idle = check.integer("ANTI_IDLE_MINUTES", 1, 120)
    if heartbeat and idle and idle * 60 <= heartbeat:
        check.add("ANTI_IDLE_MINUTES", "must be longer than one heartbeat, or every learner idles")
    if check.get("LEASE_POLICY") != "":  # empty: follow XUESHI_CONCURRENT_LOGIN
        check.choice("LEASE_POLICY", xconfig.LEASE_POLICIES)
    check.choice("CONCURRENT_LOGIN", xconfig.CONCURRENT_LOGIN_POLICIES)
    check.integer("AUDIT_RETENTION_DAYS", 1095, 36500)
    check.integer("CHALLENGE_SECONDS", 10, 600)
    check.integer("CHALLENGE_ATTEMPTS", 1, 10)
    check.integer("CHALLENGE_ROTATIONS", 0, 50)
    check.integer("SESSION_OPEN_BURST", 0, 100)
    check.integer("SESSION_OPEN_REFILL_SECONDS", 1, 3600)
    check.boolean("MEDIA_PROOF")
    prefixes = check.get("MEDIA_SIGNED_PREFIXES")
    if not isinstance(prefixes, list) or not all(
        isinstance(p, str) and p.startswith("/") and len(p) > 1 for p in prefixes
    ):
        check.add("MEDIA_SIGNED_PREFIXES", "must be a list of URL paths such as '/media/xueshi/'")
    elif check.get("MEDIA_PROOF") is True and not prefixes:
        check.add(
            "MEDIA_SIGNED_PREFIXES",
            "is required with MEDIA_PROOF=true (otherwise no session could ever prove delivery)",
        )
    db = check.integer("STUDYTIME_REDIS_DB", 0, 15)
    tutor_dbs = {
        check.config.get("OPENEDX_CACHE_REDIS_DB"),
        check.config.get("OPENEDX_CELERY_REDIS_DB"),
    }
    if db is not None and db in tutor_dbs:
        check.add(
            "STUDYTIME_REDIS_DB",
            f"database {db} is used by Tutor (cache or Celery); pick another, e.g. 5",
        )
    token = check.get("STUDYTIME_TOKEN_KEY")
    if not isinstance(token, str) or len(token) < 32:
        check.add("STUDYTIME_TOKEN_KEY", "must be at least 32 characters (unset it to regenerate)")
    previous = check.get("STUDYTIME_PREVIOUS_TOKEN_KEYS")
    if not isinstance(previous, list) or not all(
        isinstance(k, str) and len(k) >= 32 for k in previous
    ):
        check.add(
            "STUDYTIME_PREVIOUS_TOKEN_KEYS", "must be a list of keys of 32 characters or more"
        )
    elif token in previous:
        check.add("STUDYTIME_PREVIOUS_TOKEN_KEYS", "must not contain the current key")


def _check_personal_data(check: _Checker) -> None:
    check.integer("RETENTION_YEARS", 3, 10)  # 需求 004 asks 3 years, 需求 003 five
    for name in ("DATA_KEY", "DATA_HASH_KEY"):
        value = check.get(name)
        if not isinstance(value, str) or len(value) < 32:
            check.add(name, "must be at least 32 characters (unset it to regenerate)")
    previous = check.get("PREVIOUS_DATA_KEYS")
    if not isinstance(previous, list) or not all(
        isinstance(k, str) and len(k) >= 32 for k in previous
    ):
        check.add("PREVIOUS_DATA_KEYS", "must be a list of keys of 32 characters or more")
    elif check.get("DATA_KEY") in previous:
        check.add("PREVIOUS_DATA_KEYS", "must not contain the current key")
    elif check.get("DATA_HASH_KEY") and check.get("DATA_HASH_KEY") in [
        check.get("DATA_KEY"),
        *previous,
    ]:
        check.add("DATA_HASH_KEY", "must differ from the encryption keys")


def _check_wechatpay(check: _Checker) -> None:
    names = ("MCHID", "APPID", "SERIAL_NO", "APIV3_KEY", "PRIVATE_KEY_FILE")
    if not any(check.get("WECHATPAY_" + n) for n in names):
        return
    missing = check.required(("WECHATPAY_" + n for n in names), "once WeChat Pay is configured")
    present = [n for n in names if "WECHATPAY_" + n not in missing]
    if "MCHID" in present:
        check.pattern("WECHATPAY_MCHID", r"[0-9]{8,12}", "a merchant id of 8-12 digits")
    if "APPID" in present:
        check.pattern("WECHATPAY_APPID", r"wx[0-9a-f]{16}", "an AppID such as wx + 16 hex digits")
    if "SERIAL_NO" in present:
        check.pattern(
            "WECHATPAY_SERIAL_NO", r"[0-9A-Fa-f]{8,40}", "a hexadecimal certificate serial"
        )
    if "APIV3_KEY" in present:
        check.pattern(
            "WECHATPAY_APIV3_KEY", r"[\x21-\x7e]{32}", "32 printable characters", secret=True
        )
    check.key_file("WECHATPAY_PRIVATE_KEY_FILE", "PRIVATE KEY")
    key_id, key_file = check.get("WECHATPAY_PUBLIC_KEY_ID"), check.get("WECHATPAY_PUBLIC_KEY_FILE")
    if key_id or key_file:
        check.required(("WECHATPAY_PUBLIC_KEY_ID", "WECHATPAY_PUBLIC_KEY_FILE"), "together")
        if key_id:
            check.pattern(
                "WECHATPAY_PUBLIC_KEY_ID", r"PUB_KEY_ID_[0-9A-Za-z_]+", "a PUB_KEY_ID_… id"
            )
        check.key_file("WECHATPAY_PUBLIC_KEY_FILE", "PUBLIC KEY")
    if check.get("WECHATPAY_APP_SECRET"):
        check.pattern(
            "WECHATPAY_APP_SECRET", r"[0-9A-Za-z]{32}", "32 letters or digits", secret=True
        )
    _check_notify_base(check, "once WeChat Pay is configured")


def _check_alipay(check: _Checker) -> None:
    names = (
        "ALIPAY_APP_ID",
        "ALIPAY_SELLER_ID",
        "ALIPAY_PRIVATE_KEY_FILE",
        "ALIPAY_PUBLIC_KEY_FILE",
    )
    if any(check.get(n) for n in names):
        missing = check.required(names, "once Alipay is configured")
        if "ALIPAY_APP_ID" not in missing:
            check.pattern("ALIPAY_APP_ID", r"[0-9]{16}", "an Alipay app id of 16 digits")
        if "ALIPAY_SELLER_ID" not in missing:
            check.pattern("ALIPAY_SELLER_ID", r"2088[0-9]{12}", "a PID of 2088 + 12 digits")
        _check_notify_base(check, "once Alipay is configured")
        check.key_file("ALIPAY_PRIVATE_KEY_FILE", "PRIVATE KEY")
        check.key_file("ALIPAY_PUBLIC_KEY_FILE", "PUBLIC KEY")
    check.pattern("ALIPAY_GATEWAY", _HTTPS_URL.pattern, "an https URL")


def _check_unionpay(check: _Checker) -> None:
    """A named UnionPay merchant needs its PFX, the password and UnionPay's two certificates.

    The files live inside the LMS container (a PFX is binary), so only their paths' shape is
    checked here; the channel names an unreadable file when it starts (ADR 0164).
    """
    names = (
        "UNIONPAY_MER_ID",
        "UNIONPAY_SIGN_CERT_PATH",
        "UNIONPAY_SIGN_CERT_PASSWORD",
        "UNIONPAY_MIDDLE_CERT_PATH",
        "UNIONPAY_ROOT_CERT_PATH",
    )
    if any(check.get(n) for n in names):
        missing = check.required(names, "once UnionPay is configured")
        if "UNIONPAY_MER_ID" not in missing:
            check.pattern("UNIONPAY_MER_ID", r"[0-9]{15}", "a UnionPay merchant number (15 digits)")
        paths = ("UNIONPAY_SIGN_CERT_PATH", "UNIONPAY_MIDDLE_CERT_PATH", "UNIONPAY_ROOT_CERT_PATH")
        for name in paths:
            if name not in missing:
                check.pattern(name, r"/\S+", "an absolute path inside the LMS container")
        password = check.get("UNIONPAY_SIGN_CERT_PASSWORD")
        if isinstance(password, (int, float)) and not isinstance(password, bool):
            # `--set …=000000` (UnionPay's usual test password) is read by YAML as the number 0.
            check.add(
                "UNIONPAY_SIGN_CERT_PASSWORD",
                "is a number in config.yml, so leading zeros are lost; set it quoted: "
                "--set 'XUESHI_UNIONPAY_SIGN_CERT_PASSWORD=\"…\"'",
            )
        _check_notify_base(check, "once UnionPay is configured")
    check.pattern("UNIONPAY_GATEWAY", _HTTPS_URL.pattern, "an https URL")
    check.pattern("UNIONPAY_FILE_URL", _HTTPS_URL.pattern, "an https URL")


def _check_notify_base(check: _Checker, because: str) -> None:
    """Providers post notices only to HTTPS on an ICP-filed domain; said once for both channels."""
    if any("PAYMENTS_NOTIFY_BASE_URL" in p for p in check.problems):
        return
    if not check.required(("PAYMENTS_NOTIFY_BASE_URL",), because):
        check.pattern("PAYMENTS_NOTIFY_BASE_URL", r"https://[^\s/]+", "an https origin (no path)")


def _check_invoice(check: _Checker) -> None:
    check.choice("INVOICE_PROVIDER", xconfig.INVOICE_PROVIDERS)
    if not check.get("INVOICE_PROVIDER"):
        return
    names: tuple[str, ...] = (
        "INVOICE_APP_KEY",
        "INVOICE_APP_SECRET",
        "INVOICE_TAX_NUMBER",
        "INVOICE_SELLER_NAME",
        "INVOICE_DRAWER",
    )
    if check.get("INVOICE_PROVIDER") == "baiwang":  # its token is issued to a platform user
        names = (*names, "INVOICE_USERNAME", "INVOICE_PASSWORD")
    missing = check.required(names, f"with INVOICE_PROVIDER={check.get('INVOICE_PROVIDER')!r}")
    if check.get("INVOICE_VAT_RATE") not in xconfig.INVOICE_VAT_RATES:
        check.add("INVOICE_VAT_RATE", f"{check.get('INVOICE_VAT_RATE')!r} is not one of 6, 3, 1, 0")
    if check.get("INVOICES_CALLBACK_BASE_URL"):
        check.pattern("INVOICES_CALLBACK_BASE_URL", r"https://[^\s/]+", "an https origin (no path)")
    number = str(check.get("INVOICE_TAX_NUMBER")).upper()
    if "INVOICE_TAX_NUMBER" not in missing and not uscc_is_valid(number):
        check.add(
            "INVOICE_TAX_NUMBER",
            f"{number!r} is not a valid 统一社会信用代码 (18 characters with a check character)",
        )


def _check_face(check: _Checker) -> None:
    check.choice("FACE_ENGINE", xconfig.FACE_ENGINES)
    check.choice("FACE_LIVENESS", xconfig.FACE_LIVENESS_MODES)
    check.boolean("FACE_CHECK_AT_SIGNIN")
    check.integer("FACE_STUDY_CHECK_MINUTES", 0, 600)
    check.integer("FACE_IMAGE_RETENTION_DAYS", 1, 3650)
    check.choice("FACE_PENDING_ENROLMENT", xconfig.FACE_PENDING_ENROLMENT_MODES)
    thresholds = check.get("FACE_THRESHOLDS")
    if not isinstance(thresholds, dict) or not all(
        engine in xconfig.FACE_ENGINES
        and isinstance(score, int | float)
        and not isinstance(score, bool)
        and 0 < score <= 100
        for engine, score in thresholds.items()
    ):
        engines = ", ".join(xconfig.FACE_ENGINES)
        check.add(
            "FACE_THRESHOLDS", f"must map engines ({engines}) to scores above 0 and up to 100"
        )
    engine = check.get("FACE_ENGINE")
    if engine == "tencent":
        check.required(
            ("FACE_TENCENT_SECRET_ID", "FACE_TENCENT_SECRET_KEY"), "with FACE_ENGINE=tencent"
        )
        check.pattern(
            "FACE_TENCENT_REGION", r"[a-z]{2}-[a-z0-9-]+", "a region such as ap-guangzhou"
        )
    elif engine == "aliyun":
        names = ("FACE_ALIYUN_ACCESS_KEY_ID", "FACE_ALIYUN_ACCESS_KEY_SECRET")
        check.required(names, "with FACE_ENGINE=aliyun")
        check.pattern("FACE_ALIYUN_REGION", r"[a-z]{2}-[a-z0-9-]+", "a region such as cn-shanghai")


def _check_sms(check: _Checker) -> None:
    check.choice("SMS_PROVIDER", xconfig.SMS_PROVIDERS)
    provider = check.get("SMS_PROVIDER")
    templates = check.get("SMS_TEMPLATES")
    if not isinstance(templates, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int) for k, v in templates.items()
    ):
        check.add("SMS_TEMPLATES", "must map message kinds to template codes")
    if provider == "aliyun":
        names: tuple[str, ...] = (
            "SMS_SIGN_NAME",
            "SMS_ALIYUN_ACCESS_KEY_ID",
            "SMS_ALIYUN_ACCESS_KEY_SECRET",
        )
        check.required(names, "with SMS_PROVIDER=aliyun")
    elif provider == "tencent":
        names = (
            "SMS_SIGN_NAME",
            "SMS_TENCENT_SECRET_ID",
            "SMS_TENCENT_SECRET_KEY",
            "SMS_TENCENT_SDK_APP_ID",
        )
        check.required(names, "with SMS_PROVIDER=tencent")


def _check_province(check: _Checker) -> None:
    names = ("PROVINCE_ENDPOINT_URL", "PROVINCE_CLIENT_ID", "PROVINCE_CLIENT_SECRET")
    if not any(check.get(n) for n in names):
        return
    missing = check.required(names, "once the provincial platform is configured")
    if "PROVINCE_ENDPOINT_URL" not in missing:
        check.pattern(
            "PROVINCE_ENDPOINT_URL",
            _HTTPS_URL.pattern,
            "an https URL (learners' personal data must not travel in clear text)",
        )
