"""Starting a payment with a channel, WeChat's openid dance for JSAPI, and the payer's return.

- ``start``: a frozen order becomes the channel's pay action (a QR on the order page, a redirect
  to the provider, or WeChat's pay sheet). Notices go to ``notify_base_url`` (the sandbox's
  loopback address, an ICP-filed HTTPS domain in production); the browser comes back to the order
  page on the host it is using.
- JSAPI needs the payer's openid: without one in the session, the browser is sent through the
  official account's silent ``snsapi_base`` authorisation (``channels.wechat_oauth``) and comes
  back to ``wechat_openid`` with a code, checked against a one-time state kept in the session.
- ``follow_return``: the order page, when the payer comes back, verifies what the provider signed
  (Alipay's return via ``verified_form``) and asks the provider at once (``tasks.query_order`` →
  ``process_event``), so "paid, enrolled" shows before the notice arrives. ADR 0136.
- ``front_return``: UnionPay brings the payer back with a signed form POST (``frontUrl``); it is
  verified, answered by an active query, and the browser goes on to the order page. ADR 0164.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from xueshi_core import clientip

from . import conf, states, tasks
from .channels import base, registry, wechat_oauth
from .models import Order

log = logging.getLogger(__name__)
OPENIDS = "xueshi_payments_openids"  # session: {appid: openid}
OAUTH_STATE = "xueshi_payments_oauth_state"  # session: "order_no:random"
#: While an online order is unpaid, the provider is asked at most this often per order.
QUERY_SECONDS = 5


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "xueshi_payments/error.html", {"message": message}, status=status)


def site_origin(request: HttpRequest) -> str:
    """The origin the payer's browser uses (or the configured public one)."""
    return conf.public_base_url() or f"{request.scheme}://{request.get_host()}"


def _wechat_values() -> dict[str, str]:
    return dict(getattr(settings, "XUESHI_WECHATPAY", None) or {})


def start(request: HttpRequest, order: Order) -> HttpResponse:
    """Ask the channel how to pay; remember the answer on the order; send the browser on."""
    openid = ""
    if order.scene == base.JSAPI:
        appid = str(_wechat_values().get("APPID") or "")
        openid = str((request.session.get(OPENIDS) or {}).get(appid) or "")
        if not openid:
            return _ask_openid(request, order)
    notify_origin = conf.notify_base_url() or site_origin(request)
    try:
        posts_back = bool(getattr(registry.get(order.channel), "returns_by_post", False))
    except registry.UnknownChannel:
        posts_back = False
    back = "xueshi_payments:front-return" if posts_back else "xueshi_payments:order"
    pay_request = base.PaymentRequest(
        order_no=order.order_no,
        amount_fen=order.amount_fen,
        description=order.title,
        expires_at=order.expires_at,
        notify_url=notify_origin + reverse("xueshi_payments:notify", kwargs={"channel": order.channel}),
        return_url=site_origin(request) + reverse(back, kwargs={"order_no": order.order_no}),
        client_ip=clientip.request_ip(request) or "127.0.0.1",
        scene=order.scene or base.NATIVE,
        openid=openid,
        sent_at=order.provider_sent_at,
    )
    try:
        action = registry.get(order.channel).start(pay_request)
    except base.ChannelError as exc:
        log.warning("payments: %s could not start %s: %s", order.channel, order.order_no, exc)
        return _error(
            request, _("The payment service did not answer (%(code)s). Try again.") % {"code": exc.code}, 502
        )
    order.pay_action = {"kind": action.kind, "url": action.url, "params": dict(action.params)}
    if action.sent_at and not order.provider_sent_at:  # set once: later starts reuse it
        order.provider_sent_at = action.sent_at[:32]
    order.save(update_fields=["pay_action", "provider_sent_at"])
    if action.kind == "redirect" and action.url:
        return redirect(action.url)
    if action.kind == "form":  # the order page posts the signed form to the bank by itself, once
        page = reverse("xueshi_payments:order", kwargs={"order_no": order.order_no})
        return redirect(f"{page}?pay=1")
    return redirect("xueshi_payments:order", order_no=order.order_no)


