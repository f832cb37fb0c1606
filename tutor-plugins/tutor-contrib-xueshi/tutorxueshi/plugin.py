"""Tutor plugin wiring: every hook Xueshi uses, and nothing else.

Logic lives in small modules (``config``, ``validation``, ``templating``,
``commands``); this module only connects them to Tutor's hooks, so that reading
it shows everything the plugin changes in an Open edX deployment.
"""

from __future__ import annotations

import os
import typing as t
from glob import glob

from tutor import exceptions
from tutor.core.hooks import priorities

# Imported from the catalogue itself: ``tutor.hooks`` re-exports these implicitly,
# which ``mypy --strict`` refuses.
from tutor.hooks.catalog import Actions, Filters
from tutor.types import Config

from . import config as xconfig
from . import config_services as xservices
from . import hooks as xhooks
from .commands import enable_blocks_job, previews_job, xueshi_command
from .templating import FILTERS
from .validation import validate

HERE = os.path.abspath(os.path.dirname(__file__))

# Configuration: defaults (XUESHI_*), generated secrets, and Tutor keys we change.
Filters.CONFIG_DEFAULTS.add_items(xconfig.DEFAULTS)
Filters.CONFIG_UNIQUE.add_items(xconfig.UNIQUE)
Filters.CONFIG_OVERRIDES.add_items(xconfig.OVERRIDES)


@Filters.CONFIG_DEFAULTS.add(priority=priorities.LOW)
def _npm_registry_follows_china_mirrors(
    items: list[tuple[str, t.Any]],
) -> list[tuple[str, t.Any]]:
    """Make Tutor's NPM_REGISTRY default follow XUESHI_CHINA_MIRRORS.

    Tutor passes ``--registry=$NPM_REGISTRY`` to npm, which beats any npm
    environment variable, so the mirror must reach that key. Wrapping the
    default (not overriding the key) keeps an operator's own NPM_REGISTRY first.
    """
    wrapped: list[tuple[str, t.Any]] = []
    for name, value in items:
        if name == "NPM_REGISTRY" and isinstance(value, str):
            value = (
                "{% if XUESHI_CHINA_MIRRORS %}{{ XUESHI_NPM_REGISTRY }}{% else %}"
                + value
                + "{% endif %}"
            )
        wrapped.append((name, value))
    return wrapped


@Actions.CONFIG_LOADED.add()
def _check_config(config: Config) -> None:
    """Refuse a configuration with bad XUESHI_* values before anything is rendered.

    Tutor saves config.yml before loading it in full, so the bad value is stored:
    the message says how to fix it, and every later command repeats it until fixed.
    """
    problems = validate(config)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise exceptions.TutorError(
            "Invalid Xueshi (学时) configuration:\n"
            f"{lines}\n"
            "Fix with `tutor config save --set KEY=VALUE` (or --unset KEY for the default), "
            "then run `tutor xueshi check`."
        )


# Patches: one file per Tutor slot, named exactly after it.
for _path in sorted(glob(os.path.join(HERE, "patches", "*"))):
    with open(_path, encoding="utf-8") as _patch_file:
        Filters.ENV_PATCHES.add_item((os.path.basename(_path), _patch_file.read()))

# Template helpers used by the patches.
Filters.ENV_TEMPLATE_FILTERS.add_items(FILTERS)


def _filter_steps() -> list[tuple[str, str, bool]]:
    """Open edX filter steps to merge into the LMS settings (see ``hooks.FILTER_STEPS``)."""
    return list(xhooks.FILTER_STEPS.iterate())


def _beat_command() -> list[str]:
    """The beat command line, shared by docker compose and Kubernetes."""
    return [
        "celery",
        "--app=lms.celery",
        "beat",
        "--loglevel=info",
        f"--schedule={xconfig.BEAT_SCHEDULE_FILE}",
        # No pid file: a stale one on the volume would stop beat after a crash.
        "--pidfile=",
    ]


