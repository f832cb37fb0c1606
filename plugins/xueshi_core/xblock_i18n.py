"""The JavaScript catalog an XBlock's page loads, chosen the way Open edX chooses it (ADR 0081).

The LMS's i18n service (``XBlockI18nService.get_javascript_i18n_catalog_url``) answers with the
catalog that ``compile_xblock_translations`` built from atlas-pulled translations, when there is
one for the block's module and the active language. Otherwise the block serves the catalog it
ships, ``public/js/translations/<locale>/text.js`` (compiled from its ``djangojs.po`` by
``make translations``), through ``local_resource_url``, as Open edX's own XBlocks do. Either file
defines the block's ``i18n_js_namespace`` global; English, the source language, needs none.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.utils import translation

BUNDLED = "public/js/translations/{locale}/text.js"
#: Locales whose catalog is another's: the LMS says ``zh-cn`` or ``zh-hans`` for Simplified Chinese.
ALIASES = {"zh": "zh_CN", "zh_Hans": "zh_CN"}


def _package(block: Any) -> str:
    """The block's top-level module (the LMS keys catalogs by it), seen through XBlock's mixins."""
    return str(getattr(block, "unmixed_class", type(block)).__module__.split(".")[0])


def bundled_catalog(block: Any, language: str) -> str | None:
    """The path, in the block's package, of its own compiled catalog for ``language``, if it ships one."""
    locale = translation.to_locale(language)
    base = locale.split("_")[0]
    package = resources.files(_package(block))
    for candidate in dict.fromkeys((locale, ALIASES.get(locale), ALIASES.get(base), base)):
        if candidate and package.joinpath(BUNDLED.format(locale=candidate)).is_file():
            return BUNDLED.format(locale=candidate)
    return None


def js_catalog_url(block: Any) -> str | None:
    """URL of the JS catalog for the active language: the platform's compiled one first, else the block's."""
    language = translation.get_language()
    if not language:
        return None
    service = block.runtime.service(block, "i18n")
    platform_catalog = getattr(service, "get_javascript_i18n_catalog_url", None)
    url = platform_catalog(block) if platform_catalog else None
    if url:
        return str(url)
    path = bundled_catalog(block, language)
    return str(block.runtime.local_resource_url(block, path)) if path else None


def add_js_catalog(block: Any, fragment: Any) -> None:
    """Load the catalog before the block's own scripts (they read its namespace when they run)."""
    url = js_catalog_url(block)
    if url:
        fragment.add_javascript_url(url)
