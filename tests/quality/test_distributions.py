"""Both distributions build, and their wheels carry what an Open edX image needs without npm."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def build_wheel(source: Path, outdir: Path) -> zipfile.ZipFile:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = outdir.glob("*.whl")
    return zipfile.ZipFile(wheel)


@pytest.fixture(scope="module")
def xueshi_wheel(tmp_path_factory):
    return build_wheel(REPO, tmp_path_factory.mktemp("openedx-xueshi"))


@pytest.fixture(scope="module")
def tutor_wheel(tmp_path_factory):
    return build_wheel(REPO / "tutor-plugins" / "tutor-contrib-xueshi", tmp_path_factory.mktemp("tutor"))


def test_openedx_xueshi_wheel_has_templates_translations_migrations_and_entry_points(xueshi_wheel):
    names = set(xueshi_wheel.namelist())
    assert "xueshi_core/templates/xueshi_core/status.html" in names
    assert "xueshi_core/locale/zh_CN/LC_MESSAGES/django.mo" in names
    assert any(n.startswith("xueshi_studytime/migrations/0001") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = xueshi_wheel.read(entry_points).decode()
    for line in (
        "[xblock.v1]",
        "xueshi_video = xueshi_video.block:XueshiVideoBlock",
        "[lms.djangoapp]",
        "[cms.djangoapp]",
        "xueshi_studytime = xueshi_studytime.apps:StudyTimeConfig",
    ):
        assert line in text


def test_openedx_xueshi_wheel_has_built_front_end_and_block_catalogs(xueshi_wheel):
    names = set(xueshi_wheel.namelist())
    for block in (p.parent.parent.name for p in REPO.glob("xblocks/*/frontend/package.json")):
        assert any(n.startswith(f"{block}/public/js/dist/") and n.endswith(".js") for n in names), block
        assert f"{block}/translations/zh_CN/LC_MESSAGES/text.mo" in names, block
    for block in (p.parent.name for p in REPO.glob("xblocks/*/block.py")):  # compiled djangojs (ADR 0081)
        assert f"{block}/public/js/translations/zh_CN/text.js" in names, block


def test_openedx_xueshi_wheel_has_paragon_css_for_our_pages(xueshi_wheel):
    names = set(xueshi_wheel.namelist())
    for name in ("core.min.css", "light.min.css"):
        assert f"xueshi_core/static/xueshi_core/paragon/{name}" in names
    assert "xueshi_core/static/xueshi_core/xueshi.css" in names
    assert "xueshi_core/templates/xueshi_core/base.html" in names


def test_openedx_xueshi_wheel_ships_no_sources_of_the_build_or_the_sandbox(xueshi_wheel):
    names = xueshi_wheel.namelist()
    assert not [n for n in names if "node_modules" in n or "/frontend/" in n]
    assert not [n for n in names if n.startswith(("sandbox/", "tests/", "xblocks/", "plugins/"))]


def test_face_engines_are_extras_not_requirements_of_every_lms(xueshi_wheel):
    metadata = next(n for n in xueshi_wheel.namelist() if n.endswith(".dist-info/METADATA"))
    requires = [
        ln for ln in xueshi_wheel.read(metadata).decode().splitlines() if ln.startswith("Requires-Dist:")
    ]
    plain = [ln for ln in requires if "extra ==" not in ln]
    assert not [ln for ln in plain if any(p in ln.lower() for p in ("dlib", "tencentcloud", "alibabacloud"))]
    for extra, package in (
        ("face-local", "dlib-bin"),
        ("face-tencent", "tencentcloud"),
        ("face-aliyun", "alibaba"),
    ):
        assert any(package in ln and f'extra == "{extra}"' in ln for ln in requires), extra


def test_tutor_plugin_wheel_has_patches_templates_and_its_entry_point(tutor_wheel):
    names = set(tutor_wheel.namelist())
    assert any(n.startswith("tutorxueshi/patches/") for n in names)
    assert any(n.startswith("tutorxueshi/templates/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "xueshi = tutorxueshi.plugin" in tutor_wheel.read(entry_points).decode()
