"""Every ``XUESHI_*`` configuration key, in one table.

The table is the single source for the defaults Tutor receives, for which values
``tutor xueshi check`` masks, and for the operator guide (a test checks that
``docs/operators/tutor.md`` lists every key here). Keep it in sync by editing
only this module and ``config_services`` (media, previews, notifications,
reporting and live lessons), whose keys it appends.
"""

from __future__ import annotations

import typing as t

from .__about__ import __version__
from .config_services import SERVICE_KEYS
from .key import PREFIX as PREFIX  # re-exported: validation and commands read it here
from .key import Key as Key

LEASE_POLICIES = ("takeover", "refuse")
CONCURRENT_LOGIN_POLICIES = LEASE_POLICIES
FACE_ENGINES = ("local", "tencent", "aliyun")
SMS_PROVIDERS = ("", "aliyun", "tencent")
FACE_LIVENESS_MODES = ("head_turn", "off")
INVOICE_PROVIDERS = ("", "nuonuo", "baiwang")
INVOICE_VAT_RATES = (6, 3, 1, 0)
FACE_PENDING_ENROLMENT_MODES = ("hold", "record")

#: Redis database for the study-time ledger. Tutor uses 0 (Celery broker and
#: event bus) and 1 (Django cache); 5 leaves room for other plugins.
STUDYTIME_REDIS_DB_DEFAULT = 5

#: Where Celery beat keeps its schedule: the beat service's own persistent volume
#: is mounted at /openedx/data, so the schedule survives restarts.
BEAT_SCHEDULE_FILE = "/openedx/data/celerybeat-schedule"


