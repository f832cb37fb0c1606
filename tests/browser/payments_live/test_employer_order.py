"""An employer's purchaser uploads a 20-learner workbook for the paid demo course, pays the one order
with WeChat Pay (the QR's payer page in the sandbox), and all twenty learners are enrolled once."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.models import Group, User
from openpyxl import Workbook

from sandbox.lms.models import Enrollment
from tests.browser.conftest import sign_in
from tests.browser.payments_live.test_buy_online import PAID
from xueshi_core import roles
from xueshi_core.models import AccountScope
from xueshi_identity.importing import COLUMNS
from xueshi_identity.testing import make_resident_id
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

EMPLOYER = "福州市第一医院"


def twenty_learners() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([h for _k, h in COLUMNS])
    for n in range(20):
        values = {
            "username": f"yiyuan{n:02d}",
            "email": f"yiyuan{n:02d}@example.invalid",
            "password": "",
            "real_name": "医院职工" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "一二"[n // 10],
            "id_type": "居民身份证",
            "id_number": make_resident_id("350102", "19880606", 700 + n),
            "phone": f"1390001{n:04d}",
            "province_code": "350000",
            "city_code": "350100",
            "county_code": "350102",
            "employer": EMPLOYER,
            "category": "会计人员",
        }
        sheet.append([values[key] for key, _header in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_twenty_learner_workbook_becomes_one_paid_order_and_twenty_enrolments(
    demo_live_server: Any,
    settings: Any,
    wechat_server: Any,
    alipay_server: Any,
    alipay_keys: Any,
    browser: Any,
) -> None:
    from tests.component.payments_live.conftest import pay_through_sandboxes

    pay_through_sandboxes(settings, demo_live_server.url, wechat_server, alipay_server, alipay_keys)
    buyer = User.objects.create_user("hr_yiyuan", "hr@example.invalid", "xueshi-demo-2026")
    buyer.groups.add(Group.objects.get_or_create(name=roles.EMPLOYER_PURCHASER)[0])
    AccountScope.objects.create(user=buyer, employers=EMPLOYER)

    base = demo_live_server.url
    context = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
    page = sign_in(context, base, "hr_yiyuan")
    page.click("#menu-employer-orders")
    page.click(f"tr[data-course-key='{PAID_DEMO_COURSE_KEY}'] a")
    page.set_input_files(
        "#workbook",
        {"name": "职工名单.xlsx", "mimeType": "application/octet-stream", "buffer": twenty_learners()},
    )
    page.check("#channel-wechat")
    page.click("#employer-submit")
    page.wait_for_selector("#employer-summary[data-accepted='20'][data-refused='0']")
    assert page.inner_text("#employer-amount") == "¥600.00"
    page.click("#employer-pay")
    page.wait_for_selector("#pay-qr svg")
    code_url = page.get_attribute("#pay-qr", "data-pay-url")

    phone = context.new_page()  # the purchaser's phone scans the code
    phone.goto(wechat_server.payer_url(code_url))
    assert phone.inner_text("#amount") == "¥600.00"
    phone.click("#confirm-pay")
    phone.wait_for_selector("#pay-result[data-status='SUCCESS']")
    page.wait_for_function(PAID, timeout=20000)  # the order page turns by itself
    context.close()

    enrolled = Enrollment.objects.filter(
        course__course_key=PAID_DEMO_COURSE_KEY, is_active=True, user__username__startswith="yiyuan"
    )
    assert enrolled.count() == 20 and len(set(enrolled.values_list("user_id", flat=True))) == 20
    assert not Enrollment.objects.filter(user=buyer).exists()
