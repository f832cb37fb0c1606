"""Settings of ``xueshi_certificates`` (platform ``add_plugins``); operators override them in their YAML."""

from __future__ import annotations

from typing import Any


def plugin_settings(settings: Any) -> None:
    """django-simple-captcha for the public look-up by name and ID number (ADR 0182).

    Its app is added here (its ``CaptchaStore`` table and image view), so operators install
    nothing by hand; four characters, valid five minutes, each answer usable once.
    """
    if "captcha" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS.append("captcha")
    settings.CAPTCHA_LENGTH = getattr(settings, "CAPTCHA_LENGTH", 4)
    settings.CAPTCHA_TIMEOUT = getattr(settings, "CAPTCHA_TIMEOUT", 5)
    settings.CAPTCHA_FONT_SIZE = getattr(settings, "CAPTCHA_FONT_SIZE", 30)
    settings.CAPTCHA_2X_IMAGE = getattr(settings, "CAPTCHA_2X_IMAGE", False)
