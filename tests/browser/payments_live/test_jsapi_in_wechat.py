"""Inside WeChat (its in-app browser's user agent), a learner buys the paid demo course with JSAPI:
the official account's silent OAuth (the sandbox plays it) gives the openid, the order page opens
WeChat Pay's sheet by itself through ``WeixinJSBridge`` with the signed prepay parameters (a
stand-in bridge records the call, as WeChat's would show the sheet), the payer confirms in the
sandbox, and the order page turns into 已支付，已选课 by itself."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in
from tests.browser.payments_live.test_buy_online import PAID, paying_site  # noqa: F401  (fixture)
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.50"
)
#: WeChat's bridge as a page sees it: ``invoke`` records what the order page asked for.
BRIDGE = """
window.WeixinJSBridge = {
  invoke: function (name, params, callback) {
    window.__wxInvoked = (window.__wxInvoked || []).concat([{name: name, params: params}]);
  }
};
"""


def test_jsapi_inside_wechat_gets_the_openid_opens_the_sheet_and_turns_paid(
    paying_site: Any,  # noqa: F811
    wechat_server: Any,
    browser: Any,
) -> None:
    base = paying_site.url
    context = browser.new_context(
        user_agent=WECHAT_UA,
        viewport={"width": 375, "height": 740},
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN"},
    )
    context.add_init_script(BRIDGE)
    page = sign_in(context, base, "wangwu")
    page.goto(f"{base}/xueshi/payments/checkout/{PAID_DEMO_COURSE_KEY}/")
    page.check("#channel-wechat")
    page.click("#pay-button")  # → the sandbox's OAuth (snsapi_base) → back with a code → JSAPI
    page.wait_for_selector("#pay-jsapi")
    assert page.url.startswith(f"{base}/xueshi/payments/orders/")
    page.wait_for_function("(window.__wxInvoked || []).length >= 1")  # opened by itself (order.js)
    call = page.evaluate("window.__wxInvoked[0]")
    assert call["name"] == "getBrandWCPayRequest"
    params = call["params"]
    assert params["package"].startswith("prepay_id=") and params["signType"] == "RSA" and params["paySign"]
    page.click("#jsapi-pay")  # the button asks the bridge again
    assert page.evaluate("window.__wxInvoked.length") == 2

    sheet = context.new_page()  # WeChat Pay's sheet, as the sandbox shows it for the prepay id
    sheet.goto(wechat_server.payer_url(params["package"].removeprefix("prepay_id=")))
    sheet.click("#confirm-pay")
    sheet.wait_for_selector("#pay-result[data-status='SUCCESS']")
    page.wait_for_function(PAID, timeout=20000)  # no reload by the test
    context.close()
