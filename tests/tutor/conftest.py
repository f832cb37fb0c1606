"""Fixtures that run the real ``tutor`` CLI with our plugin in an isolated hook context.

No Django here: these tests render files on disk. Each test gets a temporary
TUTOR_ROOT, an empty plugins root, no entry-point or YAML plugins from the host,
and a ``unittests`` hook context that is cleared afterwards (the idea of Tutor's
own ``tests/helpers.py`` ``PluginsTestCase``), so one test's plugin state never
leaks into the next.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import typing as t
from pathlib import Path

import pytest

# Must be set before tutor is imported: tutor.plugins.base reads it at import time.
_PLUGINS_ROOT = tempfile.mkdtemp(prefix="xueshi-tutor-plugins-")
os.environ["TUTOR_PLUGINS_ROOT"] = _PLUGINS_ROOT
os.environ["TUTOR_IGNORE_ENTRYPOINT_PLUGINS"] = "1"
os.environ["TUTOR_IGNORE_DICT_PLUGINS"] = "1"

# The plugin is installed editable by the Makefile; fall back to the source tree.
_PLUGIN_SRC = Path(__file__).resolve().parents[2] / "tutor-plugins" / "tutor-contrib-xueshi"
if str(_PLUGIN_SRC) not in sys.path:
    sys.path.insert(0, str(_PLUGIN_SRC))

import click.testing  # noqa: E402
from tutor import hooks  # noqa: E402
from tutor import plugins as tutor_plugins  # noqa: E402
from tutor.commands.cli import cli  # noqa: E402  (imported outside any hook context)
from tutor.commands.context import BaseTaskContext  # noqa: E402
from tutor.core.hooks.contexts import enter as enter_context  # noqa: E402
from tutor.tasks import BaseTaskRunner  # noqa: E402
from tutor.types import Config  # noqa: E402

from tutorxueshi.__about__ import __version__  # noqa: E402

PLUGIN = "xueshi"
PLUGIN_MODULE = "tutorxueshi.plugin"
REPO_ROOT = Path(__file__).resolve().parents[2]
_CLEARED_CONTEXTS = [
    hooks.Contexts.PLUGINS.name,
    hooks.Contexts.PLUGINS_V0_ENTRYPOINT.name,
    hooks.Contexts.PLUGINS_V0_YAML.name,
    "unittests",
]


def _clean_hooks() -> None:
    for context in _CLEARED_CONTEXTS:
        hooks.clear_all(context=context)
    tutor_plugins._env_patches.cache_clear()
    sys.modules.pop(PLUGIN_MODULE, None)


@pytest.fixture(autouse=True)
def isolated_hooks() -> t.Iterator[None]:
    """Run the test in a ``unittests`` hook context where only our plugin is installed."""
    _clean_hooks()
    with enter_context("unittests"):
        hooks.Actions.CORE_READY.do()  # Tutor's own init tasks; discovery finds nothing
        hooks.Filters.PLUGINS_INSTALLED.add_item(PLUGIN)
        hooks.Filters.PLUGINS_INFO.add_item((PLUGIN, __version__))

        @hooks.Actions.PLUGIN_LOADED.add()
        def _load(name: str) -> None:
            # As tutor.plugins.v1.discover_package does for an entry point.
            if name == PLUGIN:
                importlib.import_module(PLUGIN_MODULE)

        yield
    _clean_hooks()


class RecordingRunner(BaseTaskRunner):
    """Job runner that records (service, command) instead of starting containers."""

    calls: t.ClassVar[list[tuple[str, str]]] = []

    def run_task(self, service: str, command: str) -> int:
        RecordingRunner.calls.append((service, command))
        return 0


class RecordingContext(BaseTaskContext):
    """Tutor context whose job runner is a :class:`RecordingRunner`."""

    def job_runner(self, config: Config) -> RecordingRunner:
        return RecordingRunner(self.root, config)


class Tutor:
    """Call the real tutor CLI in one project root."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self._monkeypatch = monkeypatch
        # The CLI object is a module singleton: keep its added commands per test.
        monkeypatch.setattr(cli, "commands", dict(cli.commands))

    def __call__(self, *args: str) -> click.testing.Result:
        # TutorCli remembers that the root was made ready; every call must redo it.
        self._monkeypatch.setattr(cli, "IS_ROOT_READY", False, raising=False)
        runner = click.testing.CliRunner()
        return runner.invoke(cli, list(args), env={"TUTOR_ROOT": str(self.root)})

    def ok(self, *args: str) -> click.testing.Result:
        """Run and fail the test with tutor's output if the command failed."""
        result = self(*args)
        assert result.exit_code == 0, f"tutor {' '.join(args)} failed:\n{result.output}\n{result.exception!r}"
        return result

    def value(self, key: str) -> str:
        """`tutor config printvalue KEY`, without the root-user warning tutor may print first."""
        return self.ok("config", "printvalue", key).output.strip().splitlines()[-1]

    def env(self, *parts: str) -> Path:
        return self.root.joinpath("env", *parts)

    def read(self, *parts: str) -> str:
        return self.env(*parts).read_text(encoding="utf-8")


@pytest.fixture
def tutor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tutor:
    """A tutor CLI in a fresh root; the plugin is not yet enabled."""
    return Tutor(tmp_path / "tutor-root", monkeypatch)


@pytest.fixture
def enabled(tutor: Tutor) -> Tutor:
    """A root with the plugin enabled and the environment rendered, as an operator would."""
    tutor.ok("plugins", "enable", PLUGIN)
    tutor.ok("config", "save", "--set", "PLATFORM_NAME=学时继续教育平台")
    return tutor