_CORE_KEYS: tuple[Key, ...] = (
    # Installation
    Key("VERSION", __version__, "openedx-xueshi version installed in the image", group="install"),
    Key(
        "PIP_REQUIREMENT",
        "openedx-xueshi=={{ XUESHI_VERSION }}",
        "pip requirement for openedx-xueshi: a pinned version or 'openedx-xueshi @ git+https://…@ref'",
        group="install",
    ),
    Key(
        "DEMO_DATA", False, "load demo data (./manage.py lms xueshi_demo) at init", group="install"
    ),
    Key("RUN_BEAT", True, "run the Celery beat service for periodic jobs", group="install"),
    Key(
        "BEAT_VOLUME_SIZE",
        "1Gi",
        "Kubernetes volume size for the beat schedule (some clouds need 20Gi minimum)",
        group="install",
    ),
    # China defaults
    Key("TIME_ZONE", "Asia/Shanghai", "time zone for study records and deadlines", group="china"),
    Key(
        "CHINA_MIRRORS", False, "use the package mirrors below when building images", group="china"
    ),
    Key(
        "PIP_INDEX_URL",
        "https://pypi.tuna.tsinghua.edu.cn/simple",
        "PyPI mirror used when XUESHI_CHINA_MIRRORS is true",
        group="china",
    ),
    Key(
        "NPM_REGISTRY",
        "https://registry.npmmirror.com/",
        "npm mirror used when XUESHI_CHINA_MIRRORS is true",
        group="china",
    ),
    Key(
        "APT_MIRROR",
        "https://mirrors.tuna.tsinghua.edu.cn/ubuntu/",
        "Ubuntu mirror used when XUESHI_CHINA_MIRRORS is true",
        group="china",
    ),
    # Study time
    Key("HEARTBEAT_SECONDS", 30, "seconds between player heartbeats (5-300)", group="studytime"),
    Key(
        "LEASE_POLICY",
        "",
        "second playback: 'takeover' the lease or 'refuse' it; '' follows XUESHI_CONCURRENT_LOGIN",
        group="studytime",
    ),
    Key(
        "ANTI_IDLE_MINUTES",
        15,
        "minutes before the are-you-there prompt (1-120)",
        group="studytime",
    ),
    Key(
        "CHALLENGE_SECONDS",
        120,
        "seconds a learner has to type the code shown in the are-you-there picture (10-600)",
        group="studytime",
    ),
    Key(
        "CHALLENGE_ATTEMPTS",
        3,
        "wrong codes allowed per are-you-there picture before a new one is drawn (1-10)",
        group="studytime",
    ),
    Key(
        "CHALLENGE_ROTATIONS",
        5,
        "late or failed pictures per playback session before it stays stopped (0-50)",
        group="studytime",
    ),
    Key(
        "SESSION_OPEN_BURST",
        10,
        "playback sessions a learner may open at once before the throttle applies (0 = off; 0-100)",
        group="studytime",
    ),
    Key(
        "SESSION_OPEN_REFILL_SECONDS",
        6,
        "after the burst, one more session every this many seconds (1-3600)",
        group="studytime",
    ),
    Key(
        "MEDIA_PROOF",
        False,
        "credit only sessions whose signed media was delivered to the same learner",
        group="studytime",
    ),
    Key(
        "MEDIA_SIGNED_PREFIXES",
        [],
        "URL paths (/…) of media served through the verifying view; needed by MEDIA_PROOF",
        group="studytime",
    ),
    Key(
        "STUDYTIME_REDIS_DB",
        STUDYTIME_REDIS_DB_DEFAULT,
        "Redis database number for the study-time ledger (0 and 1 are Tutor's)",
        group="studytime",
    ),
    Key(
        "STUDYTIME_TOKEN_KEY",
        "{{ 48|random_string }}",
        "signing key for study-time tokens, generated once",
        secret=True,
        unique=True,
        group="studytime",
    ),
    Key(
        "STUDYTIME_PREVIOUS_TOKEN_KEYS",
        [],
        "older signing keys still accepted during a rotation, newest first",
        secret=True,
        group="studytime",
    ),
    # Personal data (ID numbers, phones, face images) encrypted at rest
    Key(
        "DATA_KEY",
        "{{ 48|random_string }}",
        "key that encrypts personal data at rest, generated once",
        secret=True,
        unique=True,
        group="personal_data",
    ),
    Key(
        "PREVIOUS_DATA_KEYS",
        [],
        "older data keys that still decrypt during a rotation, newest first",
        secret=True,
        group="personal_data",
    ),
    Key(
        "DATA_HASH_KEY",
        "{{ 48|random_string }}",
        "HMAC key for exact lookups of personal data (one ID number, one account), generated once",
        secret=True,
        unique=True,
        group="personal_data",
    ),
    Key(
        "RETENTION_YEARS",
        5,
        "years study, check and consent records are kept before the daily purge (3-10)",
        group="personal_data",
    ),
    # Sign-in: one device at a time, audit, throttling (xueshi_access)
    Key(
        "CONCURRENT_LOGIN",
        "takeover",
        "a second device: 'takeover' (newest sign-in wins) or 'refuse' it while one is active",
        group="access",
    ),
    Key(
        "TRUSTED_PROXIES",
        ["caddy", "127.0.0.1/32"],
        "proxies whose X-Forwarded-For is believed: Tutor's Caddy by name, never whole LANs",
        group="access",
    ),
    Key(
        "AUDIT_RETENTION_DAYS",
        1826,
        "days sign-in audit rows are kept (regulators ask 3 to 5 years; at least 1095)",
        group="access",
    ),
    # WeChat Pay v3
    Key("WECHATPAY_MCHID", "", "WeChat Pay merchant id (商户号), digits", group="wechatpay"),
    Key("WECHATPAY_APPID", "", "AppID bound to the merchant (wx…)", group="wechatpay"),
    Key(
        "WECHATPAY_SERIAL_NO",
        "",
        "serial number of the merchant API certificate",
        group="wechatpay",
    ),
    Key(
        "WECHATPAY_APIV3_KEY",
        "",
        "APIv3 key, exactly 32 characters",
        secret=True,
        group="wechatpay",
    ),
    Key(
        "WECHATPAY_PRIVATE_KEY_FILE",
        "",
        "path on the Tutor host to the merchant private key (PEM)",
        group="wechatpay",
    ),
    Key(
        "WECHATPAY_PUBLIC_KEY_ID", "", "WeChat Pay public key id (PUB_KEY_ID_…)", group="wechatpay"
    ),
    Key(
        "WECHATPAY_PUBLIC_KEY_FILE",
        "",
        "path on the Tutor host to the WeChat Pay public key (PEM)",
        group="wechatpay",
    ),
    Key(
        "WECHATPAY_APP_SECRET",
        "",
        "AppSecret of the official account (JSAPI: the payer's openid inside WeChat)",
        secret=True,
        group="wechatpay",
    ),
    # Alipay
    Key("ALIPAY_APP_ID", "", "Alipay application id, digits", group="alipay"),
    Key(
        "ALIPAY_PRIVATE_KEY_FILE",
        "",
        "path on the Tutor host to the application private key (PEM)",
        group="alipay",
    ),
    Key(
        "ALIPAY_PUBLIC_KEY_FILE",
        "",
        "path on the Tutor host to the Alipay public key (PEM)",
        group="alipay",
    ),
    Key(
        "ALIPAY_GATEWAY",
        "https://openapi.alipay.com/gateway.do",
        "Alipay gateway (the sandbox gateway for testing)",
        group="alipay",
    ),
    Key(
        "ALIPAY_SELLER_ID", "", "merchant PID notices must name (2088 + 12 digits)", group="alipay"
    ),
    # UnionPay online banking (网银, ACP 5.1.0). The PFX is binary, so the LMS reads these files
    # from paths inside its container (mount them, e.g. with Tutor's MOUNTS); ADR 0164.
    Key("UNIONPAY_MER_ID", "", "UnionPay merchant number, 15 digits", group="unionpay"),
    Key(
        "UNIONPAY_SIGN_CERT_PATH",
        "",
        "path inside the LMS container to the merchant signing certificate (PFX)",
        group="unionpay",
    ),
    Key(
        "UNIONPAY_SIGN_CERT_PASSWORD",
        "",
        "password of the signing PFX",
        secret=True,
        group="unionpay",
    ),
    Key(
        "UNIONPAY_MIDDLE_CERT_PATH",
        "",
        "path inside the LMS container to UnionPay's middle certificate (acp_prod_mid.cer)",
        group="unionpay",
    ),
    Key(
        "UNIONPAY_ROOT_CERT_PATH",
        "",
        "path inside the LMS container to UnionPay's root certificate (acp_prod_root.cer)",
        group="unionpay",
    ),
    Key(
        "UNIONPAY_GATEWAY",
        "https://gateway.95516.com",
        "UnionPay gateway (front, back and query requests)",
        group="unionpay",
    ),
    Key(
        "UNIONPAY_FILE_URL",
        "https://filedownload.95516.com/",
        "UnionPay fileTransfer URL (the daily reconciliation file)",
        group="unionpay",
    ),
    Key(
        "PAYMENTS_NOTIFY_BASE_URL",
        "",
        "https origin on the ICP-filed domain that WeChat Pay, Alipay and UnionPay post notices to",
        group="alipay",
    ),
    # Invoices
    Key(
        "INVOICE_PROVIDER",
        "",
        "e-invoice provider: '' (off), 'nuonuo' or 'baiwang'",
        group="invoice",
    ),
    Key("INVOICE_APP_KEY", "", "invoice provider app key", group="invoice"),
    Key("INVOICE_APP_SECRET", "", "invoice provider app secret", secret=True, group="invoice"),
    Key(
        "INVOICE_TAX_NUMBER", "", "seller tax number (统一社会信用代码, 18 chars)", group="invoice"
    ),
    Key("INVOICE_SELLER_NAME", "", "seller name printed on invoices (销售方名称)", group="invoice"),
    Key("INVOICE_DRAWER", "", "drawer printed on invoices (开票人)", group="invoice"),
    Key(
        "INVOICE_VAT_RATE",
        3,
        "VAT rate in percent: 6, 3, 1 or 0 (ask a tax adviser)",
        group="invoice",
    ),
    Key(
        "INVOICES_CALLBACK_BASE_URL",
        "",
        "https origin the invoice provider posts results to (empty: the site polls)",
        group="invoice",
    ),
    # Face verification
    Key("FACE_ENGINE", "local", "face engine: 'local', 'tencent' or 'aliyun'", group="face"),
    Key("FACE_TENCENT_SECRET_ID", "", "Tencent Cloud SecretId", group="face"),
    Key("FACE_TENCENT_SECRET_KEY", "", "Tencent Cloud SecretKey", secret=True, group="face"),
    Key("FACE_TENCENT_REGION", "ap-guangzhou", "Tencent Cloud region", group="face"),
    Key("FACE_ALIYUN_ACCESS_KEY_ID", "", "Alibaba Cloud AccessKey ID", group="face"),
    Key(
        "FACE_ALIYUN_ACCESS_KEY_SECRET",
        "",
        "Alibaba Cloud AccessKey secret",
        secret=True,
        group="face",
    ),
    Key("FACE_ALIYUN_REGION", "cn-shanghai", "Alibaba Cloud region", group="face"),
    Key("SMS_TENCENT_SECRET_ID", "", "Tencent Cloud SecretId for SMS", group="sms"),
    Key("SMS_TENCENT_SECRET_KEY", "", "Tencent Cloud SecretKey for SMS", secret=True, group="sms"),
    Key("SMS_TENCENT_SDK_APP_ID", "", "Tencent Cloud SMS SdkAppId (1400…)", group="sms"),
    Key(
        "SMS_TEMPLATES",
        {},
        "approved template code per message kind, e.g. {payment_paid: SMS_123456789}",
        group="sms",
    ),
    Key(
        "FACE_CHECK_AT_SIGNIN",
        False,
        "learners pass a face check after each sign-in before study is credited",
        group="face",
    ),
    Key(
        "FACE_STUDY_CHECK_MINUTES",
        0,
        "random face checks: on average one per this many minutes of study (0 = off; "
        "courses may set their own)",
        group="face",
    ),
    Key("FACE_LIVENESS", "head_turn", "liveness step: 'head_turn' or 'off'", group="face"),
    Key(
        "FACE_PENDING_ENROLMENT",
        "hold",
        "check against a photo awaiting review: 'hold' (refused, study held) or 'record' (fails)",
        group="face",
    ),
    Key(
        "FACE_THRESHOLDS",
        {},
        "match score per engine at or above which two faces (check or official photo) are the same",
        group="face",
    ),
    Key(
        "FACE_IMAGE_RETENTION_DAYS",
        30,
        "days camera frames of checks are kept (encrypted); records stay",
        group="face",
    ),
    # Notifications: SMS (the image installs only the chosen provider's SDK)
    Key("SMS_PROVIDER", "", "SMS provider: '' (no SMS), 'aliyun' or 'tencent'", group="sms"),
    Key("SMS_SIGN_NAME", "", "approved SMS signature (短信签名), e.g. 学时平台", group="sms"),
    Key("SMS_ALIYUN_ACCESS_KEY_ID", "", "Alibaba Cloud AccessKey ID for SMS", group="sms"),
    Key(
        "SMS_ALIYUN_ACCESS_KEY_SECRET",
        "",
        "Alibaba Cloud AccessKey secret for SMS",
        secret=True,
        group="sms",
    ),
    # Provincial platform
    Key(
        "PROVINCE_ENDPOINT_URL", "", "provincial supervision platform URL (https)", group="province"
    ),
    Key("PROVINCE_CLIENT_ID", "", "client id issued by the provincial platform", group="province"),
    Key(
        "PROVINCE_CLIENT_SECRET",
        "",
        "client secret issued by the provincial platform",
        secret=True,
        group="province",
    ),
    # Certificates (xueshi_certificates): the Ed25519 signing key is derived from this secret
    Key(
        "CERT_SIGNING_KEY",
        "{{ 48|random_string }}",
        "secret the certificates' Ed25519 signing key is derived from, generated once",
        secret=True,
        unique=True,
        group="certificates",
    ),
    Key(
        "CERT_PREVIOUS_SIGNING_KEYS",
        [],
        "retired certificate signing secrets whose credentials still verify, newest first",
        secret=True,
        group="certificates",
    ),
    Key(
        "CERT_ISSUER_NAME",
        "",
        "issuing organisation printed on certificates and in credentials",
        group="certificates",
    ),
    Key(
        "CERT_ISSUER_CODE",
        "XSJY",
        "four letters or digits naming the issuer inside serials",
        group="certificates",
    ),
    Key(
        "CERT_ISSUER_ADCODE",
        "110000",
        "the issuer's 6-digit region code, inside serials",
        group="certificates",
    ),
)

