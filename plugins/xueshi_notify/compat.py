"""The only module of ``xueshi_notify`` that imports edx-platform, always lazily inside a function.

Checked against Verawood (``release/verawood.1``). The sandbox puts a stand-in of the preferences
api on ``sys.path`` (``sandbox/platform_stubs``), so this body runs in tests as in the LMS.
"""

from __future__ import annotations

from typing import Any

#: The preference the LMS's language selector and account settings write (``LANGUAGE_KEY``).
LANGUAGE_KEY = "pref-lang"


def preferred_language(user: Any) -> str:
    """The learner's chosen site language (``pref-lang``), or ``""`` when they chose none.

    Wraps ``openedx.core.djangoapps.user_api.preferences.api.get_user_preference`` (the learner
    reading their own preference, which needs no further permission).
    """
    from openedx.core.djangoapps.user_api.preferences.api import get_user_preference

    return str(get_user_preference(user, LANGUAGE_KEY) or "")
