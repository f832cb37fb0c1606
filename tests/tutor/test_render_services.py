"""What the plugin renders for media, previews, notifications, reporting and live lessons (ADR 0320-0324)."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess

import pytest
import yaml
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import hooks

from tutorxueshi import commands

from .conftest import RecordingContext, RecordingRunner, Tutor
from .test_render import SETTINGS, _compose, _k8s_documents, _render_patches

pytestmark = pytest.mark.tutor


def _k8s(tutor: Tutor, kind: str, name: str, file: str = "") -> list[dict[str, object]]:
    docs = _k8s_documents(tutor) if not file else list(yaml.safe_load_all(tutor.read("k8s", file)))
    return [d for d in docs if d and d["kind"] == kind and d["metadata"]["name"] == name]  # type: ignore[index]


def test_media_is_transcoded_by_its_own_worker_on_a_shared_volume(enabled: Tutor) -> None:
    assert "ffmpeg fontconfig" in enabled.read("build", "openedx", "Dockerfile")  # apt, minimal stage
    services = _compose(enabled, "local", "docker-compose.prod.yml")["services"]
    worker = services["xueshi-media-worker"]
    assert worker["command"][:3] == ["celery", "--app=lms.celery", "worker"]  # type: ignore[index]
    assert {"--queues=xueshi.media", "--concurrency=1", "--prefetch-multiplier=1"} <= set(worker["command"])  # type: ignore[arg-type]
    assert "../../data/openedx-media:/openedx/media:z" in worker["volumes"]  # type: ignore[operator]
    assert "setowner $OPENEDX_USER_ID /mounts/xueshi-media-work" in enabled.read(
        "apps", "permissions", "setowners.sh"
    )
    lms_worker = services["lms-worker"]["command"]
    assert "--queues=edx.lms.core.default,edx.lms.core.high,edx.lms.core.high_mem,xueshi.notify" in lms_worker  # type: ignore[operator]

    common = enabled.read(*SETTINGS, "cms", "production.py")
    assert "XUESHI_MEDIA_QUEUE = 'xueshi.media'" in common
    assert "XUESHI_MEDIA_PRESIGNED_SECONDS" not in common  # a volume: Caddy sends the bytes
    assert "XUESHI_MEDIA_WORK_DIR = '/openedx/data/xueshi-media-work'" in common
    accel = "XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX = '/xueshi-media-internal/'"
    assert accel in enabled.read(*SETTINGS, "lms", "production.py")
    assert accel not in enabled.read(*SETTINGS, "lms", "development.py")  # no Caddy in `tutor dev`
    assert accel not in common

    claim = _k8s(enabled, "PersistentVolumeClaim", "xueshi-media")[0]["spec"]
    assert claim["accessModes"] == ["ReadWriteMany"] and "storageClassName" not in claim  # type: ignore[index,operator]
    deployment = _k8s(enabled, "Deployment", "xueshi-media-worker")[0]["spec"]
    container = deployment["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert {"mountPath": "/openedx/media/xueshi-media", "name": "xueshi-media"} in container["volumeMounts"]
    assert _k8s(enabled, "Service", "xueshi-media-files")
    overrides = [d for d in yaml.safe_load_all(enabled.read("k8s", "override.yml")) if d]
    assert sorted(d["metadata"]["name"] for d in overrides) == ["cms", "cms-worker", "lms", "lms-worker"]
    for patch in overrides:
        pod = patch["spec"]["template"]["spec"]
        assert pod["containers"][0]["name"] == patch["metadata"]["name"]  # strategic merge by name
        assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == "xueshi-media"
    assert "k8s/override.yml" in enabled.read("kustomization.yml")

    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_MEDIA_STORAGE_CLASS=cephfs",
        "--set",
        "XUESHI_MEDIA_WORKER_CONCURRENCY=3",
    )
    assert _k8s(enabled, "PersistentVolumeClaim", "xueshi-media")[0]["spec"]["storageClassName"] == "cephfs"  # type: ignore[index]
    assert (
        "--concurrency=3"
        in _compose(enabled, "local", "docker-compose.prod.yml")["services"]["xueshi-media-worker"]["command"]
    )  # type: ignore[operator]


def test_platform_storage_needs_no_volume_and_streams_through_django(enabled: Tutor) -> None:
    """With tutor-minio's bucket (or another default storage) nothing serves files beside the LMS."""
    enabled.ok("config", "save", "--set", "XUESHI_MEDIA_STORAGE=platform")
    assert "xueshi-media-files" not in _compose(enabled, "local", "docker-compose.prod.yml")["services"]
    assert not _k8s(enabled, "PersistentVolumeClaim", "xueshi-media")
    assert _k8s(enabled, "Deployment", "xueshi-media-worker")  # transcoding still has its worker
    assert not enabled.env("k8s", "override.yml").read_text(encoding="utf-8").strip()
    lms = enabled.read(*SETTINGS, "lms", "production.py")
    assert "XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX" not in lms
    assert "\nXUESHI_MEDIA_PRESIGNED_SECONDS = 60\n" in lms  # segments: 302 to the store (ADR 0326)
    enabled.ok("config", "save", "--set", "XUESHI_MEDIA_PRESIGNED_SECONDS=0")
    assert "XUESHI_MEDIA_PRESIGNED_SECONDS = 0\n" in enabled.read(*SETTINGS, "lms", "production.py")
    caddyfile = enabled.read("apps", "caddy", "Caddyfile")
    assert "intercept" not in caddyfile
    assert "handle /media/xueshi-media/*" in caddyfile  # uwsgi's /media/ stays closed to our folder


