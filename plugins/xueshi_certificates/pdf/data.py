"""Plain data the PDF renderer prints: no models, no querysets (OEP-49 ``data.py``).

``CertificateDocument`` is built by the certificates app from its model row; ``HoursListing`` by
the learning archive from an hour account. Both are frozen so a batch can hand them between
threads or processes without copies going stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate; built by "certificates" from its model row."""

    serial: str
    title: str  # e.g. "2026年度专业技术人员继续教育学时证明"
    holder_name: str
    holder_id_masked: str  # masked ID number (core masking), never the full number
    body: str  # the sentence citing the rule
    period_label: str
    unit_label: str  # 学时 / 学分 / 课时
    total: Decimal
    by_category: list[tuple[str, Decimal]]  # [("公需科目", 30), ("专业科目", 62)]
    courses: list[tuple[str, Decimal]]  # course title, hours (may be empty)
    issuer_name: str
    issued_on: date
    verify_url: str  # what the QR code carries (URL only)
    check_code: str  # short code printed beside the QR


#: Labels an operator may reword (a bureau's own template says 证书编号 or 编号, 单位 or 发证机构).
#: The fixed wording of a Chinese certificate (扫码查验真伪, 等 N 门课程) stays in the templates.
DEFAULT_LABELS: Mapping[str, str] = {
    "serial": "证书编号",
    "holder_name": "姓名",
    "holder_id": "身份证号",
    "period": "学习周期",
    "category": "科目类别",
    "hours": "学时数",
    "total": "合计",
    "courses": "所学课程",
    "issuer": "发证单位",
    "issued_on": "发证日期",
    "check_code": "查验码",
}


@dataclass(frozen=True)
class CertificateTemplate:
    """The operator's choices: HTML template name, logo and seal images (paths), colours, labels.

    ``directory`` is searched before the built-in templates, so an operator overrides
    ``certificate.html`` (or adds a new name) by dropping a file there; ``stylesheet`` is applied
    after the built-in CSS. ``logo`` and ``seal`` are SVG, PNG or JPEG files; ``None`` uses the
    drawings shipped here. Images and stylesheets are read only from these paths and the
    template directories: a template cannot make the renderer fetch anything over the network.
    """

    html: str = "certificate.html"
    directory: Path | None = None
    stylesheet: Path | None = None
    logo: Path | None = None
    seal: Path | None = None
    primary_color: str = "#9b1c1c"
    text_color: str = "#1f1f1f"
    labels: tuple[tuple[str, str], ...] = ()
    max_courses: int = 24  # beyond this the list ends with "等 N 门课程"
    stamping: bool = True  # False: every certificate laid out by WeasyPrint in full (ADR 0360)

    def label(self, name: str) -> str:
        """The operator's wording for ``name``, else the default one."""
        return dict(self.labels).get(name, DEFAULT_LABELS.get(name, name))

    def all_labels(self) -> dict[str, str]:
        """Every label, defaults overlaid with the operator's."""
        return {**DEFAULT_LABELS, **dict(self.labels)}


@dataclass(frozen=True)
class HoursRow:
    """One line of the hours list: an ``xueshi_hours.api.HourLine`` as printed."""

    day: date | None
    title: str  # course or item name
    source: str  # "video" | "course_completion" | "practice" | "exam" | "external" (or already a label)
    category: str  # "public" | "professional" | "" (or already a label)
    hours: Decimal  # units that count (0 when refused)
    reason: str  # "counted", "daily_cap", ... (or already a sentence)


@dataclass(frozen=True)
class HoursListing:
    """The printable list of all hours (学时明细) of one learner and period."""

    learner_name: str
    holder_id_masked: str
    period_label: str
    unit_label: str
    rows: tuple[HoursRow, ...]
    title: str = "继续教育学时明细"
    issuer_name: str = ""
    generated_on: date | None = None  # printed and used as the PDF's date (reproducible output)
    rule_title: str = ""
    totals: tuple[tuple[str, Decimal], ...] = field(default=())  # e.g. (("公需科目", 30), ("合计", 92))