def _ask_openid(request: HttpRequest, order: Order) -> HttpResponse:
    """Send the browser through WeChat's silent authorisation; it returns to ``wechat_openid``."""
    try:
        config = wechat_oauth.OAuthConfig.from_values(_wechat_values())
    except base.ChannelError as exc:
        log.error("payments: JSAPI without web authorisation: %s", exc)
        return _error(request, _("Paying inside WeChat is not set up here. Open the page in a browser."), 503)
    state = secrets.token_urlsafe(16)
    request.session[OAUTH_STATE] = f"{order.order_no}:{state}"
    back = site_origin(request) + reverse(
        "xueshi_payments:wechat-openid", kwargs={"order_no": order.order_no}
    )
    return redirect(wechat_oauth.authorize_url(config, back, state))


@login_required
@require_GET
def wechat_openid(request: HttpRequest, order_no: str) -> HttpResponse:
    """WeChat's redirect back with ``code`` and ``state``: learn the openid, then start JSAPI."""
    expected = str(request.session.pop(OAUTH_STATE, "") or "")
    given = f"{order_no}:{request.GET.get('state', '')}"
    if not expected or not hmac.compare_digest(expected.encode(), given[:200].encode()):
        return _error(
            request, _("This authorisation link is not for this page. Start the payment again."), 400
        )
    order = Order.objects.filter(order_no=order_no[:32], payer=request.user).first()
    if order is None or order.state not in states.PAYABLE or order.scene != base.JSAPI:
        return _error(request, _("This order cannot be paid any more."), 409)
    try:
        config = wechat_oauth.OAuthConfig.from_values(_wechat_values())
        openid = wechat_oauth.openid_for_code(config, request.GET.get("code", ""))
    except base.ChannelError as exc:
        status = 502 if exc.retryable else 400
        return _error(
            request,
            _("WeChat did not confirm who you are (%(code)s). Try again.") % {"code": exc.code},
            status,
        )
    request.session[OPENIDS] = {**(request.session.get(OPENIDS) or {}), config.appid: openid}
    return start(request, order)


def query_if_due(order: Order, *, now_please: bool = False) -> None:
    """Ask the provider about an unpaid online order (rate-limited unless ``now_please``).

    On failure nothing changes: the notice or the beat task will tell.
    """
    if order.state != states.PENDING or order.channel == "transfer":
        return
    recent = timezone.now() - timedelta(seconds=QUERY_SECONDS)
    if not now_please and order.last_queried_at is not None and order.last_queried_at >= recent:
        return
    with contextlib.suppress(base.ChannelError, registry.UnknownChannel):
        tasks.query_order(order)
    order.refresh_from_db()


def follow_return(request: HttpRequest, order: Order) -> None:
    """The payer is back from the provider: verify its signed return (if any), then ask it now."""
    if order.state != states.PENDING or "sign" not in request.GET:
        query_if_due(order)
        return
    try:
        verify = getattr(registry.get(order.channel), "verified_form", None)
    except (registry.UnknownChannel, base.ChannelError):
        return
    if verify is None:
        query_if_due(order)
        return
    try:
        data = verify(request.GET.dict())
    except base.NoticeRejected as exc:
        log.warning("payments: a return for %s was refused: %s", order.order_no, exc)
        return
    if data.get("out_trade_no") == order.order_no:
        query_if_due(order, now_please=True)


#: The largest front return read (UnionPay's fields plus its certificate are a few KB).
MAX_RETURN_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def front_return(request: HttpRequest, order_no: str) -> HttpResponse:
    """The bank's page posts the payer back here; verify it, ask the provider now, show the order.

    CSRF-exempt and without login: the POST comes from the bank's site, so the browser sends no
    ``SameSite=Lax`` session cookie with it. Nothing here is believed: only a return the channel
    verifies (for this order) triggers an immediate query, and only the query (or the notice)
    pays. The 303 then opens the order page with a GET, where the payer's session is back.
    """
    order = Order.objects.filter(order_no=order_no[:32]).first()
    if order is None:
        return _error(request, _("There is no such order."), 404)
    page = reverse("xueshi_payments:order", kwargs={"order_no": order.order_no})
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_RETURN_BYTES:
        return _error(request, _("This return from the bank is not valid."), 400)
    try:
        verify = getattr(registry.get(order.channel), "verified_return", None)
        returned = verify(request.body) if verify is not None else ""
    except (registry.UnknownChannel, base.ChannelError, base.NoticeRejected) as exc:
        log.warning("payments: a front return for %s was refused: %s", order.order_no, exc)
        returned = ""
    if returned == order.order_no:
        query_if_due(order, now_please=True)
    response = redirect(page)
    response.status_code = 303  # the POST becomes a GET of the order page
    return response
