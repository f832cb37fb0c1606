"""Read PDFs back the way a person and a phone would: poppler's text and raster, zbar's QR reader.

The tools come from Debian (poppler-utils, zbar-tools; scripts/ensure-system-deps.sh installs
them). A missing tool fails the test with its package name rather than skipping it.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from PIL import Image

from xueshi_certificates.pdf import CertificateDocument

PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install {PACKAGES[name]} (scripts/ensure-system-deps.sh)"
    return path


def pdf_text(pdf: bytes, tmp: Path) -> str:
    """The text of every page, pages separated by form feeds (as pdftotext writes them)."""
    source = tmp / "doc.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(source), "-"], capture_output=True, check=True
    ).stdout.decode()


def pdf_info(pdf: bytes, tmp: Path) -> dict[str, str]:
    """pdfinfo's fields (Pages, CreationDate, Page size, ...)."""
    source = tmp / "info.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([_tool("pdfinfo"), str(source)], capture_output=True, check=True).stdout.decode()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def qr_codes(pdf: bytes, tmp: Path, dpi: int = 150) -> list[str]:
    """What a QR reader finds on the first page rendered at ``dpi`` (a printed page scanned)."""
    source = tmp / "scan.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(source), str(tmp / "page")],
        check=True,
    )
    (image,) = tmp.glob("page*.png")
    result = subprocess.run(
        [_tool("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
    )
    return result.stdout.decode().split()


def page_image(pdf: bytes, where: Path, dpi: int = 100) -> Image.Image:
    """The first page rasterised by poppler at ``dpi``, in grey levels (as a printer would see it)."""
    where.mkdir(parents=True, exist_ok=True)
    source = where / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(dpi), "-gray", "-singlefile", "-png", str(source), str(where / "page")],
        check=True,
    )
    with Image.open(where / "page.png") as image:
        return image.convert("L")


def make_doc(courses: int = 6, **changes: object) -> CertificateDocument:
    """A realistic yearly certificate; ``changes`` replace fields."""
    values: dict[str, object] = {
        "serial": "ZJ330100-2026-000123-7",
        "title": "2026年度专业技术人员继续教育学时证明",
        "holder_name": "张晓梅",
        "holder_id_masked": "330106********1234",
        "body": "依据《专业技术人员继续教育规定》（人力资源社会保障部令第25号），张晓梅同志于2026年度参加"
        "继续教育学习，经审核，累计取得继续教育学时92.5学时，特此证明。",
        "period_label": "2026年1月1日至2026年12月31日",
        "unit_label": "学时",
        "total": Decimal("92.50"),
        "by_category": [("公需科目", Decimal("30")), ("专业科目", Decimal("62.5"))],
        "courses": [
            (f"安全生产法律法规与典型事故案例分析（第{i}讲）", Decimal("1.5")) for i in range(1, courses + 1)
        ],
        "issuer_name": "浙江学时继续教育学院",
        "issued_on": date(2027, 1, 5),
        "verify_url": "https://xueshi.example.cn/verify/ZJ330100-2026-000123-7?c=K7P2QX",
        "check_code": "K7P2QX",
    }
    values.update(changes)
    return CertificateDocument(**values)  # type: ignore[arg-type]
