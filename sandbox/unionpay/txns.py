"""The transactions: consume through the cashier, pay, query, refund (txnType 04) with its notice."""

from __future__ import annotations

import threading

from . import bills, pages, state
from .gateway import Refused, Response, UnionPayGateway


def _expired(txn: state.Txn) -> bool:
    return txn.status == state.WAIT and txn.pay_timeout is not None and state.now() >= txn.pay_timeout


def front(gateway: UnionPayGateway, form: dict[str, str]) -> Response:
    """``frontTransReq.do``: open (or reopen) a consume and show the cashier."""
    try:
        merchant = gateway.check("frontTransReq", form)
        if form.get("bizType") != "000201" or form.get("currencyCode") != "156":
            raise Refused("10", "报文格式错误 bizType/currencyCode")
        order_id = form["orderId"]
        if not (8 <= len(order_id) <= 40 and order_id.isalnum() and order_id.isascii()):
            raise Refused("10", "报文格式错误 orderId")
        timeout = None
        if form.get("payTimeout"):
            try:
                timeout = state.parse_stamp(form["payTimeout"])
            except ValueError:
                raise Refused("10", "报文格式错误 payTimeout") from None
        key = (merchant.mer_id, order_id, form["txnTime"])
        with gateway.lock:
            txn = gateway.txns.get(key)
            if txn is None:
                moment = state.now()
                txn = state.Txn(
                    mer_id=merchant.mer_id,
                    order_id=order_id,
                    txn_time=form["txnTime"],
                    txn_type="01",
                    amount_fen=int(form["txnAmt"]),
                    query_id=state.new_query_id(moment),
                    back_url=form["backUrl"],
                    front_url=form.get("frontUrl", ""),
                    pay_timeout=timeout,
                    channel_type=form["channelType"],
                )
                gateway.txns[key] = txn
            elif txn.amount_fen != int(form["txnAmt"]):
                raise Refused("12", "重复交易")
            if _expired(txn):
                raise Refused("39", "交易已超时")
            if txn.status != state.WAIT:
                raise Refused("12", "重复交易（订单已支付）")
    except Refused as refused:
        return gateway.refused_page("frontTransReq", form, refused)
    gateway.log("frontTransReq", form, "00")
    return pages.cashier_page(txn)


def pay(gateway: UnionPayGateway, query_id: str) -> Response:
    """The payer pressed "确认支付": paid, notified, and the browser posts the return to ``frontUrl``."""
    with gateway.lock:
        txn = next((t for t in gateway.txns.values() if t.query_id == query_id and t.txn_type == "01"), None)
        if txn is None:
            return pages.error_page("34", "查无此交易", status=404)
        if _expired(txn):
            return pages.error_page("39", "交易已超时", status=409)
        if txn.status != state.WAIT:
            return pages.error_page("12", "重复交易", status=409)
        txn.status, txn.settle_date = state.PAID, state.now().strftime("%m%d")
        gateway.notify(txn)
        if not txn.front_url:
            return pages.error_page("00", "支付成功", status=200)
        return pages.auto_submit(txn.front_url, gateway.signed(gateway.result_fields(txn, "00")))


def query(gateway: UnionPayGateway, form: dict[str, str]) -> Response:
    """``queryTrans.do`` by orderId + txnTime: respCode 00 with origRespCode, or 34."""
    try:
        merchant = gateway.check("queryTrans", form)
    except Refused as refused:
        return gateway.reply("queryTrans", form, refused.code, refused.message, signed=refused.signed)
    with gateway.lock:
        if gateway.controls.take_failure("queryTrans"):
            return gateway.reply("queryTrans", form, "06", "系统繁忙")
        txn = gateway.txns.get((merchant.mer_id, form["orderId"], form["txnTime"]))
        if txn is None or (txn.txn_type == "01" and txn.status == state.WAIT and not _expired(txn)):
            return gateway.reply("queryTrans", form, "34", "查无此交易")
        orig = {state.PAID: "00", state.DONE: "00", state.REFUNDING: "05", state.WAIT: "05"}.get(
            txn.status, "01"
        )
        if _expired(txn):
            orig = "01"
        extra = {
            "origRespCode": orig,
            "origRespMsg": "成功[0000000]" if orig == "00" else "",
            "queryId": txn.query_id,
            "txnAmt": str(txn.amount_fen),
            "settleDate": txn.settle_date,
            "currencyCode": "156",
        }
        if txn.orig_qry_id:
            extra["origQryId"] = txn.orig_qry_id
        return gateway.reply("queryTrans", form, "00", "成功[0000000]", extra)


