"""An image captcha on the public look-up by name and ID number (django-simple-captcha, ADR 0182).

The throttle (``throttle.py``) caps how many look-ups an address or an ID number gets; the captcha
makes each of them cost a human. The library's widget reverses its URL names without a namespace;
ours are mounted under the app's namespace (``urls.py``), so the widget names them here.
"""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_FIELD = 64


class LookupCaptchaInput(CaptchaTextInput):
    """The library's image + answer input, pointing at the image URL of our namespace."""

    template_name = "xueshi_certificates/captcha_widget.html"

    def fetch_captcha_store(self, name: str, value: Any, attrs: Any = None, generator: Any = None) -> None:
        """A new challenge row (the library's own, minus its check for un-namespaced URL names)."""
        key = CaptchaStore.generate_key(generator)
        self._value = [key, ""]
        self._key = key
        self.id_ = self.build_attrs(attrs).get("id", None)

    def image_url(self) -> str:
        """The picture of the current challenge, under our namespace."""
        return reverse("xueshi_certificates:captcha-image", kwargs={"key": self._key})

    def audio_url(self) -> None:
        """No audio challenge (it needs flite on the server; the page says how to ask for help)."""
        return None

    def refresh_url(self) -> str:
        """No refresh endpoint: a failed answer shows a new picture with the page."""
        return ""


class PersonLookupForm(forms.Form):
    """Real name, ID number and the captcha answer of the look-up form."""

    real_name = forms.CharField(max_length=MAX_FIELD, strip=True)
    id_number = forms.CharField(max_length=MAX_FIELD, strip=True)
    id_type = forms.CharField(max_length=32, required=False)
    captcha = CaptchaField(
        label=_("Characters in the picture"),
        widget=LookupCaptchaInput(attrs={"autocomplete": "off", "maxlength": 8}),
        error_messages={"invalid": _("The characters do not match the picture. Try the new one.")},
    )
