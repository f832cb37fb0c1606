"""XBlock services the sandbox runtime offers, each shaped like the LMS's own.

``user`` answers with the same ``opt_attrs`` keys as ``common/djangoapps/xblock_django/user_service.py``;
``i18n`` loads a block's ``translations/<locale>/LC_MESSAGES/text.mo`` and finds platform-compiled
JS catalogs as ``XBlockI18nService`` does; ``settings`` reads ``XBLOCK_SETTINGS`` like
``xmodule/services.py`` ``SettingsService``.
"""

from __future__ import annotations

import gettext
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils import translation
from django.utils.formats import date_format
from xblock.reference.user_service import UserService, XBlockUser


class SandboxUserService(UserService):
    """The current Django user as an ``XBlockUser`` with edx-platform's optional attributes."""

    def __init__(self, user: Any, course_key: Any) -> None:
        super().__init__()
        self._user = user
        self._course_key = course_key

    def get_current_user(self) -> XBlockUser:
        """Describe the signed-in learner the way the LMS user service does."""
        user = self._user
        authenticated = bool(user and user.is_authenticated)
        xuser = XBlockUser(
            is_current_user=True,
            emails=[user.email] if authenticated else [],
            full_name=user.get_full_name() if authenticated else None,
        )
        anonymous_id = ""
        if authenticated:
            seed = f"{settings.SECRET_KEY}|{user.id}|{self._course_key}".encode()
            anonymous_id = hashlib.md5(seed, usedforsecurity=False).hexdigest()
        xuser.opt_attrs.update(
            {
                "edx-platform.is_authenticated": authenticated,
                "edx-platform.user_id": user.id if authenticated else None,
                "edx-platform.username": user.username if authenticated else None,
                "edx-platform.user_is_staff": bool(authenticated and user.is_staff),
                "edx-platform.user_is_global_staff": bool(authenticated and user.is_superuser),
                "edx-platform.user_role": "staff" if authenticated and user.is_staff else "student",
                "edx-platform.anonymous_user_id": anonymous_id,
                "edx-platform.request_country_code": "CN",
            }
        )
        return xuser


class SandboxI18nService:
    """Translate with the block's own ``text`` catalog, falling back to Django's active catalog."""

    def __init__(self, block_class: type | None = None) -> None:
        language = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
        self._translations: gettext.NullTranslations = gettext.NullTranslations()
        if block_class is not None:
            package = __import__(block_class.__module__.split(".")[0])
            localedir = Path(package.__file__).parent / "translations"
            self._translations = gettext.translation(
                "text", localedir=str(localedir), languages=[language], fallback=True
            )

    def gettext(self, message: str) -> str:
        """Translate one message."""
        return self._translations.gettext(message)

    ugettext = gettext

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """Translate a message with a plural form."""
        return self._translations.ngettext(singular, plural, number)

    ungettext = ngettext

    def strftime(self, dtime: Any, format: str) -> str:
        """Format a date with Django's localized formats (the LMS does the same)."""
        names = {
            "SHORT_DATE": "SHORT_DATE_FORMAT",
            "LONG_DATE": "DATE_FORMAT",
            "DATE_TIME": "DATETIME_FORMAT",
        }
        return str(date_format(dtime, names.get(format, format)))

    def get_javascript_i18n_catalog_url(self, block: Any) -> str | None:
        """The platform's compiled JS catalog of the block's module, found where the LMS finds it.

        ``compile_xblock_translations`` writes ``<STATICI18N_ROOT>/js/xblock.v1-i18n/<module>/<locale>.js``
        from atlas-pulled catalogs; the LMS answers its static URL when the file exists, else None,
        and the block then loads the catalog it ships (``xueshi_core.xblock_i18n``, ADR 0081).
        """
        root = getattr(settings, "STATICI18N_ROOT", None)
        if not root:
            return None
        module = getattr(block, "unmixed_class", type(block)).__module__.split(".")[0]
        locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
        relative = f"js/xblock.v1-i18n/{module}/{locale}.js"
        return staticfiles_storage.url(relative) if (Path(root) / relative).exists() else None


class SandboxSettingsService:
    """``XBLOCK_SETTINGS[block_settings_key or class name]``, as the LMS settings service reads it."""

    def get_settings_bucket(self, block: Any, default: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return the block's settings bucket, or ``default``."""
        key = getattr(block, "block_settings_key", None) or block.__class__.__name__
        return dict(getattr(settings, "XBLOCK_SETTINGS", {}).get(key, default or {}))