def test_previews_flag_is_set_at_init_and_by_a_command(
    enabled: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag = "./manage.py lms waffle_flag --create --everyone seo.enable_anonymous_courseware_access"
    init = next(task for service, task in hooks.Filters.CLI_DO_INIT_TASKS.iterate() if "xueshi_init" in task)
    assert flag in tutor_env.render_str(tutor_config.load(str(enabled.root)), init)
    enabled.ok("config", "save", "--set", "XUESHI_PREVIEWS=false")
    assert "waffle_flag" not in tutor_env.render_str(tutor_config.load(str(enabled.root)), init)

    monkeypatch.setattr(RecordingRunner, "calls", [])
    monkeypatch.setitem(commands.RUNNER_CONTEXTS, "k8s", RecordingContext)
    enabled.ok("xueshi", "previews", "--mode", "k8s", "on")
    enabled.ok("xueshi", "previews", "--mode", "k8s", "off")
    assert RecordingRunner.calls == [("lms", flag), ("lms", flag.replace("--everyone", "--deactivate"))]
    assert enabled("xueshi", "previews", "maybe").exit_code != 0
    job = inspect.unwrap(commands.previews_job.callback)  # type: ignore[arg-type]
    assert list(job(state="on")) == [("lms", flag)]


def test_notify_reporting_and_live_settings_reach_the_lms_only(enabled: Tutor) -> None:
    hmac_key = "省级平台-" + "h" * 40
    enabled.ok(
        "config",
        "save",
        "--set",
        "XUESHI_NOTIFY_WECHAT_APPID=wxd678efd567ab6787",
        "--set",
        "XUESHI_NOTIFY_WECHAT_SECRET=wechat-secret-for-tests",
        "--set",
        "XUESHI_NOTIFY_WECHAT_TEMPLATES={payment_paid: {id: TPL1, fields: {thing1: course}}}",
        "--set",
        f"XUESHI_REPORTING_SECRETS={{fj-province: {{hmac_key: '{hmac_key}'}}}}",
        "--set",
        "XUESHI_REPORTING_SWEEP_SECONDS=60",
        "--set",
        "XUESHI_LIVE_PROVIDER=tencent",
        "--set",
        "XUESHI_LIVE_PUSH_DOMAIN=push.example.cn",
        "--set",
        "XUESHI_LIVE_PLAY_DOMAIN=play.example.cn",
        "--set",
        "XUESHI_LIVE_AUTH_KEY=live-auth-key-for-tests",
        "--set",
        "XUESHI_LIVE_RECORDING_HOSTS=[vod.example.cn]",
        "--set",
        "XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED=true",
        "--set",
        "XUESHI_NOTIFY_DEFAULT_LANGUAGE=en",
    )
    namespace: dict[str, object] = {}
    code = _render_patches(enabled.root, "openedx-common-settings", "openedx-lms-common-settings")
    exec(compile(code, "patches", "exec"), namespace)
    assert namespace["XUESHI_NOTIFY_WECHAT"] == {
        "APPID": "wxd678efd567ab6787",
        "SECRET": "wechat-secret-for-tests",
        "TEMPLATES": {"payment_paid": {"id": "TPL1", "fields": {"thing1": "course"}}},
    }
    assert namespace["XUESHI_NOTIFY_CELERY_QUEUE"] == "xueshi.notify"
    assert namespace["XUESHI_REPORTING_SECRETS"] == {"fj-province": {"hmac_key": hmac_key}}
    assert namespace["XUESHI_REPORTING_XLSX_DIR"] == "/openedx/media-private/xueshi-reporting"  # not /media/
    assert namespace["CELERYBEAT_SCHEDULE"]["xueshi-reporting-sweep"]["schedule"].total_seconds() == 60  # type: ignore[index]
    assert (namespace["XUESHI_LIVE_PROVIDER"], namespace["XUESHI_LIVE_PLAY_DOMAIN"]) == (
        "tencent",
        "play.example.cn",
    )
    assert namespace["XUESHI_LIVE_AUTH_KEY"] == "live-auth-key-for-tests"
    assert (namespace["XUESHI_LIVE_APP"], namespace["XUESHI_LIVE_RECORDING_HOSTS"]) == (
        "live",
        ["vod.example.cn"],
    )
    assert namespace["XUESHI_REPORTING_HOLD_UNTIL_CONFIRMED"] is True
    assert (namespace["XUESHI_NOTIFY_DEFAULT_LANGUAGE"], namespace["XUESHI_NOTIFY_BATCH_SIZE"]) == ("en", 200)
    cms = enabled.read(*SETTINGS, "cms", "production.py")
    for secret in ("wechat-secret-for-tests", hmac_key, "live-auth-key-for-tests"):
        assert secret not in cms
        assert secret not in enabled.ok("xueshi", "check").output


def test_mysql_buffer_pool_is_an_option_file_in_tutors_mysql_only_when_asked(enabled: Tutor) -> None:
    assert "mysql" not in _compose(enabled, "local", "docker-compose.prod.yml")["services"]
    enabled.ok("config", "save", "--set", "XUESHI_MYSQL_BUFFER_POOL_SIZE=4G")
    mysql = _compose(enabled, "local", "docker-compose.prod.yml")["services"]["mysql"]
    # merged by docker compose with Tutor's own mysql service: only a volume is added, its command kept
    assert mysql == {"volumes": ["../plugins/xueshi/apps/mysql/xueshi.cnf:/etc/mysql/conf.d/xueshi.cnf:ro"]}
    option_file = enabled.env("plugins", "xueshi", "apps", "mysql", "xueshi.cnf")
    assert "[mysqld]\ninnodb_buffer_pool_size = 4G\n" in option_file.read_text(encoding="utf-8")
    # the server reads it: Debian's mariadbd parses the same option file as MySQL's mysqld
    mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    said = subprocess.run(
        [mariadbd, f"--defaults-file={option_file}", "--verbose", "--help"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert re.search(r"^innodb-buffer-pool-size\s+4294967296$", said, re.M), said[-500:]

    enabled.ok("config", "save", "--set", "RUN_MYSQL=false")  # a managed MySQL: nothing to mount
    assert "mysql" not in _compose(enabled, "local", "docker-compose.prod.yml")["services"]
    bad = enabled("config", "save", "--set", "XUESHI_MYSQL_BUFFER_POOL_SIZE=lots")
    said = f"{bad.output}{bad.exception}"
    assert bad.exit_code != 0 and "XUESHI_MYSQL_BUFFER_POOL_SIZE: 'lots' is not a size" in said
