"""`tutor xueshi ...` operator commands, init tasks and dev mounts."""

from __future__ import annotations

import inspect

import pytest
from tutor import env as tutor_env
from tutor import hooks
from tutor.plugins.openedx import is_directory_mounted

from tutorxueshi import commands

from .conftest import RecordingContext, RecordingRunner, Tutor

pytestmark = pytest.mark.tutor

APIV3_KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"  # made up, 32 characters
TENCENT_KEY = "tencent-secret-腾讯云-0123456789"  # made up


def test_check_prints_every_key_and_masks_secrets(enabled: Tutor) -> None:
    enabled.ok(
        "config",
        "save",
        "--set",
        f"XUESHI_FACE_TENCENT_SECRET_KEY={TENCENT_KEY}",
        "--set",
        "XUESHI_FACE_TENCENT_SECRET_ID=AKIDexample",
        "--set",
        "XUESHI_FACE_ENGINE=tencent",
    )
    token = enabled.value("XUESHI_STUDYTIME_TOKEN_KEY")
    output = enabled.ok("xueshi", "check").output
    for key in ("XUESHI_LEASE_POLICY", "XUESHI_FACE_TENCENT_SECRET_KEY", "XUESHI_WECHATPAY_MCHID"):
        assert key in output
    assert TENCENT_KEY not in output
    assert token not in output
    assert "******" in output
    assert "AKIDexample" in output  # ids are not secrets
    assert "zh-cn" in output
    assert "Xueshi configuration is valid" in output


def test_check_reports_problems_without_printing_the_bad_secret(enabled: Tutor) -> None:
    # Tutor stores the value, then the check refuses it: `tutor xueshi check` shows why.
    assert enabled("config", "save", "--set", "XUESHI_WECHATPAY_MCHID=1900000109").exit_code != 0
    config_path = enabled.root / "config.yml"
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text + f"XUESHI_WECHATPAY_APIV3_KEY: short-{APIV3_KEY[:5]}\n", encoding="utf-8")
    result = enabled("xueshi", "check")
    assert result.exit_code != 0
    assert "XUESHI_WECHATPAY_APPID: is required once WeChat Pay is configured" in result.output
    assert "XUESHI_WECHATPAY_MCHID" in result.output and "1900000109" in result.output
    assert "not a merchant id" not in result.output  # digits read as a number are still fine
    assert f"short-{APIV3_KEY[:5]}" not in result.output
    assert "problem(s) in the Xueshi configuration" in str(result.exception)


def test_enable_blocks_runs_the_cms_command_through_the_job_runner(
    enabled: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RecordingRunner, "calls", [])
    monkeypatch.setitem(commands.RUNNER_CONTEXTS, "k8s", RecordingContext)
    course = "course-v1:学时学院+KJ101+2026"
    enabled.ok("xueshi", "enable-blocks", "--mode", "k8s", course)
    assert RecordingRunner.calls == [("cms", f"./manage.py cms xueshi_enable_blocks '{course}'")]


def test_enable_blocks_refuses_what_is_not_a_course_key(enabled: Tutor) -> None:
    result = enabled("xueshi", "enable-blocks", "KJ101; rm -rf /")
    assert result.exit_code != 0
    assert "is not a course key" in str(result.exception)


def test_enable_blocks_is_also_a_do_job(enabled: Tutor) -> None:
    # `tutor local|dev|k8s do` runs the (service, command) pairs the job yields.
    assert commands.enable_blocks_job in hooks.Filters.CLI_DO_COMMANDS.iterate()
    job = commands.enable_blocks_job
    assert job.callback is not None
    # Tutor wraps do-job callbacks (functools.update_wrapper) to run what they yield.
    original = inspect.unwrap(job.callback)
    pairs = list(original(course_key="course-v1:Org+C1+R1"))
    assert pairs == [("cms", "./manage.py cms xueshi_enable_blocks course-v1:Org+C1+R1")]


def _init_tasks() -> list[tuple[str, str]]:
    return list(hooks.Filters.CLI_DO_INIT_TASKS.iterate())


def test_init_runs_after_tutor_migrations_and_demo_data_is_optional(enabled: Tutor) -> None:
    from tutor import config as tutor_config

    tasks = _init_tasks()
    lms = [task for service, task in tasks if service == "lms"]
    migrate = next(i for i, task in enumerate(lms) if "./manage.py lms migrate" in task)
    ours = next(i for i, task in enumerate(lms) if "xueshi_init" in task)
    assert ours > migrate
    config = tutor_config.load(str(enabled.root))
    script = tutor_env.render_str(config, lms[ours])
    assert "./manage.py lms xueshi_init" in script
    assert "./manage.py lms xueshi_demo" not in script
    enabled.ok("config", "save", "--set", "XUESHI_DEMO_DATA=true")
    config = tutor_config.load(str(enabled.root))
    assert "./manage.py lms xueshi_demo" in tutor_env.render_str(config, lms[ours])


@pytest.mark.parametrize(
    ("name", "mounted"),
    [("xueshi", True), ("openedx-xueshi", True), ("xueshi-notes", False), ("my-xueshi", False)],
)
def test_dev_mounts_a_checkout_of_this_repo(enabled: Tutor, name: str, mounted: bool) -> None:
    for image in ("openedx", "openedx-dev"):
        assert is_directory_mounted(image, name) is mounted
