"""Every compiled requirements file stays inside Open edX Verawood's versions (constraints.txt).

Installing openedx-xueshi into the LMS image must never move a platform pin: a file compiled
without ``-c constraints.txt`` once pinned Django 6.1 and Celery 5.7 next to Verawood's 5.2 and 5.6.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def constraints() -> dict[str, Requirement]:
    found = {}
    for line in (REQUIREMENTS / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = requirement
    return found


def pins(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {canonicalize_name(m[1]): m[2] for m in (PIN.match(line) for line in lines) if m}


COMPILED = sorted(p for p in REQUIREMENTS.glob("*.txt") if p.name != "constraints.txt")


@pytest.mark.parametrize("compiled", COMPILED, ids=lambda p: p.name)
def test_compiled_pins_satisfy_the_platform_constraints(compiled: Path) -> None:
    pinned = pins(compiled)
    assert pinned, f"{compiled.name} pins nothing"
    outside = {
        name: version
        for name, version in pinned.items()
        if name in constraints() and not constraints()[name].specifier.contains(version, prereleases=True)
    }
    assert not outside, f"{compiled.name} pins outside constraints.txt: {outside}"


@pytest.mark.parametrize("compiled", COMPILED, ids=lambda p: p.name)
def test_every_compiled_file_is_compiled_with_the_constraints(compiled: Path) -> None:
    source = compiled.with_suffix(".in")
    assert source.exists(), f"{compiled.name} has no {source.name}"
    assert "-c constraints.txt" in source.read_text(encoding="utf-8").splitlines()
