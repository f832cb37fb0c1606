"""The sandbox's stand-in for the LMS's courseware: content store, user state, XBlock runtime."""

from django.apps import AppConfig


class SandboxLmsConfig(AppConfig):
    """Not part of openedx-xueshi: only the sandbox site and tests install it."""

    name = "sandbox.lms"
    label = "sandbox_lms"
    verbose_name = "Sandbox LMS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect plugin signal receivers, as the platform's ``PluginsConfig.ready()`` does."""
        from django.conf import settings
        from edx_django_utils.plugins import connect_plugin_receivers

        connect_plugin_receivers(settings.PROJECT_TYPE)