def _media_worker_command(queue: str, concurrency: int) -> list[str]:
    """The transcoding worker: only the media queue, one job fetched per free process (ADR 0320)."""
    return [
        "celery",
        "--app=lms.celery",
        "worker",
        "--loglevel=info",
        f"--hostname={queue}.%h",
        f"--queues={queue}",
        f"--concurrency={int(concurrency)}",
        # A job runs for minutes to hours: never hold a second one while another worker idles.
        "--prefetch-multiplier=1",
        "--max-tasks-per-child=20",
        "--without-gossip",
        "--without-mingle",
    ]


def _media_files_command() -> list[str]:
    """Caddy's static file server for X-Accel-Redirect: no listing, port 8000, /srv read-only."""
    return ["caddy", "file-server", "--root", "/srv", "--listen", ":8000"]


Filters.ENV_TEMPLATE_VARIABLES.add_items(
    [
        ("xueshi_filter_steps", _filter_steps),
        ("xueshi_beat_command", _beat_command),
        ("xueshi_media_worker_command", _media_worker_command),
        ("xueshi_media_files_command", _media_files_command),
        ("xueshi_media_accel_prefix", xservices.MEDIA_ACCEL_PREFIX),
        ("xueshi_media_work_dir", xservices.MEDIA_WORK_DIR),
        ("xueshi_notify_queue", xservices.NOTIFY_QUEUE),
        ("xueshi_reporting_xlsx_dir", xservices.REPORTING_XLSX_DIR),
        ("xueshi_preview_flag", xservices.PREVIEW_WAFFLE_FLAG),
        ("xueshi_mysql_option_file", xservices.MYSQL_OPTION_FILE),
        ("xueshi_mysql_option_target", xservices.MYSQL_OPTION_TARGET),
    ]
)

# Rendered files: templates/xueshi/apps/ -> env/plugins/xueshi/apps/ (MySQL's option file).
Filters.ENV_TEMPLATE_ROOTS.add_item(os.path.join(HERE, "templates"))
Filters.ENV_TEMPLATE_TARGETS.add_item(("xueshi/apps", "plugins"))


@Filters.LMS_WORKER_COMMAND.add(priority=priorities.LOW)  # after Tutor's own arguments
def _lms_worker_consumes_notifications(command: list[str]) -> list[str]:
    """Add the notifications queue to the LMS workers' ``--queues`` (Tutor's list is kept)."""
    return [
        f"{arg},{xservices.NOTIFY_QUEUE}"
        if arg.startswith("--queues=")
        and xservices.NOTIFY_QUEUE not in arg.split("=", 1)[1].split(",")
        else arg
        for arg in command
    ]


# Pipeline steps are added to ``hooks.FILTER_STEPS`` by the Xueshi apps that provide them
# (payments: course.enrollment.started; hours: certificate.creation.requested), each with
# fail_silently=False so that a broken step stops enrolment instead of letting a learner through.
# Only steps that ship in the image are registered: a missing path would break enrolment.
xhooks.FILTER_STEPS.add_item(
    (
        "org.openedx.learning.course.enrollment.started.v1",
        "xueshi_payments.pipeline.RequirePaidEnrollment",
        False,
    )
)

# `tutor dev`: bind-mount a checkout named xueshi or openedx-xueshi into the openedx
# images and containers (Tutor's own pattern already covers openedx-*).
Filters.MOUNTED_DIRECTORIES.add_item(("openedx", r"(openedx-)?xueshi$"))

# Init: Tutor's LMS init runs the migrations first; ours runs after it (LOW priority).
with open(
    os.path.join(HERE, "templates", "xueshi", "jobs", "init", "lms.sh"), encoding="utf-8"
) as _init_file:
    Filters.CLI_DO_INIT_TASKS.add_item(("lms", _init_file.read()), priority=priorities.LOW)

# Operator commands: `tutor xueshi ...`, and the do jobs
# `tutor local|dev|k8s do xueshi-enable-blocks|xueshi-previews`.
Filters.CLI_COMMANDS.add_item(xueshi_command)
Filters.CLI_DO_COMMANDS.add_items([enable_blocks_job, previews_job])
