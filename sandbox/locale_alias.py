"""Django's own Chinese under ``zh-cn``: the catalogs Django ships as ``zh_Hans``, offered as ``zh_CN``.

The LMS (and so the sandbox) speaks ``zh-cn`` and keeps its catalogs in ``zh_CN`` folders. Since
Django 1.9, Django and most Django apps ship Simplified Chinese only as ``zh_Hans``; Django's
``DjangoTranslation`` looks catalogs up by the one locale name ``zh_CN`` (``LANG_INFO``'s
``zh-cn → zh-hans`` fallback only picks among ``LANGUAGES``, it never merges catalogs), so the
login form, the admin and "not authorized" stayed English. Open edX bridges the two names in its
i18n tooling (edx-i18n-tools' ``edx_lang_map`` copies ``zh_CN`` catalogs to ``zh_HANS``); the
sandbox does the same in the other direction, at start-up and without copying anything into the
repository: one folder per installed catalog root, holding a ``zh_CN`` link to its ``zh_Hans``
catalog, appended to ``LOCALE_PATHS`` after our own folder so our translations win (ADR 0080).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from pathlib import Path

SOURCE, TARGET = "zh_Hans", "zh_CN"


def _package_dir(dotted: str) -> Path | None:
    """The folder of an INSTALLED_APPS entry (module or AppConfig path), without importing models."""
    parts = dotted.split(".")
    while parts:
        try:
            spec = importlib.util.find_spec(".".join(parts))
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            return Path(next(iter(spec.submodule_search_locations)))
        parts.pop()
    return None


def catalog_roots(installed_apps: Iterable[str]) -> list[Path]:
    """Every ``locale`` folder Django reads: its own (``django/conf/locale``) and each app's."""
    roots: list[Path] = []
    for dotted in ["django.conf", *installed_apps]:
        folder = _package_dir(dotted)
        if folder is not None and (folder / "locale").is_dir():
            roots.append(folder / "locale")
    return roots


def alias_locale_paths(installed_apps: Iterable[str], into: Path) -> list[Path]:
    """Folders to append to LOCALE_PATHS: each offers one root's ``zh_Hans`` catalog as ``zh_CN``.

    Roots that already ship ``zh_CN`` (Django REST framework does) are left alone. Links are
    (re)made idempotently, so several processes starting at once agree on the result.
    """
    paths: list[Path] = []
    for index, root in enumerate(catalog_roots(installed_apps)):
        source = root / SOURCE / "LC_MESSAGES" / "django.mo"
        if not source.is_file() or (root / TARGET / "LC_MESSAGES" / "django.mo").is_file():
            continue
        folder = into / f"{index:03d}-{root.parent.name}"
        try:
            _link(folder / TARGET / "LC_MESSAGES" / "django.mo", source)
        except OSError:  # a read-only checkout: Django's strings stay English, the site still starts
            continue
        paths.append(folder)
    return paths


def _link(link: Path, source: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if not (link.is_symlink() and link.resolve() == source.resolve()):
        tmp = link.with_name(f"django.mo.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(source)
        tmp.replace(link)  # atomic: a concurrent reader never sees a missing catalog
