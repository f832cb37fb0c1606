"""Issue 19, end to end in Chromium: a learner studies the demo course, sees 我的学时 grow to the
year's requirement, claims and downloads the PDF certificate (read back as text and as a scanned
QR code), and anyone opening the QR's URL without signing in sees the certificate verified.

To keep it short the learner arrives 0.01 学时 short of the national 专技 rule (90, 专业 ≥ 60):
approved external hours, as an operator would have approved them. The last 0.01 (27 credited
seconds at 45 minutes a 学时) is studied in the browser, in lesson 4 at 1.5×, the rate its author
allows; the ledger's flusher commits it as the Celery beat would.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.browser.video.conftest import PLAYER, play, wait_until
from tests.unit.certificates_pdf.pdftools import pdf_text, qr_codes
from xueshi_hours import accounts
from xueshi_hours.demo import DEMO_PROOF
from xueshi_hours.models import ExternalHours
from xueshi_identity import api as identity

LESSON4 = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_rates"
SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "hours"  # git-ignored
PHONE = {"viewport": {"width": 375, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}


def _approved(user: Any, title: str, hours: str, category: str) -> None:
    row = ExternalHours(user=user, title=title, kind="training", category=category, hours=Decimal(hours))
    row.activity_day = row.decided_day = accounts.today()
    row.status, row.decided_at, row.reason = ExternalHours.APPROVED, timezone.now(), "测试"
    row.attachment.save("proof.pdf", ContentFile(DEMO_PROOF), save=False)
    row.save()


def _credited_seconds(username: str) -> int:
    from xueshi_studytime import api as ledger

    user = get_user_model().objects.get(username=username)
    return ledger.credited_seconds_on(user.id, "course-v1:XueshiDemo+AQ101+2026")


def _flush() -> None:
    from xueshi_studytime.flusher import flush

    flush(claim_idle_ms=0)


def _earned(page: Any, base: str) -> Decimal:
    page.goto(f"{base}/xueshi/hours/")
    return Decimal(page.inner_text("#xh-total strong"))


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_study_hours_certificate_and_verification(
    browser: Any, video_site: Any, settings: Any, tmp_path: Path
) -> None:
    base = video_site.url
    settings.XUESHI_CERTIFICATES_BASE_URL = base  # the QR carries this site's public address
    zhangsan = get_user_model().objects.get(username="zhangsan")  # 福建 专技: rule cn-zj-2015
    _approved(zhangsan, "公需科目网络培训", "18", "public")  # with the demo's 12: 公需 30
    _approved(zhangsan, "专业科目面授培训", "59.99", "professional")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = sign_in(context, base, "zhangsan")
    assert _earned(page, base) == Decimal("89.99")
    assert page.locator("#xh-status .ok").count() == 0 and page.locator("#xh-status .bad").count() == 1

    page.goto(f"{base}/xblock/{LESSON4}")
    page.wait_for_selector(f"{PLAYER}[data-state=ready]", state="attached", timeout=15000)
    page.select_option(f"{PLAYER} .xv-rate", "1.5")
    play(page)
    assert wait_until(lambda: _credited_seconds("zhangsan") >= 30, timeout=60)
    page.evaluate("() => document.querySelector('.xv-video').pause()")
    page.wait_for_timeout(2500)  # the pause heartbeat
    _flush()
    assert _earned(page, base) >= Decimal("90.00")
    assert page.locator("#xh-status .ok").count() == 1  # 已达标

    # 我的证书: claim the year's certificate and download its PDF.
    page.goto(f"{base}/xueshi/certificates/")
    page.click("#claim")
    page.wait_for_selector(".my-certificate")
    serial = page.inner_text(".my-certificate .serial").strip()
    with page.expect_download() as download:
        page.click(".my-certificate a.download")
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf, tmp_path)
    holder = identity.get_profile(zhangsan.pk)
    assert serial in text and "90" in text and holder.real_name in "".join(text.split())
    (url,) = qr_codes(pdf, tmp_path, dpi=200)
    assert url.startswith(base) and serial in url

    # 学习档案 on a phone: the certificate is listed with its links, the minutes studied today too.
    phone = browser.new_context(**PHONE)
    mobile = sign_in(phone, base, "zhangsan")
    mobile.goto(f"{base}/xueshi/hours/archive/")
    assert fits_the_phone(mobile)
    SHOTS.mkdir(parents=True, exist_ok=True)
    mobile.screenshot(path=str(SHOTS / "archive-phone.png"), full_page=True)  # for a person to look at
    assert (
        mobile.locator(f"#xa-entries li[data-ref='{serial}'] a.xa-entry-verify").get_attribute("href") == url
    )
    assert Decimal(mobile.inner_text("#xa-minutes strong")) >= Decimal("0.5")
    with mobile.expect_download() as listing:
        mobile.click("#xa-pdf")
    (tmp_path / "list").mkdir()
    listing_text = "".join(pdf_text(Path(listing.value.path()).read_bytes(), tmp_path / "list").split())
    assert "继续教育学时明细" in listing_text and "专业科目面授培训" in listing_text
    phone.close()

    # Anyone with the paper: the QR's URL, no sign-in, says the certificate is valid.
    stranger = browser.new_context(locale="zh-CN")
    check = stranger.new_page()
    check.goto(url)
    assert check.locator("#status-valid").count() == 1
    assert check.inner_text(".certificate-facts .serial").strip() == serial
    stranger.close()
    context.close()
