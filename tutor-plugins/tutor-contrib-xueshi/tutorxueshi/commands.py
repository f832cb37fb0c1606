"""The ``tutor xueshi`` command group: operator tasks that Tutor has no verb for."""

from __future__ import annotations

import re
import shlex
import typing as t

import click
from tutor import config as tutor_config
from tutor import exceptions, fmt
from tutor.commands.context import BaseTaskContext, Context
from tutor.types import Config

from . import config as xconfig
from .config_services import PREVIEW_WAFFLE_FLAG
from .validation import key_file_problem, validate

# Course keys as opaque-keys accepts them: course-v1:ORG+COURSE+RUN, or the old ORG/COURSE/RUN.
_COURSE_KEY = re.compile(r"^(course-v1:[\w.~-]+\+[\w.~-]+\+[\w.~-]+|[\w.~-]+/[\w.~-]+/[\w.~-]+)$")


def load_unchecked(root: str) -> Config:
    """Load the full rendered configuration without running CONFIG_LOADED checks.

    ``tutor xueshi check`` must be able to show a configuration that the checks
    refuse, so it cannot go through ``tutor.config.load``.
    """
    config = tutor_config.get_user(root)
    tutor_config.update_with_base(config)
    tutor_config.update_with_defaults(config)
    tutor_config.render_full(config)
    return config


def display_value(name: str, value: t.Any) -> str:
    """Show a value for the check table: secrets are masked, key files summarised."""
    if xconfig.is_secret(name):
        if isinstance(value, list):
            return f"****** ({len(value)} keys)" if value else "(none)"
        if isinstance(value, dict):
            return (
                f"****** ({len(value)} entries: {', '.join(map(str, value))})"
                if value
                else "(none)"
            )
        return f"****** ({len(str(value))} characters)" if value else "(empty)"
    if xconfig.is_file(name) and value:
        kind = "PRIVATE KEY" if "PRIVATE" in name else "PUBLIC KEY"
        problem = key_file_problem(str(value), kind)
        return f"{value} [{'unreadable' if problem else 'ok'}]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value in ("", None):
        return "(empty)"
    return str(value)


def enable_blocks_command(course_key: str) -> str:
    """The cms command that adds our XBlock types to a course's advanced modules."""
    if not _COURSE_KEY.match(course_key):
        raise exceptions.TutorError(
            f"'{course_key}' is not a course key; expected e.g. course-v1:XueshiOrg+KJ101+2026"
        )
    return f"./manage.py cms xueshi_enable_blocks {shlex.quote(course_key)}"


@click.group(name="xueshi", help="Operate Xueshi (学时) on this Open edX platform")
def xueshi_command() -> None:
    """Group for Xueshi operator commands."""


@xueshi_command.command(name="check", help="Validate XUESHI_* settings; secrets are masked")
@click.pass_obj
def check(context: Context) -> None:
    """Print every XUESHI_* key with its value (secrets masked) and any problem found."""
    config = load_unchecked(context.root)
    width = max(len(key.full_name) for key in xconfig.KEYS)
    fmt.echo(f"{'KEY'.ljust(width)}  VALUE")
    for key in xconfig.KEYS:
        value = display_value(key.full_name, config.get(key.full_name))
        fmt.echo(f"{key.full_name.ljust(width)}  {value}")
    fmt.echo(f"{'LANGUAGE_CODE'.ljust(width)}  {config.get('LANGUAGE_CODE')}")
    problems = validate(config)
    if problems:
        for problem in problems:
            fmt.echo_error(f"✗ {problem}")
        raise exceptions.TutorError(f"{len(problems)} problem(s) in the Xueshi configuration")
    fmt.echo_info("✓ Xueshi configuration is valid")


_MODE = click.option(
    "-m",
    "--mode",
    type=click.Choice(["local", "dev", "k8s"]),
    default="local",
    show_default=True,
    help="Where the platform runs",
)


# Mode → Tutor context whose job runner executes the command; tests replace entries.
RUNNER_CONTEXTS: dict[str, t.Callable[[str], BaseTaskContext]] = {}


def _runner_context(mode: str, root: str) -> BaseTaskContext:
    if mode not in RUNNER_CONTEXTS:
        # Imported lazily: the k8s module pulls in the Kubernetes client.
        from tutor.commands.dev import DevContext
        from tutor.commands.k8s import K8sContext
        from tutor.commands.local import LocalContext

        defaults: dict[str, t.Callable[[str], BaseTaskContext]] = {
            "local": LocalContext,
            "dev": DevContext,
            "k8s": K8sContext,
        }
        return defaults[mode](root)
    return RUNNER_CONTEXTS[mode](root)


@xueshi_command.command(
    name="enable-blocks",
    help="Add the Xueshi blocks (video, practice, live, questionnaire) to a course's modules",
)
@_MODE
@click.argument("course_key")
@click.pass_obj
def enable_blocks(context: Context, mode: str, course_key: str) -> None:
    """Run ``xueshi_enable_blocks`` in a cms job container."""
    command = enable_blocks_command(course_key)
    config = tutor_config.load(context.root)
    runner = _runner_context(mode, context.root).job_runner(config)
    fmt.echo_info(f"Enabling Xueshi blocks in {course_key} ({mode})")
    runner.run_task("cms", command)


def previews_command(state: str) -> str:
    """The LMS command that turns the platform's anonymous-courseware flag on or off (ADR 0321)."""
    if state not in ("on", "off"):
        raise exceptions.TutorError(f"'{state}' is neither 'on' nor 'off'")
    switch = "--everyone" if state == "on" else "--deactivate"
    return f"./manage.py lms waffle_flag --create {switch} {PREVIEW_WAFFLE_FLAG}"


@xueshi_command.command(
    name="previews",
    help="Let course runs set to 'public' be previewed (试听) without enrolment, or stop it",
)
@_MODE
@click.argument("state", type=click.Choice(["on", "off"]))
@click.pass_obj
def previews(context: Context, mode: str, state: str) -> None:
    """Set ``seo.enable_anonymous_courseware_access`` for everyone through an LMS job."""
    config = tutor_config.load(context.root)
    runner = _runner_context(mode, context.root).job_runner(config)
    fmt.echo_info(f"Previews {state} ({PREVIEW_WAFFLE_FLAG}, {mode})")
    runner.run_task("lms", previews_command(state))


@click.command(
    name="xueshi-previews",
    help="Let course runs set to 'public' be previewed (试听) without enrolment, or stop it",
)
@click.argument("state", type=click.Choice(["on", "off"]))
def previews_job(state: str) -> t.Iterable[tuple[str, str]]:
    """`tutor local|dev|k8s do xueshi-previews on|off`: the same, as a do job."""
    yield ("lms", previews_command(state))


@click.command(
    name="xueshi-enable-blocks",
    help="Add the Xueshi blocks (video, practice, live, questionnaire) to a course's modules",
)
@click.argument("course_key")
def enable_blocks_job(course_key: str) -> t.Iterable[tuple[str, str]]:
    """`tutor local|dev|k8s do xueshi-enable-blocks COURSE_KEY`: the same, as a do job."""
    yield ("cms", enable_blocks_command(course_key))
