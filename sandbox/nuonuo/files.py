"""The files the sandbox "bureau" produces for an invoice: PDF (WeasyPrint), XML, and an OFD placeholder.

The OFD is a zip with an ``OFD.xml`` entry point and a note saying it is a sandbox placeholder
(ADR 0173): a real OFD (GB/T 33190) carries the bureau's signature, which no sandbox can make.
"""

from __future__ import annotations

import html
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def render_pdf(inv: dict[str, Any]) -> bytes:
    """A printable invoice page: title, number, buyer, seller, lines, totals, drawer."""
    from weasyprint import HTML

    rows = "".join(
        f"<tr><td>{html.escape(d['goodsName'])}</td><td>{d['num']}</td><td>{_yuan(d['net_fen'])}</td>"
        f"<td>{d['taxRate']}</td><td>{_yuan(d['tax_fen'])}</td></tr>"
        for d in inv["details"]
    )
    red = "（红字）" if inv["red"] else ""
    page = f"""<html><head><meta charset="utf-8"><style>
      body {{ font-family: 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; font-size: 11pt; }}
      h1 {{ text-align: center; color: #a00; font-size: 18pt; }}
      table {{ width: 100%; border-collapse: collapse; }}
      td, th {{ border: 1px solid #a00; padding: 4px; }}
    </style></head><body>
      <h1>电子发票（普通发票）{red}</h1>
      <p>发票号码：{inv["number"]}　开票日期：{html.escape(inv["date"])}　（沙箱样张，非真实发票）</p>
      <p>购买方：{html.escape(inv["buyerName"])}　{html.escape(inv.get("buyerTaxNum", ""))}</p>
      <p>销售方：{html.escape(inv["salerName"])}　{html.escape(inv["salerTaxNum"])}</p>
      <table><tr><th>项目名称</th><th>数量</th><th>金额</th><th>税率</th><th>税额</th></tr>{rows}</table>
      <p>价税合计：¥{_yuan(inv["gross_fen"])}　开票人：{html.escape(inv["clerk"])}</p>
    </body></html>"""
    return bytes(HTML(string=page).write_pdf())


def render_xml(inv: dict[str, Any]) -> bytes:
    """A compact XML of the invoice's data (the bureau's XML has the same facts in its own schema)."""
    lines = "".join(
        f"<Item><Name>{escape(d['goodsName'])}</Name><Quantity>{d['num']}</Quantity>"
        f"<Amount>{_yuan(d['net_fen'])}</Amount><TaxRate>{d['taxRate']}</TaxRate>"
        f"<Tax>{_yuan(d['tax_fen'])}</Tax></Item>"
        for d in inv["details"]
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><EInvoice><Header>'
        f"<InvoiceNumber>{inv['number']}</InvoiceNumber><IssueDate>{escape(inv['date'])}</IssueDate>"
        f"<Red>{int(inv['red'])}</Red></Header>"
        f"<Buyer><Name>{escape(inv['buyerName'])}</Name>"
        f"<TaxID>{escape(inv.get('buyerTaxNum', ''))}</TaxID></Buyer>"
        f"<Seller><Name>{escape(inv['salerName'])}</Name><TaxID>{escape(inv['salerTaxNum'])}</TaxID></Seller>"
        f"<Items>{lines}</Items><TotalTaxIncluded>{_yuan(inv['gross_fen'])}</TotalTaxIncluded></EInvoice>"
    )
    return text.encode("utf-8")


def render_ofd(inv: dict[str, Any]) -> bytes:
    """A placeholder OFD container: ``OFD.xml`` plus the XML and a note (not a signed original)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            f'Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{inv["number"]}</ofd:DocID>'
            "</ofd:DocInfo></ofd:DocBody></ofd:OFD>",
        )
        archive.writestr("Doc_0/invoice.xml", render_xml(inv))
        archive.writestr("SANDBOX-NOTE.txt", "沙箱占位OFD：不含税务机关签章，不是真实发票原件。")
    return buffer.getvalue()
