"""Django app config for ``xueshi_services``, wired into the LMS by ``plugin_app``.

Pages live under ``/xueshi/services/``: the public portal, My study, questions and complaints,
course ratings and the staff desk. Notifications subscribe to ``signals`` (we import no notifier).
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.data import retirement_receiver
from xueshi_core.menus import LEARNERS, MANAGE, MenuEntry
from xueshi_core.permissions import (
    ANSWER_TICKETS,
    MANAGE_PORTAL,
    MODERATE_RATINGS,
    VIEW_QUESTIONNAIRE_RESULTS,
)

LMS = "lms.djangoapp"
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class ServicesConfig(AppConfig):
    """Learner services: the portal, course ratings, Q&A and complaints, My study."""

    name = "xueshi_services"
    label = "xueshi_services"
    verbose_name = "Xueshi learner services (学时·学员服务)"
    default_auto_field = "django.db.models.BigAutoField"
    xueshi_menu = (
        MenuEntry("portal", ("xueshi_services:portal",), _("Portal"), order=5),
        MenuEntry("my-study", ("xueshi_services:my-study",), _("My study"), audience=LEARNERS, order=12),
        MenuEntry(
            "help", ("xueshi_services:help",), _("Questions and complaints"), audience=LEARNERS, order=45
        ),
        MenuEntry(
            "tickets",
            ("xueshi_services:staff-tickets",),
            _("Questions and complaints"),
            MANAGE,
            ANSWER_TICKETS,
            order=66,
        ),
        MenuEntry(
            "ratings",
            ("xueshi_services:staff-ratings",),
            _("Course ratings"),
            MANAGE,
            MODERATE_RATINGS,
            order=67,
        ),
        MenuEntry(
            "portal-content",
            ("xueshi_services:staff-portal",),
            _("Portal content"),
            MANAGE,
            MANAGE_PORTAL,
            order=68,
        ),
        MenuEntry(
            "questionnaires",
            ("xueshi_services:staff-questionnaires",),
            _("Questionnaires"),
            MANAGE,
            VIEW_QUESTIONNAIRE_RESULTS,
            order=69,
        ),
    )

    #: Called by ``manage.py lms xueshi_demo`` (xueshi_core.demo.run_demo_hooks).
    xueshi_demo_hook = "xueshi_services.demo.seed_demo_portal"

    plugin_app = {
        "url_config": {
            LMS: {"namespace": "xueshi_services", "regex": r"^xueshi/services/", "relative_path": "urls"},
        },
        "settings_config": {LMS: _SETTINGS},
        # Retirement erases what the learner wrote and keeps what is counted (ratings, tickets).
        "signals_config": {
            LMS: {"relative_path": "retirement", "receivers": [retirement_receiver("xueshi_services")]},
        },
    }
