"""The sandbox offers Django's zh_Hans catalogs as zh_CN, skips apps that ship zh_CN, is idempotent."""

from __future__ import annotations

from pathlib import Path

from sandbox.locale_alias import alias_locale_paths


def test_aliases_point_at_zh_hans_and_skip_apps_with_zh_cn(tmp_path: Path) -> None:
    apps = ["django.contrib.admin", "rest_framework", "eventtracking.django.apps.EventTrackingConfig"]
    paths = alias_locale_paths(apps, tmp_path)
    names = [p.name.split("-", 1)[1] for p in paths]
    assert names == ["conf", "admin"]  # DRF ships zh_CN itself; eventtracking has no Chinese
    for folder in paths:
        link = folder / "zh_CN" / "LC_MESSAGES" / "django.mo"
        assert link.is_symlink() and link.resolve().parts[-3] == "zh_Hans"

    again = alias_locale_paths(apps, tmp_path)
    assert again == paths
    assert not list(tmp_path.rglob("*.tmp"))


def test_unwritable_folder_leaves_django_in_english(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert alias_locale_paths(["django.contrib.admin"], blocker) == []
