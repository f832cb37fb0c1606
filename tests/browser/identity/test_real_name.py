"""In Chromium: sign up, be sent to the profile page, complete it (web and phone), study; staff views."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from xueshi_core.models import PersonalDataView
from xueshi_identity.demo import DEMO_PROFILES
from xueshi_identity.models import IdentityProfile
from xueshi_identity.testing import make_resident_id, with_wrong_check_digit

from ..conftest import sign_in

COURSE = "/courses/course-v1:XueshiDemo+AQ101+2026/"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


def _sign_up(page: Any, base: str, username: str, number: str) -> None:
    page.goto(f"{base}/login/")
    page.click("#register-link")
    page.fill("input[name=email]", f"{username}@example.invalid")
    page.fill("input[name=name]", "周学员")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-long-browser-password-7")
    assert page.locator("input[name=real_name]").count() == 0  # the name is asked once
    page.select_option("select[name=id_type]", "resident_id")
    page.fill("input[name=id_number]", number)
    page.fill("input[name=phone]", "139 1234 0000")
    assert "敏感个人信息处理告知" in page.locator("#consent-notice").inner_text()
    page.check("input[name=consent_id_number]")  # the separate PIPL consent
    page.click("#register-submit")
    # Signed up, the learner lands on the profile page: the home page is gated until it is complete.
    page.wait_for_url(f"{base}/xueshi/identity/profile/?next=%2F")


def _complete_profile(page: Any) -> None:
    page.select_option("#id_province_code", "350000")
    page.wait_for_selector("#id_city_code option[value='350100']", state="attached")
    page.select_option("#id_city_code", "350100")
    page.wait_for_selector("#id_county_code option[value='350102']", state="attached")
    page.select_option("#id_county_code", "350102")
    page.fill("#id_employer", "福州测试公司")
    page.select_option("#id_category", "professional_technical")
    page.click("#identity-save")


def test_new_learner_signs_up_is_sent_to_the_profile_page_completes_it_and_studies(
    browser, seeded_live_server
):
    base = seeded_live_server.url
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_up(page, base, "zhouxue", make_resident_id("350102", "19930615", 995))
    assert "3501**********" in page.locator("#identity-locked").inner_text()  # saved at sign-up, masked
    page.goto(base + COURSE)
    page.wait_for_url("**/xueshi/identity/profile/?next=%2Fcourses%2F**")
    _complete_profile(page)
    page.wait_for_url(base + COURSE)
    page.click("#enrol-button")  # a new account is not enrolled: it enrols, as in the LMS (ADR 0094)
    page.wait_for_selector("#unenrol-button")
    page.click("#units li a >> nth=0")
    page.wait_for_selector("video")
    profile = IdentityProfile.objects.get(user__username="zhouxue")
    assert profile.completed_at is not None and profile.county_code == "350102"
    context.close()


def test_profile_page_works_on_a_phone_and_shows_reasons_for_bad_numbers(browser, seeded_live_server):
    base = seeded_live_server.url
    from django.contrib.auth.models import User

    User.objects.create_user("shouji", "shouji@example.invalid", "a-long-browser-password-7")
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(f"{base}/login/?next={quote(COURSE)}")
    page.fill("input[name=username]", "shouji")
    page.fill("input[name=password]", "a-long-browser-password-7")
    page.click("button[type=submit]")
    page.wait_for_url("**/xueshi/identity/profile/?next=%2Fcourses%2F**")  # the sign-in flow shows it
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    boxes = [page.locator(f"#field-{name}").bounding_box() for name in ("province_code", "city_code")]
    assert boxes[1]["y"] > boxes[0]["y"]  # region selects stack on a narrow screen
    page.fill("#id_real_name", "钱手机")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", with_wrong_check_digit(make_resident_id("350102", "19930615", 997)))
    page.fill("#id_phone", "13912340001")
    page.check("#id_consent_id_number")
    _complete_profile(page)
    error = page.locator("#field-id_number .errorlist").inner_text()
    assert "校验" in error or "check" in error.lower() or "不符" in error
    page.fill("#id_id_number", make_resident_id("350102", "19930615", 997))
    page.fill("#id_phone", "13912340001")
    page.click("#identity-save")
    page.wait_for_url(base + COURSE)
    context.close()


def test_supervisor_sees_masks_auditor_reveals_with_a_reason_and_the_trail_shows_it(
    browser, seeded_live_server
):
    base = seeded_live_server.url
    zhangsan = IdentityProfile.objects.get(user__username="zhangsan")
    full = zhangsan.id_number.reveal()
    detail = f"{base}/xueshi/identity/staff/{zhangsan.user_id}/"

    supervisor = browser.new_context(locale="zh-CN")
    page = sign_in(supervisor, base, "jianguan")
    page.goto(f"{base}/xueshi/identity/staff/")
    listing = page.locator("#profiles").inner_text()
    assert zhangsan.id_number_masked in listing  # 福州市, the demo supervisor's region
    assert "lisi" not in listing and "wangwu" not in listing  # Beijing and Hubei are not
    assert page.locator("#staff-import").count() == 0  # no bulk import for supervisors
    page.goto(detail)
    assert page.locator("#masked-only").is_visible() and page.locator("#reveal-form").count() == 0
    assert full not in page.content()
    supervisor.close()
    # Views by people only: the demo's provincial destination discloses ID numbers it reports
    # (actor: the system, xueshi_reporting ADR 0200), which the trail records too.
    people = PersonalDataView.objects.filter(actor_id__isnull=False)
    assert people.count() == 0

    auditor = browser.new_context(locale="zh-CN")
    page = sign_in(auditor, base, "auditor")
    page.goto(detail)
    assert full not in page.content()
    page.select_option("#reveal-field", "id_number")
    page.fill("#reveal-purpose", "核查学时异常")
    page.click("#reveal-submit")
    assert page.locator("#id-number-full").inner_text() == full
    page.goto(detail)
    trail = page.locator("#audit-trail").inner_text()
    assert "auditor" in trail and "核查学时异常" in trail
    assert full not in page.content()  # shown once, not kept on the page
    auditor.close()
    row = people.get()
    assert (row.actor_username, row.subject_user_id, row.field) == ("auditor", zhangsan.user_id, "id_number")
    assert DEMO_PROFILES["zhangsan"][0] == zhangsan.real_name
