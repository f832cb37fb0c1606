"""The platform boundary is enforced by import-linter, and the check really catches violations."""

import shutil
import subprocess
import sys
from pathlib import Path

LINT = str(Path(sys.executable).parent / "lint-imports")


def run_lint(repo, pythonpath):
    return subprocess.run(
        [LINT, "--config", str(repo / ".importlinter"), "--no-cache"],
        cwd=repo,
        env={"PYTHONPATH": pythonpath, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_contracts_hold_for_the_tree(repo):
    result = run_lint(repo, f"{repo}/plugins:{repo}/xblocks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_lms_import_outside_compat_breaks_the_contract(repo, tmp_path):
    # Copy the real packages, then add a module that imports the LMS inside a function,
    # the way a careless handler would.
    for root in ("plugins", "xblocks"):
        shutil.copytree(repo / root, tmp_path / root, ignore=shutil.ignore_patterns("node_modules"))
    probe = tmp_path / "plugins" / "xueshi_core" / "careless.py"
    probe.write_text(
        "def course_title(key):\n    from lms.djangoapps.courseware import courses\n    return courses\n"
    )
    result = run_lint(repo, f"{tmp_path}/plugins:{tmp_path}/xblocks")
    assert result.returncode != 0
    assert "xueshi_core.careless -> lms" in result.stdout


def test_the_same_import_inside_compat_is_allowed(repo, tmp_path):
    for root in ("plugins", "xblocks"):
        shutil.copytree(repo / root, tmp_path / root, ignore=shutil.ignore_patterns("node_modules"))
    compat = tmp_path / "plugins" / "xueshi_core" / "compat.py"
    careless = "def course_title(key):\n    from lms.djangoapps.courseware import courses\n    return 1\n"
    compat.write_text(compat.read_text() + "\n\n" + careless)
    result = run_lint(repo, f"{tmp_path}/plugins:{tmp_path}/xblocks")
    assert result.returncode == 0, result.stdout
