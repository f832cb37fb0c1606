"""The sandbox's stand-in for the LMS's courseware: content store, user state, XBlock runtime."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from xueshi_core.menus import ADMIN_SITE, AUTHOR, MenuEntry
from xueshi_core.permissions import EDIT_QUESTION_BANK


class SandboxLmsConfig(AppConfig):
    """Not part of openedx-xueshi: only the sandbox site and tests install it."""

    name = "sandbox.lms"
    label = "sandbox_lms"
    verbose_name = "Sandbox LMS"
    default_auto_field = "django.db.models.BigAutoField"
    #: Studio is another service under Tutor (``CMS_BASE``); in the sandbox it is ``/studio/``.
    xueshi_menu = (
        MenuEntry(
            "studio",
            ("sandbox_lms:studio_home",),
            _("Studio"),
            AUTHOR,
            EDIT_QUESTION_BANK,
            audience=ADMIN_SITE,
            order=20,
        ),
    )

    def ready(self) -> None:
        """Connect plugin signal receivers, as the platform's ``PluginsConfig.ready()`` does."""
        from django.conf import settings
        from edx_django_utils.plugins import connect_plugin_receivers

        connect_plugin_receivers(settings.PROJECT_TYPE)
