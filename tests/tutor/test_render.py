"""What `tutor config save` renders once the plugin is enabled: settings, images, services."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from tutor import config as tutor_config
from tutor import env as tutor_env

from tutorxueshi import hooks as xhooks

from .conftest import REPO_ROOT, Tutor

pytestmark = pytest.mark.tutor

SETTINGS = ("apps", "openedx", "settings")


def _settings_files(tutor: Tutor) -> list[Path]:
    return sorted(tutor.env(*SETTINGS).rglob("*.py"))


def _last_assignment(text: str, name: str) -> str:
    values = re.findall(rf"^{name} = (.+)$", text, flags=re.M)
    assert values, f"{name} is never set"
    return values[-1]


def test_every_rendered_settings_file_compiles(enabled: Tutor) -> None:
    files = _settings_files(enabled)
    assert len(files) >= 6
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_lms_and_cms_settings_carry_xueshi_values(enabled: Tutor) -> None:
    for service in ("lms", "cms"):
        for variant in ("production", "development"):
            text = enabled.read(*SETTINGS, service, f"{variant}.py")
            assert "XUESHI_STUDYTIME_HEARTBEAT_SECONDS = 30" in text
            assert "XUESHI_STUDYTIME_LEASE_POLICY = 'takeover'" in text
            assert "XUESHI_STUDYTIME_ANTI_IDLE_SECONDS = 900" in text
            assert "XUESHI_TIME_ZONE = 'Asia/Shanghai'" in text
            assert "XUESHI_STUDYTIME_REDIS_URL = 'redis://redis:6379/5'" in text
            assert 'XBLOCK_SETTINGS["xueshi_video"]' in text
            assert "XUESHI_RETENTION_YEARS = 5" in text and "XUESHI_STUDYTIME_OPEN_BURST = 10" in text
            assert "XUESHI_STUDYTIME_MEDIA_PROOF = False" in text
    lms = enabled.read(*SETTINGS, "lms", "production.py")
    assert "XUESHI_FACE_PENDING_ENROLMENT = 'hold'" in lms and "XUESHI_FACE_THRESHOLDS = {}" in lms


def test_concurrent_logins_prevented_in_lms_after_tutor_disables_them(enabled: Tutor) -> None:
    for variant in ("production", "development"):
        text = enabled.read(*SETTINGS, "lms", f"{variant}.py")
        assert "PREVENT_CONCURRENT_LOGINS = False" in text  # Tutor's common_all.py (trap 1)
        assert _last_assignment(text, "PREVENT_CONCURRENT_LOGINS") == "True"


def test_secrets_for_payments_stay_out_of_studio(enabled: Tutor) -> None:
    lms = enabled.read(*SETTINGS, "lms", "production.py")
    cms = enabled.read(*SETTINGS, "cms", "production.py")
    assert "XUESHI_WECHATPAY = {" in lms
    assert "XUESHI_WECHATPAY" not in cms
    assert "CELERYBEAT_SCHEDULE" not in cms


def test_token_key_is_generated_once_and_kept(enabled: Tutor, tutor: Tutor) -> None:
    first = tutor.value("XUESHI_STUDYTIME_TOKEN_KEY")
    assert len(first) == 48
    tutor.ok("config", "save")
    assert tutor.value("XUESHI_STUDYTIME_TOKEN_KEY") == first
    lms = tutor.read(*SETTINGS, "lms", "production.py")
    assert f"XUESHI_STUDYTIME_TOKEN_KEYS = ['{first}']" in lms


def test_data_keys_are_generated_once_distinct_and_reach_lms_and_studio(enabled: Tutor, tutor: Tutor) -> None:
    data_key, hash_key = tutor.value("XUESHI_DATA_KEY"), tutor.value("XUESHI_DATA_HASH_KEY")
    assert len(data_key) == 48 and len(hash_key) == 48 and data_key != hash_key
    tutor.ok("config", "save")
    assert (tutor.value("XUESHI_DATA_KEY"), tutor.value("XUESHI_DATA_HASH_KEY")) == (data_key, hash_key)
    for service in ("lms", "cms"):
        settings = tutor.read(*SETTINGS, service, "production.py")
        assert f"XUESHI_DATA_KEYS = ['{data_key}']" in settings
        assert f"XUESHI_DATA_HASH_KEY = '{hash_key}'" in settings


def _render_patches(root: Path, *names: str) -> str:
    config = tutor_config.load(str(root))
    renderer = tutor_env.Renderer(config)
    return "\n".join(renderer.patch(name) for name in names)


def test_settings_merge_with_what_the_platform_already_has(enabled: Tutor) -> None:
    other_step = "acme.pipeline.Audit"
    enroll = "org.openedx.learning.course.enrollment.started.v1"
    # Payments registers its step in plugin.py; what the hours app will register is added here.
    xhooks.FILTER_STEPS.add_items(
        [
            (
                "org.openedx.learning.certificate.creation.requested.v1",
                "xueshi_hours.pipeline.RequireStudyHours",
                False,
            ),
        ]
    )
    code = _render_patches(enabled.root, "openedx-common-settings", "openedx-lms-common-settings")
    namespace = {
        "OPEN_EDX_FILTERS_CONFIG": {enroll: {"fail_silently": True, "pipeline": [other_step]}},
        "CELERYBEAT_SCHEDULE": {"acme-nightly": {"task": "acme.tasks.nightly"}},
        "CELERY_ROUTES": "openedx.core.lib.celery.routers.route_task",
        "XBLOCK_SETTINGS": {"DragAndDropBlock": {"x": 1}},
    }
    exec(compile(code, "patches", "exec"), namespace)
    exec(compile(code, "patches", "exec"), namespace)

    enrollment = namespace["OPEN_EDX_FILTERS_CONFIG"][enroll]
    assert enrollment["pipeline"] == [other_step, "xueshi_payments.pipeline.RequirePaidEnrollment"]
    assert enrollment["fail_silently"] is False
    assert "org.openedx.learning.certificate.creation.requested.v1" in namespace["OPEN_EDX_FILTERS_CONFIG"]

    schedule = namespace["CELERYBEAT_SCHEDULE"]
    assert set(schedule) == {"acme-nightly", "xueshi-studytime-flush-ledger", "xueshi-reporting-sweep"}
    assert schedule["xueshi-reporting-sweep"]["schedule"] == timedelta(
        seconds=30
    )  # XUESHI_REPORTING_SWEEP_SECONDS
    flush = schedule["xueshi-studytime-flush-ledger"]
    assert flush["task"] == "xueshi_studytime.tasks.flush_ledger"
    assert flush["schedule"] == timedelta(seconds=5)

    routes = namespace["CELERY_ROUTES"]
    assert routes[0] == {
        "xueshi_studytime.tasks.*": {"queue": "edx.lms.core.default"},
        "xueshi_face.tasks.*": {"queue": "edx.lms.core.default"},
        "xueshi_access.tasks.*": {"queue": "edx.lms.core.default"},
        "xueshi_core.tasks.*": {"queue": "edx.lms.core.default"},  # the retention purge runs in the LMS
        "xueshi_certificates.tasks.*": {"queue": "edx.lms.core.default"},  # year batches, queued in the LMS
        "xueshi_notify.tasks.*": {"queue": "xueshi.notify"},  # their own queue, consumed by LMS workers
        "xueshi_media.tasks.transcode": {"queue": "xueshi.media"},  # the media worker's queue
        "xueshi_media.tasks.*": {"queue": "edx.lms.core.default"},  # the sweep runs in the LMS
    }
    assert routes[1:] == ("openedx.core.lib.celery.routers.route_task",)

    assert namespace["XBLOCK_SETTINGS"]["DragAndDropBlock"] == {"x": 1}
    assert namespace["XBLOCK_SETTINGS"]["xueshi_video"]["heartbeat_seconds"] == 30
    assert namespace["PREVENT_CONCURRENT_LOGINS"] is True
    assert namespace["TIME_ZONE_DISPLAYED_FOR_DEADLINES"] == "Asia/Shanghai"


def test_operator_values_reach_settings_verbatim(enabled: Tutor) -> None:
    old_key = "旧密钥-" + "k" * 40
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_LEASE_POLICY=refuse",
        "--set",
        "XUESHI_ANTI_IDLE_MINUTES=20",
        "--set",
        f"XUESHI_STUDYTIME_PREVIOUS_TOKEN_KEYS=['{old_key}']",
        "--set",
        "XUESHI_RETENTION_YEARS=3",
        "--set",
        "XUESHI_SESSION_OPEN_BURST=4",
        "--set",
        "XUESHI_MEDIA_PROOF=true",
        "--set",
        "XUESHI_MEDIA_SIGNED_PREFIXES=['/media/xueshi/']",
        "--set",
        "XUESHI_CHALLENGE_SECONDS=90",
        "--set",
        "REDIS_USERNAME=xueshi",
        "--set",
        "REDIS_PASSWORD=p'w",
    )
    namespace: dict[str, object] = {}
    code = _render_patches(enabled.root, "openedx-common-settings")
    exec(compile(code, "patches", "exec"), namespace)
    assert namespace["XUESHI_STUDYTIME_LEASE_POLICY"] == "refuse"
    assert namespace["XUESHI_STUDYTIME_ANTI_IDLE_SECONDS"] == 1200
    keys = namespace["XUESHI_STUDYTIME_TOKEN_KEYS"]
    assert isinstance(keys, list) and len(keys) == 2 and keys[1] == old_key
    assert namespace["XUESHI_STUDYTIME_REDIS_URL"] == "redis://xueshi:p'w@redis:6379/5"
    assert namespace["XUESHI_RETENTION_YEARS"] == 3 and namespace["XUESHI_STUDYTIME_OPEN_BURST"] == 4
    assert namespace["XUESHI_STUDYTIME_MEDIA_PROOF"] is True
    assert namespace["XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES"] == ["/media/xueshi/"]
    assert namespace["XUESHI_STUDYTIME_CHALLENGE_SECONDS"] == 90
    assert namespace["XUESHI_STUDYTIME_OPEN_REFILL_SECONDS"] == 6  # defaults reach settings too


def test_language_defaults_to_chinese_and_operator_can_change_it(enabled: Tutor) -> None:
    for service in ("lms", "cms"):
        assert 'LANGUAGE_CODE: "zh-cn"' in enabled.read("apps", "openedx", "config", f"{service}.env.yml")
    enabled.ok("config", "save", "--set", "LANGUAGE_CODE=en")
    enabled.ok("config", "save")
    assert 'LANGUAGE_CODE: "en"' in enabled.read("apps", "openedx", "config", "lms.env.yml")


def test_dockerfile_installs_openedx_xueshi_at_the_plugin_version(enabled: Tutor) -> None:
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert "$PIP_COMMAND install 'openedx-xueshi[face-local]==0.1.0'" in dockerfile
    core = (REPO_ROOT / "plugins" / "xueshi_core" / "__init__.py").read_text(encoding="utf-8")
    assert '__version__ = "0.1.0"' in core, "plugin and openedx-xueshi versions must match"


def test_operator_can_pin_a_git_url(enabled: Tutor) -> None:
    url = "openedx-xueshi @ git+https://example.org/xueshi/openedx-xueshi.git@release-2026"
    enabled.ok("config", "save", "--set", f"XUESHI_PIP_REQUIREMENT={url}")
    with_extra = url.replace("openedx-xueshi @", "openedx-xueshi[face-local] @")
    assert f"install '{with_extra}'" in enabled.read("build", "openedx", "Dockerfile")


def test_the_image_carries_only_the_chosen_face_engine(enabled: Tutor) -> None:
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_FACE_ENGINE=tencent",
        "--set",
        "XUESHI_FACE_TENCENT_SECRET_ID=AKIDexample",
        "--set",
        "XUESHI_FACE_TENCENT_SECRET_KEY=sandbox-only",
    )
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert "install 'openedx-xueshi[face-tencent]==0.1.0'" in dockerfile
    assert "face-local" not in dockerfile


def test_the_image_carries_only_the_chosen_sms_provider(enabled: Tutor) -> None:
    assert "sms-" not in enabled.read("build", "openedx", "Dockerfile")  # no SMS: no SDK
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_SMS_PROVIDER=aliyun",
        "--set",
        "XUESHI_SMS_SIGN_NAME=学时平台",
        "--set",
        "XUESHI_SMS_ALIYUN_ACCESS_KEY_ID=LTAIexample",
        "--set",
        "XUESHI_SMS_ALIYUN_ACCESS_KEY_SECRET=sandbox-only",
        "--set",
        "XUESHI_SMS_TEMPLATES={payment_paid: SMS_480000001}",
    )
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert "install 'openedx-xueshi[face-local,sms-aliyun]==0.1.0'" in dockerfile
    assert "sms-tencent" not in dockerfile


def test_china_mirrors_are_off_by_default_and_switch_on(enabled: Tutor) -> None:
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert "tuna.tsinghua" not in dockerfile
    assert "npmmirror" not in dockerfile
    enabled.ok("config", "save", "--set", "XUESHI_CHINA_MIRRORS=true")
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert "ENV UV_DEFAULT_INDEX=https://pypi.tuna.tsinghua.edu.cn/simple" in dockerfile
    assert "ARG NPM_REGISTRY=https://registry.npmmirror.com/" in dockerfile
    assert "mirrors.tuna.tsinghua.edu.cn/ubuntu/" in dockerfile
    # An operator's own NPM_REGISTRY still wins over ours.
    enabled.ok("config", "save", "--set", "NPM_REGISTRY=https://npm.example.cn/")
    assert "ARG NPM_REGISTRY=https://npm.example.cn/" in enabled.read("build", "openedx", "Dockerfile")


def _compose(tutor: Tutor, *parts: str) -> dict[str, dict[str, dict[str, object]]]:
    data = yaml.safe_load(tutor.read(*parts))
    assert isinstance(data, dict)
    return data


def test_compose_files_parse_and_run_one_beat(enabled: Tutor) -> None:
    for mode in ("local", "dev"):
        for path in sorted(enabled.env(mode).glob("docker-compose*.yml")):
            assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
    beat = _compose(enabled, "local", "docker-compose.prod.yml")["services"]["xueshi-beat"]
    command = beat["command"]
    assert isinstance(command, list)
    assert command[:3] == ["celery", "--app=lms.celery", "beat"]
    assert "--schedule=/openedx/data/celerybeat-schedule" in command
    assert "../../data/xueshi-beat:/openedx/data:z" in beat["volumes"]  # type: ignore[operator]
    dev_beat = _compose(enabled, "dev", "docker-compose.yml")["services"]["xueshi-beat"]
    assert dev_beat["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.envs.tutor.development"  # type: ignore[index]
    permissions = _compose(enabled, "local", "docker-compose.yml")["services"]["permissions"]
    assert "../../data/xueshi-beat:/mounts/xueshi-beat:z" in permissions["volumes"]  # type: ignore[operator]
    setowners = enabled.read("apps", "permissions", "setowners.sh")
    assert "setowner $OPENEDX_USER_ID /mounts/xueshi-beat" in setowners


def test_beat_can_be_turned_off(enabled: Tutor) -> None:
    enabled.ok("config", "save", "--set", "XUESHI_RUN_BEAT=false")
    assert "xueshi-beat" not in _compose(enabled, "local", "docker-compose.prod.yml")["services"]
    assert "xueshi-beat" not in enabled.read("k8s", "deployments.yml")


def _k8s_documents(tutor: Tutor) -> list[dict[str, object]]:
    documents: list[dict[str, object]] = []
    for path in sorted(tutor.env("k8s").glob("*.yml")):
        documents.extend(d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d)
    return documents


def test_kubernetes_manifests_parse_and_hold_the_beat_deployment(enabled: Tutor) -> None:
    docs = _k8s_documents(enabled)
    by_kind_name = {(d["kind"], d["metadata"]["name"]): d for d in docs}  # type: ignore[index]
    deployment = by_kind_name[("Deployment", "xueshi-beat")]
    spec = deployment["spec"]
    assert spec["replicas"] == 1 and spec["strategy"] == {"type": "Recreate"}  # type: ignore[index]
    container = spec["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert container["args"][:3] == ["celery", "--app=lms.celery", "beat"]
    assert container["image"].startswith("docker.io/overhangio/openedx:")
    assert {"mountPath": "/openedx/data", "name": "data"} in container["volumeMounts"]
    claim = by_kind_name[("PersistentVolumeClaim", "xueshi-beat")]
    assert claim["spec"]["resources"]["requests"]["storage"] == "1Gi"  # type: ignore[index]
    # Kustomize picks the manifests up through Tutor's kustomization.yml.
    assert "k8s/deployments.yml" in enabled.read("kustomization.yml")


def test_nothing_of_ours_is_rendered_without_the_plugin(tutor: Tutor) -> None:
    tutor.ok("config", "save")
    assert "XUESHI" not in tutor.read(*SETTINGS, "lms", "production.py")
    assert "openedx-xueshi" not in tutor.read("build", "openedx", "Dockerfile")
    assert 'LANGUAGE_CODE: "en"' in tutor.read("apps", "openedx", "config", "lms.env.yml")


def test_disabling_the_plugin_gives_tutor_its_language_back(enabled: Tutor) -> None:
    enabled.ok("plugins", "disable", "xueshi")
    enabled.ok("config", "save")
    assert 'LANGUAGE_CODE: "en"' in enabled.read("apps", "openedx", "config", "lms.env.yml")
    assert "XUESHI" not in enabled.read(*SETTINGS, "lms", "production.py")


def test_payment_settings_hold_text_ids_and_key_file_contents(enabled: Tutor, tmp_path: Path) -> None:
    key = tmp_path / "apiclient_key.pem"
    key.write_text(
        "-----BEGIN PRIVATE KEY-----\n" + "QUJD" * 40 + "\n-----END PRIVATE KEY-----\n", encoding="utf-8"
    )
    alipay_public = tmp_path / "alipay_public_key.pem"
    alipay_public.write_text(
        "-----BEGIN PUBLIC KEY-----\n" + "REVG" * 40 + "\n-----END PUBLIC KEY-----\n", encoding="utf-8"
    )
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_WECHATPAY_MCHID=1900000109",  # YAML reads a number; the apps get text
        "--set",
        "XUESHI_WECHATPAY_APPID=wxd678efd567ab6787",
        "--set",
        "XUESHI_WECHATPAY_SERIAL_NO=5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        "--set",
        "XUESHI_WECHATPAY_APIV3_KEY=Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
        "--set",
        f"XUESHI_WECHATPAY_PRIVATE_KEY_FILE={key}",
        "--set",
        "XUESHI_WECHATPAY_APP_SECRET=0123456789abcdef0123456789abcdef",
        "--set",
        "XUESHI_PAYMENTS_NOTIFY_BASE_URL=https://study.example.cn",
        "--set",
        "XUESHI_ALIPAY_APP_ID=2021000000000001",
        "--set",
        "XUESHI_ALIPAY_SELLER_ID=2088000000000001",
        "--set",
        f"XUESHI_ALIPAY_PRIVATE_KEY_FILE={key}",
        "--set",
        f"XUESHI_ALIPAY_PUBLIC_KEY_FILE={alipay_public}",
        "--set",
        "XUESHI_INVOICE_PROVIDER=nuonuo",
        "--set",
        "XUESHI_INVOICE_APP_KEY=20260001",
        "--set",
        "XUESHI_INVOICE_APP_SECRET=发票密钥-secret",
        "--set",
        "XUESHI_INVOICE_TAX_NUMBER=914403001922038216",
        "--set",
        "XUESHI_INVOICE_SELLER_NAME=学时继续教育培训有限公司",
        "--set",
        "XUESHI_INVOICE_DRAWER=王会计",
        "--set",
        "XUESHI_INVOICE_VAT_RATE=6",
        "--set",
        "XUESHI_INVOICES_CALLBACK_BASE_URL=https://study.example.cn",
    )
    namespace: dict[str, object] = {}
    code = _render_patches(enabled.root, "openedx-common-settings", "openedx-lms-common-settings")
    exec(compile(code, "patches", "exec"), namespace)
    wechat = namespace["XUESHI_WECHATPAY"]
    assert isinstance(wechat, dict)
    assert wechat["MCHID"] == "1900000109"
    assert wechat["PRIVATE_KEY"] == key.read_text(encoding="utf-8").strip()
    # The names the WeChat Pay and Alipay channels read (wechat_config, alipay_client).
    assert wechat["CERT_SERIAL_NO"] == "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    assert wechat["APIV3_KEY"] == "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"
    assert wechat["APP_SECRET"] == "0123456789abcdef0123456789abcdef"
    assert wechat["REFUND_NOTIFY_URL"] == "https://study.example.cn/xueshi/payments/notify/wechat/"
    assert namespace["XUESHI_PAYMENTS_NOTIFY_BASE_URL"] == "https://study.example.cn"
    alipay = namespace["XUESHI_ALIPAY"]
    assert isinstance(alipay, dict)
    assert alipay["APP_ID"] == "2021000000000001" and alipay["SELLER_ID"] == "2088000000000001"
    assert alipay["APP_PRIVATE_KEY"] == key.read_text(encoding="utf-8").strip()
    assert alipay["ALIPAY_PUBLIC_KEY"] == alipay_public.read_text(encoding="utf-8").strip()
    assert list(namespace["XUESHI_PAYMENT_CHANNELS"]) == ["wechat", "alipay", "transfer"]  # type: ignore[call-overload]
    invoice = namespace["XUESHI_INVOICE"]
    assert invoice == {
        "PROVIDER": "nuonuo",
        "APP_KEY": "20260001",
        "APP_SECRET": "发票密钥-secret",
        "USERNAME": "",  # Baiwang's token user; Nuonuo has none
        "PASSWORD": "",
        "TAX_NUMBER": "914403001922038216",
        "SELLER_NAME": "学时继续教育培训有限公司",
        "DRAWER": "王会计",
        "VAT_RATE": 6,
    }
    assert namespace["XUESHI_INVOICES_CALLBACK_BASE_URL"] == "https://study.example.cn"


def test_only_the_payment_step_is_registered_and_it_exists(enabled: Tutor) -> None:
    # A step path missing from the image would break every enrolment (fail_silently=False).
    code = _render_patches(enabled.root, "openedx-common-settings", "openedx-lms-common-settings")
    namespace: dict[str, object] = {}
    exec(compile(code, "patches", "exec"), namespace)
    filters = namespace.get("OPEN_EDX_FILTERS_CONFIG", {})
    assert filters == {
        "org.openedx.learning.course.enrollment.started.v1": {
            "pipeline": ["xueshi_payments.pipeline.RequirePaidEnrollment"],
            "fail_silently": False,
        }
    }
    pipeline = (REPO_ROOT / "plugins" / "xueshi_payments" / "pipeline.py").read_text(encoding="utf-8")
    assert "class RequirePaidEnrollment(PipelineStep)" in pipeline


def test_only_caddy_is_a_trusted_proxy_never_a_whole_lan(enabled: Tutor) -> None:
    """Trusting private ranges let learners on a 10.x or 192.168.x LAN choose their audited IP."""
    import ast
    import ipaddress

    for service in ("lms", "cms"):
        text = enabled.read(*SETTINGS, service, "production.py")
        trusted = ast.literal_eval(_last_assignment(text, "XUESHI_TRUSTED_PROXIES"))
        assert "caddy" in trusted
        for entry in trusted:
            if entry == "caddy":
                continue
            net = ipaddress.ip_network(entry, strict=False)
            assert net.is_loopback or net.num_addresses == 1, f"{entry} trusts a whole network"


def test_certificate_signing_secret_is_generated_once_and_derives_the_key(
    enabled: Tutor, tutor: Tutor
) -> None:
    secret = tutor.value("XUESHI_CERT_SIGNING_KEY")
    assert len(secret) == 48
    tutor.ok("config", "save")
    assert tutor.value("XUESHI_CERT_SIGNING_KEY") == secret
    lms = tutor.read(*SETTINGS, "lms", "production.py")
    namespace: dict[str, object] = {}
    line = next(x for x in lms.splitlines() if x.startswith("XUESHI_CERTIFICATES_SIGNING_KEYS = "))
    exec(compile(line, "settings", "exec"), namespace)
    assert namespace["XUESHI_CERTIFICATES_SIGNING_KEYS"] == [f"seed:{secret}"]
    assert "XUESHI_CERTIFICATES_ISSUER_ADCODE = '110000'" in lms


def test_unionpay_settings_name_container_paths_and_offer_online_banking(enabled: Tutor) -> None:
    """ADR 0164: the LMS reads UnionPay's PFX and certificates from paths inside its container."""
    certs = "/openedx/data/unionpay"
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_UNIONPAY_MER_ID=777290058110048",  # YAML reads a number; the channel gets text
        "--set",
        f"XUESHI_UNIONPAY_SIGN_CERT_PATH={certs}/sign.pfx",
        "--set",
        'XUESHI_UNIONPAY_SIGN_CERT_PASSWORD="000000"',  # quoted: YAML would read the number 0
        "--set",
        f"XUESHI_UNIONPAY_MIDDLE_CERT_PATH={certs}/acp_prod_mid.cer",
        "--set",
        f"XUESHI_UNIONPAY_ROOT_CERT_PATH={certs}/acp_prod_root.cer",
        "--set",
        "XUESHI_PAYMENTS_NOTIFY_BASE_URL=https://study.example.cn",
    )
    namespace: dict[str, object] = {}
    code = _render_patches(enabled.root, "openedx-common-settings", "openedx-lms-common-settings")
    exec(compile(code, "patches", "exec"), namespace)
    assert namespace["XUESHI_UNIONPAY"] == {
        "MER_ID": "777290058110048",
        "SIGN_CERT_PATH": f"{certs}/sign.pfx",
        "SIGN_CERT_PASSWORD": "000000",
        "MIDDLE_CERT_PATH": f"{certs}/acp_prod_mid.cer",
        "ROOT_CERT_PATH": f"{certs}/acp_prod_root.cer",
        "GATEWAY": "https://gateway.95516.com",
        "FILE_URL": "https://filedownload.95516.com/",
    }
    channels = namespace["XUESHI_PAYMENT_CHANNELS"]
    assert isinstance(channels, dict) and list(channels) == ["unionpay", "transfer"]
    assert "XUESHI_UNIONPAY" not in enabled.read(*SETTINGS, "cms", "production.py")
