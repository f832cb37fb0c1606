"""Which language a learner's messages are written in: their own site language, zh_CN by default.

The LMS keeps the learner's choice as the ``pref-lang`` preference (read through ``compat``). A
value the site does not offer (an old or hand-edited preference) falls back to the default,
``XUESHI_NOTIFY_DEFAULT_LANGUAGE`` (``zh-cn``): most learners of a Chinese continuing-education
site read Chinese, whatever the server's ``LANGUAGE_CODE`` is set to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_supported_language_variant

from . import compat, conf


def _supported(code: str) -> str:
    try:
        return get_supported_language_variant(code.strip().lower().replace("_", "-"))
    except LookupError:
        return ""


def language_of(user: Any) -> str:
    """The language to write to ``user`` in (a code of ``settings.LANGUAGES``)."""
    chosen = _supported(compat.preferred_language(user)) if user is not None else ""
    return chosen or _supported(conf.default_language()) or str(settings.LANGUAGE_CODE)
