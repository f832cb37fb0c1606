"""Reading Alipay bills: GBK zips with comment lines; a file whose counts disagree is refused whole."""

import io
import zipfile
from datetime import date

import pytest

from sandbox.alipay import bills
from xueshi_payments.channels.alipay_bill import BillError, parse_bill_zip
from xueshi_payments.channels.alipay_client import fen, yuan

pytestmark = [pytest.mark.unit]
DAY = date(2026, 12, 3)
LINES = [
    bills.row(
        "2026120322001400001",
        "XS1",
        "交易",
        "公需课",
        "2026-12-03 09:00:00",
        "2026-12-03 09:01:00",
        "12.34",
        "12.34",
    ),
    bills.row(
        "2026120322001400002",
        "XS2",
        "交易",
        "专业课",
        "2026-12-03 10:00:00",
        "2026-12-03 10:00:30",
        "50.00",
        "50.00",
    ),
    bills.row(
        "2026120322001400002",
        "XS2",
        "退款",
        "专业课",
        "2026-12-03 10:00:00",
        "2026-12-03 15:00:00",
        "50.00",
        "-10.00",
        "RF1",
    ),
]


def _rewrite(data: bytes, change) -> bytes:
    """The same zip with the detail file's text passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            text = source.read(member).decode("gbk")
            target.writestr(member.filename, (change(text) if "业务明细查询" in text else text).encode("gbk"))
    return out.getvalue()


def test_lines_are_read_by_header_with_refunds_positive_and_their_request_numbers():
    lines = parse_bill_zip(bills.bill_zip("2088000000000001", DAY, LINES))
    assert [(b.order_no, b.kind, b.amount_fen, b.refund_no) for b in lines] == [
        ("XS1", "payment", 1234, ""),
        ("XS2", "payment", 5000, ""),
        ("XS2", "refund", 1000, "RF1"),
    ]
    assert lines[2].occurred_at.isoformat() == "2026-12-03T15:00:00+08:00"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("XS2", "XS9", 1).replace(
                ",".join(v + "\t" for v in LINES[0]) + "\r\n", ""
            ),
            "totals",
        ),
        (lambda text: text.replace("#交易合计", "#合计"), "no totals"),
        (lambda text: text.replace("12.34", "12.3x"), "row 2"),
        (lambda text: text.replace("#支付宝业务明细查询", "#something else"), "no detail file"),
    ],
)
def test_a_truncated_or_altered_bill_is_refused(change, message):
    with pytest.raises(BillError, match=message):
        parse_bill_zip(_rewrite(bills.bill_zip("2088000000000001", DAY, LINES), change))


def test_not_a_zip_is_refused():
    with pytest.raises(BillError):
        parse_bill_zip(b"<html>expired</html>")


@pytest.mark.parametrize("text", ["", "1.234", "-1.00", "1,00", "１.00", "1e3", " 1.00"])
def test_amounts_are_exact_yuan_strings(text):
    with pytest.raises(ValueError):
        fen(text)
    assert fen(yuan(100_000_000_00)) == 100_000_000_00 and fen("0.1") == 10
