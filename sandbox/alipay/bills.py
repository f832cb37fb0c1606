"""Daily trade bills as Alipay serves them: a zip of two GBK CSV files (details and summary).

The detail file starts with ``#`` comment lines (title, account, period), then a header row and
one row per payment (``交易``) or refund (``退款``, with a negative 商家实收 and the refund's
``out_request_no``), each value followed by a tab as in Alipay's files, then ``#`` footer lines with
the counts. Planted rows (the ``planted`` control) are added as they are, so reconciliation tests
can see a line that matches no order.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from . import state

HEADER = [
    "支付宝交易号",
    "商户订单号",
    "业务类型",
    "商品名称",
    "创建时间",
    "完成时间",
    "门店编号",
    "门店名称",
    "操作员",
    "终端号",
    "对方账户",
    "订单金额（元）",
    "商家实收（元）",
    "支付宝红包（元）",
    "集分宝（元）",
    "支付宝优惠（元）",
    "商家优惠（元）",
    "券核销金额（元）",
    "券名称",
    "商家红包消费金额（元）",
    "卡消费金额（元）",
    "退款批次号/请求号",
    "服务费（元）",
    "分润（元）",
    "备注",
]
RULE = "#-----------------------------------------业务明细列表----------------------------------------"
END_RULE = "#-----------------------------------------业务明细列表结束------------------------------------"


def row(
    trade_no: str,
    out_trade_no: str,
    kind: str,
    subject: str,
    created: str,
    done: str,
    total: str,
    received: str,
    request_no: str = "",
) -> list[str]:
    """One detail row in the header's column order (kind ``交易`` or ``退款``)."""
    values = dict.fromkeys(HEADER, "")
    values.update(
        {
            "支付宝交易号": trade_no,
            "商户订单号": out_trade_no,
            "业务类型": kind,
            "商品名称": subject,
            "创建时间": created,
            "完成时间": done,
            "对方账户": "xue***@sandbox.com",
            "订单金额（元）": total,
            "商家实收（元）": received,
            "退款批次号/请求号": request_no,
            "服务费（元）": "0.00",
            "分润（元）": "0.00",
            "支付宝红包（元）": "0.00",
            "集分宝（元）": "0.00",
            "支付宝优惠（元）": "0.00",
            "商家优惠（元）": "0.00",
        }
    )
    return [values[name] for name in HEADER]


def rows_for(trades: list[state.Trade], day: date) -> list[list[str]]:
    """Every payment and refund of ``trades`` completed on ``day`` (Beijing time)."""
    lines = []
    for trade in trades:
        total = state.yuan(trade.total_fen)
        created = state.stamp(trade.created_at)
        if trade.paid_at and trade.paid_at.astimezone(state.BEIJING).date() == day:
            lines.append(
                row(
                    trade.trade_no,
                    trade.out_trade_no,
                    "交易",
                    trade.subject,
                    created,
                    state.stamp(trade.paid_at),
                    total,
                    total,
                )
            )
        for refund in trade.refunds.values():
            if refund.at.astimezone(state.BEIJING).date() == day:
                lines.append(
                    row(
                        trade.trade_no,
                        trade.out_trade_no,
                        "退款",
                        trade.subject,
                        created,
                        state.stamp(refund.at),
                        total,
                        state.yuan(-refund.amount_fen),
                        refund.out_request_no,
                    )
                )
    return lines


def bill_zip(seller_id: str, day: date, lines: list[list[str]]) -> bytes:
    """The zip Alipay's download URL returns, its CSV files encoded in GBK."""
    start = day.strftime("%Y年%m月%d日")
    payments = sum(1 for line in lines if line[2] == "交易")
    refunds = sum(1 for line in lines if line[2] == "退款")
    head = [
        "#支付宝业务明细查询",
        f"#账号：[{seller_id}0156]",
        f"#起始日期：[{start} 00:00:00]   终止日期：[{start} 23:59:59]",
        RULE,
        ",".join(HEADER),
    ]
    body = [",".join(value + "\t" for value in line) for line in lines]
    foot = [
        END_RULE,
        f"#交易合计：{payments}笔，退款合计：{refunds}笔",
        f"#导出时间：[{state.stamp(state.now())}]",
    ]
    detail = "\r\n".join(head + body + foot) + "\r\n"
    summary = (
        "\r\n".join(
            [
                "#支付宝业务汇总查询",
                f"#账号：[{seller_id}0156]",
                "门店编号,门店名称,交易订单总笔数,退款订单总笔数",
                f"合计,,{payments},{refunds}",
            ]
        )
        + "\r\n"
    )
    stem = f"{seller_id}0156_{day.strftime('%Y%m%d')}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}_业务明细.csv", detail.encode("gbk"))
        archive.writestr(f"{stem}_业务明细(汇总).csv", summary.encode("gbk"))
    return buffer.getvalue()