def refund(gateway: UnionPayGateway, form: dict[str, str]) -> Response:
    """``backTransReq.do`` txnType 04: accepted (00), then done and notified after ``refund_delay``."""
    try:
        merchant = gateway.check("backTransReq", form)
    except Refused as refused:
        return gateway.reply("backTransReq", form, refused.code, refused.message, signed=refused.signed)
    with gateway.lock:
        if gateway.controls.take_failure("backTransReq"):
            return gateway.reply("backTransReq", form, "06", "系统繁忙")
        key = (merchant.mer_id, form["orderId"], form["txnTime"])
        if key in gateway.txns:
            return gateway.reply("backTransReq", form, "12", "重复交易")
        original = next(
            (t for t in gateway.txns.values() if t.query_id == form["origQryId"] and t.txn_type == "01"), None
        )
        if original is None or original.mer_id != merchant.mer_id or original.status != state.PAID:
            return gateway.reply("backTransReq", form, "35", "原交易不存在或状态不正确")
        refunded = sum(
            t.amount_fen
            for t in gateway.txns.values()
            if t.orig_qry_id == original.query_id and t.status != state.FAILED
        )
        amount = int(form["txnAmt"])
        if refunded + amount > original.amount_fen:
            return gateway.reply("backTransReq", form, "33", "交易金额超限")
        moment = state.now()
        txn = state.Txn(
            mer_id=merchant.mer_id,
            order_id=form["orderId"],
            txn_time=form["txnTime"],
            txn_type="04",
            amount_fen=amount,
            query_id=state.new_query_id(moment),
            back_url=form["backUrl"],
            orig_qry_id=original.query_id,
            req_reserved=form.get("reqReserved", ""),
            status=state.REFUNDING,
            settle_date=moment.strftime("%m%d"),
        )
        gateway.txns[key] = txn
        delay = gateway.controls.refund_delay
    timer = threading.Timer(delay, _finish_refund, args=(gateway, txn))
    timer.daemon = True
    timer.start()
    return gateway.reply(
        "backTransReq",
        form,
        "00",
        "成功[0000000]",
        {"queryId": txn.query_id, "origQryId": txn.orig_qry_id, "txnAmt": str(amount)},
    )


def _finish_refund(gateway: UnionPayGateway, txn: state.Txn) -> None:
    with gateway.lock:
        txn.status = state.DONE
        gateway.notify(txn)


def file_transfer(gateway: UnionPayGateway, form: dict[str, str]) -> Response:
    """``fileTransfer`` (txnType 76, fileType 00): the day's file, or 98 when there is none yet."""
    try:
        merchant = gateway.check("fileTransfer", form)
    except Refused as refused:
        return gateway.reply("fileTransfer", form, refused.code, refused.message, signed=refused.signed)
    settle_date = form["settleDate"]
    with gateway.lock:
        today = state.now().strftime("%m%d")
        if len(settle_date) != 4 or not settle_date.isdigit() or form["fileType"] != "00":
            return gateway.reply("fileTransfer", form, "10", "报文格式错误 settleDate/fileType")
        if settle_date == today and not gateway.controls.bill_today:
            return gateway.reply("fileTransfer", form, "98", "文件不存在")
        name, content = bills.file_content(merchant.mer_id, settle_date, list(gateway.txns.values()))
    extra = {"settleDate": settle_date, "fileType": "00", "fileName": name, "fileContent": content}
    return gateway.reply("fileTransfer", form, "00", "成功[0000000]", extra)
