"""Django app config for ``xueshi_questionbank``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retention_receiver
from xueshi_core.menus import AUTHOR, MenuEntry
from xueshi_core.permissions import EDIT_QUESTION_BANK

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}
_URLS = {"namespace": "xueshi_questionbank", "regex": r"^", "relative_path": "urls"}


class QuestionBankConfig(AppConfig):
    """Question banks: versioned questions, import/export, attempts, statistics, the staff page."""

    name = "xueshi_questionbank"
    #: Header menu entries (``xueshi_core.menus``), shown by the one permission API.
    xueshi_menu = (
        MenuEntry(
            "question-bank", ("xueshi_questionbank:index",), _("Question bank"), AUTHOR, EDIT_QUESTION_BANK
        ),
    )
    label = "xueshi_questionbank"
    verbose_name = "Xueshi question bank (学时·题库)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        # One mount, two prefixes: the staff page under xueshi/questionbank/ and the REST API under
        # api/xueshi/questionbank/v1/ (plugin_app allows one url_config per project type).
        "url_config": {LMS: _URLS, CMS: _URLS},
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
        # The end of the retention period (ADR 0064); like retirement, in the LMS only.
        "signals_config": {
            LMS: {"relative_path": "retention", "receivers": [retention_receiver("xueshi_questionbank")]}
        },
    }
