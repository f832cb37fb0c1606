"""The sandbox's sign-up page, doing what the LMS's registration does with plugin hooks.

Like ``openedx/core/djangoapps/user_authn/views/register.py``: the posted form first goes
through the ``StudentRegistrationRequested`` filter (``OPEN_EDX_FILTERS_CONFIG``), then the
account form and ``settings.REGISTRATION_EXTENSION_FORM`` are validated together, and the
extension form is saved with ``commit=False`` and the new user set (``do_create_account``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from openedx_filters.learning.filters import StudentRegistrationRequested


class AccountForm(forms.Form):
    """The LMS's own registration fields (email, full name, username, password)."""

    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(
        label=_("Full Name"),
        max_length=255,
        help_text=_("As on your ID document: it is also your real name for real-name study."),
    )
    username = forms.RegexField(label=_("Public Username"), regex=r"^[\w.@+-]{2,30}$", max_length=30)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_password(self) -> str:
        validate_password(self.cleaned_data["password"])
        return self.cleaned_data["password"]


def _extension_form(data: Any = None) -> Any:
    path = getattr(settings, "REGISTRATION_EXTENSION_FORM", None)
    return import_string(path)(data=data) if path else None


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Create an account with the extension form's fields; sign in; go on to ``next``."""
    prevented = ""
    if request.method == "POST":
        data = request.POST.copy()
        try:
            data = StudentRegistrationRequested.run_filter(form_data=data)
        except StudentRegistrationRequested.PreventRegistration as exc:
            prevented = str(exc)
        account, extension = AccountForm(data), _extension_form(data)
        if not prevented and account.is_valid() and (extension is None or extension.is_valid()):
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=account.cleaned_data["username"],
                    email=account.cleaned_data["email"],
                    password=account.cleaned_data["password"],
                    first_name=account.cleaned_data["name"][:150],
                )
                if extension is not None:
                    profile = extension.save(commit=False)
                    profile.user = user
                    profile.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(request.POST.get("next") or "/")
    else:
        account, extension = AccountForm(), _extension_form()
    context = {
        "account": account,
        "extension": extension,
        "prevented": prevented,
        "next": request.GET.get("next", ""),
    }
    return render(
        request, "registration/register.html", context, status=400 if request.method == "POST" else 200
    )
