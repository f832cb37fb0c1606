"""The learner's real-name profile page (web and phone layouts), the gate's destination."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from xueshi_core import consent

from . import api, conf
from .forms import ProfileForm
from .models import IdentityProfile


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    """Show and save the signed-in learner's profile; go on to ``next`` once it is complete."""
    instance = IdentityProfile.objects.filter(user=request.user).first()
    locked = instance is not None and not conf.learner_may_edit_identity()
    source = "profile_page" if instance is None else instance.source
    ask = not consent.has_consented(request.user, consent.ID_NUMBER)
    form = ProfileForm(request.POST or None, instance=instance, locked=locked, ask_consent=ask)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            profile = form.save(commit=False)
            profile.user = request.user
            profile.source = source
            profile.save()
            if not profile.missing_fields():
                return redirect(_safe_next(request))
        else:
            status = 400
    return render(
        request,
        "xueshi_identity/profile.html",
        {
            "form": form,
            "view": api.get_profile(request.user.pk),
            "locked": locked,
            "next": _safe_next(request),
            "divisions_url": "/api/xueshi/identity/v1/divisions",
        },
        status=status,
    )
