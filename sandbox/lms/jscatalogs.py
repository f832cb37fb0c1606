"""Compile an XBlock's ``djangojs`` catalog into the namespaced JavaScript file its pages load.

This is what edx-platform's ``compile_xblock_translations`` does for catalogs pulled by atlas
(``xblock_django/translation.py``): Django's own ``JavaScriptCatalog`` renders the ``.mo``, then the
``django`` global becomes the block's ``i18n_js_namespace`` (``compilejsi18n --namespace``), so
``window.XueshiVideoI18N.gettext`` is Django's gettext over the block's messages only. Our blocks
are not in openedx-translations, so they ship the result themselves in
``public/js/translations/<locale>/text.js`` and the LMS serves it with ``local_resource_url``
(ADR 0081). The page's own ``window.gettext`` (the LMS catalog) is left alone: the lines of
Django's template that copy the functions onto the global object are dropped.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

DOMAIN = "djangojs"
_DJANGO_GLOBAL = "const django = globals.django || (globals.django = {});"
_COPIES_TO_GLOBALS = re.compile(r"\n *globals\.\w+ = django\.\w+;|\n */\* add to global namespace \*/")
_NAMESPACE = re.compile(r"^[A-Za-z_$][\w$]*$")


class _MoCatalog(JavaScriptCatalog):
    """Django's catalog view over one ``.mo`` file instead of the installed apps' catalogs."""

    def __init__(self, translations: gettext.GNUTranslations) -> None:
        super().__init__()
        self.translation = translations


def render_catalog(locale_dir: Path, locale: str, namespace: str) -> str:
    """The JavaScript of ``<locale_dir>/<locale>/LC_MESSAGES/djangojs.mo`` under ``namespace``."""
    if not _NAMESPACE.match(namespace):
        raise ValueError(f"not a JavaScript identifier: {namespace!r}")
    translations = gettext.translation(DOMAIN, localedir=str(locale_dir), languages=[locale])
    view = _MoCatalog(translations)
    language = translation.to_language(locale)
    language = LANG_INFO.get(language, {}).get("fallback", [language])[0]  # zh-cn's formats are zh-hans's
    with translation.override(language):
        rendered = view.render_to_response(view.get_context_data()).content.decode("utf-8")
    if _DJANGO_GLOBAL not in rendered:
        raise RuntimeError("Django's i18n_catalog.js changed: the namespace cannot be applied")
    rendered = rendered.replace(
        _DJANGO_GLOBAL, f"const django = globals.{namespace} || (globals.{namespace} = {{}});"
    )
    rendered, copies = _COPIES_TO_GLOBALS.subn("", rendered)
    if not copies:
        raise RuntimeError("Django's i18n_catalog.js changed: its global functions were not found")
    source = f"{locale_dir.parent.parent.name}/conf/locale/{locale}/LC_MESSAGES/{DOMAIN}.po"
    header = f"/* {namespace}: compiled from {source} (manage.py compile_xblock_js_catalogs). */\n"
    return header + rendered.strip() + "\n"


def output_path(package_dir: Path, locale: str) -> Path:
    """Where the block serves the catalog from (``local_resource_url(block, "public/js/...")``)."""
    return package_dir / "public" / "js" / "translations" / locale / "text.js"


def block_catalogs(root: Path) -> Iterator[tuple[Any, Path, str]]:
    """``(block class, package dir, locale)`` for each installed XBlock under ``root`` with JS catalogs.

    Like edx-platform's ``compile_xblock_js_messages``: a block takes part when it declares
    ``i18n_js_namespace`` and its package has ``conf/locale/<locale>/LC_MESSAGES/djangojs.mo``.
    Locale folders that are links (``zh_Hans`` -> ``zh_CN``) are aliases, not catalogs of their own.
    """
    from xblock.core import XBlock

    seen: set[Path] = set()
    for _tag, block_class in XBlock.load_classes():
        unmixed = getattr(block_class, "unmixed_class", block_class)
        package = __import__(unmixed.__module__.split(".")[0])
        if package.__file__ is None:  # a namespace package ships no catalogs
            continue
        package_dir = Path(package.__file__).resolve().parent
        if package_dir in seen or root not in package_dir.parents or not unmixed.get_i18n_js_namespace():
            continue
        seen.add(package_dir)
        locale_dir = package_dir / "conf" / "locale"
        for folder in sorted(p for p in locale_dir.glob("*") if p.is_dir() and not p.is_symlink()):
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").exists():
                yield unmixed, package_dir, folder.name
