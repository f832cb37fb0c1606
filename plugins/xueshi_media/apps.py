"""Django app config for ``xueshi_media``, wired into the LMS and Studio by ``plugin_app``."""

from __future__ import annotations

from django.apps import AppConfig

LMS = "lms.djangoapp"
CMS = "cms.djangoapp"
_URLS = {"namespace": "xueshi_media", "regex": r"^xueshi/media/", "relative_path": "urls"}
_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.common"},
    "devstack": {"relative_path": "settings.common"},
    "test": {"relative_path": "settings.common"},
}


class MediaConfig(AppConfig):
    """Course media: uploads, HLS transcoding, session-bound delivery and the segment fetch log."""

    name = "xueshi_media"
    label = "xueshi_media"
    verbose_name = "Xueshi course media (学时·课程视频)"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        # Studio uploads and transcodes; the LMS delivers to learners.
        "url_config": {LMS: _URLS, CMS: _URLS},
        "settings_config": {LMS: _SETTINGS, CMS: _SETTINGS},
    }
