"""The image carries what certificate PDFs need: Pango, fontconfig and the Noto CJK fonts."""

from __future__ import annotations

from .conftest import Tutor


def test_image_installs_cjk_fonts_and_pango_in_the_stage_production_is_built_from(enabled: Tutor) -> None:
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    install = next(line for line in dockerfile.splitlines() if "fonts-noto-cjk" in line)
    for package in ("fontconfig", "libpango-1.0-0", "libpangoft2-1.0-0"):
        assert package in install
    minimal, production = dockerfile.index("AS minimal"), dockerfile.index("AS production")
    assert minimal < dockerfile.index(install) < dockerfile.index("FROM minimal AS python") < production
    assert "FROM minimal AS production" in dockerfile


def test_fonts_are_installed_after_the_china_mirror_is_set(enabled: Tutor) -> None:
    enabled.ok("config", "save", "--set", "XUESHI_CHINA_MIRRORS=true")
    dockerfile = enabled.read("build", "openedx", "Dockerfile")
    assert dockerfile.index("mirrors.tuna.tsinghua.edu.cn/ubuntu/") < dockerfile.index("fonts-noto-cjk")
