"""Pages: the learner's choices (which channels per kind), WeChat binding, and the operator's send log.

Bad input answers 4xx with the reason and changes nothing: an unknown kind or channel in the
choices form (400), an unknown filter value (400), a resend of a row that is not failed or
unconfirmed (409), a missing row (404), a WeChat return with a stale state or a refused code (400).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xueshi_core.guards import requires
from xueshi_core.jsonbody import BadInput
from xueshi_core.permissions import MANAGE_NOTIFICATIONS, VIEW_NOTIFICATIONS, may

from . import bindings, preferences, sending
from .addresses import masked_addresses
from .kinds import CHANNELS, KINDS
from .models import Delivery


def _error(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "xueshi_notify/error.html", {"reason": reason}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest) -> HttpResponse:
    """Which channels carry which kind; each checkbox is named ``<kind>:<channel>``."""
    if request.method == "POST":
        choices: dict[str, list[str]] = {kind: [] for kind in KINDS}
        for name in request.POST:
            if name == "csrfmiddlewaretoken":
                continue
            kind, _sep, channel = name.partition(":")
            if kind not in KINDS or channel not in CHANNELS:
                return _error(
                    request, _("Unknown message kind or channel: %(name)s") % {"name": name[:60]}, 400
                )
            choices[kind].append(channel)
        preferences.save_choices(request.user, choices)
        return redirect("xueshi_notify:preferences")
    chosen = preferences.all_choices(request.user.pk)
    rows = [
        {"kind": kind, "label": spec.label, "channels": [(c, c in chosen[kind]) for c in CHANNELS]}
        for kind, spec in KINDS.items()
    ]
    context = {"rows": rows, "channels": CHANNELS, "addresses": masked_addresses(request.user)}
    return render(request, "xueshi_notify/preferences.html", context)


@requires(VIEW_NOTIFICATIONS)
@require_GET
def send_log(request: HttpRequest) -> HttpResponse:
    """Every delivery, newest first, filtered by kind, channel and state; addresses masked."""
    kind, state, channel = (request.GET.get(n, "") for n in ("kind", "state", "channel"))
    if (
        (kind and kind not in KINDS)
        or (state and state not in Delivery.STATES)
        or (channel and channel not in CHANNELS)
    ):
        return _error(request, _("Unknown filter value."), 400)
    rows = Delivery.objects.select_related("notification__user").order_by("-created_at", "-id")
    if kind:
        rows = rows.filter(notification__kind=kind)
    if state:
        rows = rows.filter(state=state)
    if channel:
        rows = rows.filter(channel=channel)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": {k: v.label for k, v in KINDS.items()},
        "states": Delivery.STATES,
        "channels": CHANNELS,
        "kind": kind,
        "state": state,
        "channel": channel,
        "may_manage": may(request.user, MANAGE_NOTIFICATIONS),
    }
    return render(request, "xueshi_notify/log.html", context)


@requires(MANAGE_NOTIFICATIONS)
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed or unconfirmed delivery again (an operator's decision, after checking)."""
    if not Delivery.objects.filter(pk=pk).exists():
        return _error(request, _("There is no such delivery."), 404)
    if not sending.resend(pk):
        return _error(request, _("Only failed or unconfirmed deliveries can be sent again."), 409)
    from .tasks import enqueue

    enqueue([pk])
    return redirect("xueshi_notify:log")


@login_required
@require_GET
def wechat_bind(request: HttpRequest) -> HttpResponse:
    """Send the learner through the official account's silent authorisation; WeChat returns them."""
    back = request.build_absolute_uri(reverse("xueshi_notify:wechat-bound"))
    try:
        return redirect(bindings.start(request.session, back))
    except BadInput as exc:
        return _error(request, exc.reason, exc.status)


@login_required
@require_GET
def wechat_bound(request: HttpRequest) -> HttpResponse:
    """WeChat's redirect back with ``code`` and ``state``: the openid is saved (encrypted)."""
    try:
        bindings.finish(
            request.user, request.session, request.GET.get("code", ""), request.GET.get("state", "")
        )
    except BadInput as exc:
        return _error(request, exc.reason, exc.status)
    return redirect("xueshi_notify:preferences")


@login_required
@require_POST
def wechat_unbind(request: HttpRequest) -> HttpResponse:
    """The learner unbinds WeChat: the openid is deleted and no WeChat message goes to them."""
    bindings.unbind(request.user)
    return redirect("xueshi_notify:preferences")