#: Media, previews, notifications, reporting and live lessons: ``config_services``.
KEYS: tuple[Key, ...] = _CORE_KEYS + SERVICE_KEYS

KEYS_BY_NAME: dict[str, Key] = {key.full_name: key for key in KEYS}

#: Keys saved once into config.yml (generated secrets survive upgrades).
UNIQUE: list[tuple[str, t.Any]] = [(k.full_name, k.default) for k in KEYS if k.unique]

#: Keys whose value comes from this plugin's defaults until the operator sets them.
DEFAULTS: list[tuple[str, t.Any]] = [(k.full_name, k.default) for k in KEYS if not k.unique]

#: Tutor's own keys we change. They are written to config.yml when the plugin is
#: enabled, so an operator can set them back (``--set LANGUAGE_CODE=en``), and
#: removed again when it is disabled.
OVERRIDES: list[tuple[str, t.Any]] = [("LANGUAGE_CODE", "zh-cn")]


def is_secret(name: str) -> bool:
    """Tell whether a key's value must never be printed."""
    key = KEYS_BY_NAME.get(name)
    return bool(key and key.secret)


def is_file(name: str) -> bool:
    """Tell whether a key holds a path whose file content is secret (it is read, never shown)."""
    return name.startswith(PREFIX) and name.endswith("_FILE")
