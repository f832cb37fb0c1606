"""The sandbox's business rules: trades, refunds and daily bills, checked as WeChat Pay checks them.

Field rules follow the v3 docs (``out_trade_no`` 6–32 of ``[0-9A-Za-z_-|*]``, integer fen, CNY,
``notify_url`` without a query string, identical re-prepay of an unpaid trade gives a fresh
prepay id, a changed one is refused). ``notify_url`` must be HTTPS as in production, except on
loopback, where tests and ``make sandbox`` listen.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from .protocol import ApiError, nonce
from .records import SHANGHAI, Refund, Trade, rfc3339

__all__ = ["SHANGHAI", "Ledger", "Refund", "Trade", "rfc3339"]

_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")
_OUT_REFUND_NO = re.compile(r"^[0-9A-Za-z_\-|*@]{1,64}$")
MAX_REFUNDS = 50
TRADE_TYPES = {"native": "NATIVE", "jsapi": "JSAPI", "h5": "MWEB"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _need(value: Any, name: str) -> Any:
    if value in (None, "", {}):
        raise ApiError(400, "PARAM_ERROR", f"缺少参数 {name}")
    return value


def _check_notify_url(url: str) -> None:
    parts = urlsplit(url)
    if len(url) > 255 or parts.query or parts.scheme not in ("https", "http"):
        raise ApiError(400, "PARAM_ERROR", "notify_url 格式错误 (≤255, no query string)")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ApiError(400, "PARAM_ERROR", "notify_url 必须为 https")


def _amount(body: Mapping[str, Any]) -> int:
    amount = _need(body.get("amount"), "amount")
    total = amount.get("total") if isinstance(amount, dict) else None
    if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
        raise ApiError(400, "PARAM_ERROR", "amount.total 必须为正整数，单位为分")
    if amount.get("currency", "CNY") != "CNY":
        raise ApiError(400, "PARAM_ERROR", "amount.currency 仅支持 CNY")
    return total


class Ledger:
    """Every trade and refund of the sandbox, behind one lock (the HTTP server is threaded)."""

    def __init__(self, appids: Mapping[str, str]) -> None:
        self.appids = dict(appids)  # mchid → the appid bound to it
        self.lock = threading.RLock()
        self.trades: dict[tuple[str, str], Trade] = {}
        self.by_code: dict[str, Trade] = {}
        self.refunds: dict[tuple[str, str], Refund] = {}
        self._serial = int(time.time()) % 100000

    def _next(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}{datetime.now(SHANGHAI):%Y%m%d}{self._serial:010d}"

    def prepay(self, scene: str, mchid: str, body: Mapping[str, Any]) -> Trade:
        """``POST /v3/pay/transactions/{native,jsapi,h5}``: a new or re-prepaid unpaid trade."""
        if body.get("mchid") != mchid:
            raise ApiError(400, "PARAM_ERROR", "mchid 与 Authorization 中的商户号不一致")
        if body.get("appid") != self.appids.get(mchid):
            raise ApiError(400, "APPID_MCHID_NOT_MATCH", "appid 和 mch_id 不匹配")
        out_trade_no = str(_need(body.get("out_trade_no"), "out_trade_no"))
        if not _OUT_TRADE_NO.match(out_trade_no):
            raise ApiError(400, "PARAM_ERROR", "out_trade_no 为 6-32 位字母、数字、_-|*")
        description = str(_need(body.get("description"), "description"))
        if len(description) > 127:
            raise ApiError(400, "PARAM_ERROR", "description 超过 127 个字符")
        notify_url = str(_need(body.get("notify_url"), "notify_url"))
        _check_notify_url(notify_url)
        total = _amount(body)
        now = datetime.now(SHANGHAI)
        expires_at = now + timedelta(days=7)
        if body.get("time_expire"):
            try:
                expires_at = datetime.fromisoformat(str(body["time_expire"]))
            except ValueError as exc:
                raise ApiError(400, "PARAM_ERROR", "time_expire 不是 RFC 3339 时间") from exc
            if expires_at.tzinfo is None or expires_at < now + timedelta(seconds=60):
                raise ApiError(400, "PARAM_ERROR", "time_expire 须晚于当前时间 1 分钟且带时区")
        openid = ""
        if scene == "jsapi":
            openid = str(_need((body.get("payer") or {}).get("openid"), "payer.openid"))
        if scene == "h5":
            scene_info = body.get("scene_info") or {}
            _need(scene_info.get("payer_client_ip"), "scene_info.payer_client_ip")
            _need((scene_info.get("h5_info") or {}).get("type"), "scene_info.h5_info.type")
        with self.lock:
            existing = self.trades.get((mchid, out_trade_no))
            if existing is not None:
                return self._reprepay(existing, scene, body)
            trade = Trade(
                mchid=mchid,
                appid=str(body["appid"]),
                out_trade_no=out_trade_no,
                trade_type=TRADE_TYPES[scene],
                description=description,
                total=total,
                notify_url=notify_url,
                expires_at=expires_at,
                request=dict(body),
                attach=str(body.get("attach") or ""),
                openid=openid,
            )
            self.trades[(mchid, out_trade_no)] = trade
            return self._new_codes(trade)

    def _reprepay(self, trade: Trade, scene: str, body: Mapping[str, Any]) -> Trade:
        if trade.state in ("SUCCESS", "REFUND"):
            raise ApiError(400, "ORDERPAID", "该订单已支付")
        if trade.state == "CLOSED":
            raise ApiError(400, "ORDER_CLOSED", "该订单已关闭")
        if TRADE_TYPES[scene] != trade.trade_type or dict(body) != trade.request:
            raise ApiError(
                400, "INVALID_REQUEST", "201 商户订单号重复 (same out_trade_no, different request)"
            )
        return self._new_codes(trade)

    def _new_codes(self, trade: Trade) -> Trade:
        trade.prepay_id = "wx" + nonce(30).lower()
        trade.code = nonce(16).lower()
        self.by_code[trade.prepay_id] = self.by_code[trade.code] = trade
        return trade

    def find(self, mchid: str, out_trade_no: str) -> Trade:
        """The trade, or 404 ORDER_NOT_EXIST."""
        trade = self.trades.get((mchid, out_trade_no))
        if trade is None:
            raise ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
        return trade

    def pay(self, code: str) -> Trade:
        """The payer confirms on the payer page; ``ApiError`` if the trade cannot be paid."""
        with self.lock:
            trade = self.by_code.get(code)
            if trade is None:
                raise ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
            if trade.state != "NOTPAY":
                raise ApiError(
                    400,
                    "ORDERPAID" if trade.transaction_id else "ORDER_CLOSED",
                    trade.as_transaction()["trade_state_desc"],
                )
            if datetime.now(SHANGHAI) > trade.expires_at:
                raise ApiError(400, "ORDER_CLOSED", "订单已过期")
            trade.state, trade.success_time = "SUCCESS", datetime.now(SHANGHAI)
            trade.transaction_id = "42000" + nonce(23).translate(
                str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "01234567890123456789012345")
            )
            return trade

    def close(self, mchid: str, out_trade_no: str) -> None:
        """``POST …/close``: an unpaid trade can no longer be paid."""
        with self.lock:
            trade = self.find(mchid, out_trade_no)
            if trade.state in ("SUCCESS", "REFUND"):
                raise ApiError(400, "ORDERPAID", "订单已支付，不能关闭")
            trade.state = "CLOSED"

    def refund(self, mchid: str, body: Mapping[str, Any]) -> Refund:
        """``POST /v3/refund/domestic/refunds``: PROCESSING; the same ``out_refund_no`` is the same refund."""
        out_refund_no = str(_need(body.get("out_refund_no"), "out_refund_no"))
        if not _OUT_REFUND_NO.match(out_refund_no):
            raise ApiError(400, "PARAM_ERROR", "out_refund_no 格式错误")
        amount = _need(body.get("amount"), "amount")
        refund_fen, total = amount.get("refund"), amount.get("total")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (refund_fen, total)):
            raise ApiError(400, "PARAM_ERROR", "amount.refund 与 amount.total 必须为正整数，单位为分")
        if body.get("notify_url"):
            _check_notify_url(str(body["notify_url"]))
        with self.lock:
            trade = self.trades.get((mchid, str(_need(body.get("out_trade_no"), "out_trade_no"))))
            if trade is None:  # the refund API names a missing order differently from the query
                raise ApiError(404, "RESOURCE_NOT_EXISTS", "订单不存在")
            known = self.refunds.get((mchid, out_refund_no))
            if known is not None:
                if known.amount != refund_fen or known.trade is not trade:
                    raise ApiError(400, "INVALID_REQUEST", "退款单号重复，但退款金额或订单与之前请求不一致")
                return known
            if trade.state not in ("SUCCESS", "REFUND"):
                raise ApiError(400, "INVALID_REQUEST", "订单未支付，不能退款")
            if total != trade.total:
                raise ApiError(400, "INVALID_REQUEST", "amount.total 与订单金额不一致")
            refunded = sum(r.amount for r in trade.refunds if r.status in ("PROCESSING", "SUCCESS"))
            if refunded + refund_fen > trade.total:
                raise ApiError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
            if len(trade.refunds) >= MAX_REFUNDS:
                raise ApiError(400, "INVALID_REQUEST", "部分退款次数超过 50 次")
            refund = Refund(
                trade=trade,
                out_refund_no=out_refund_no,
                refund_id="50" + self._next("3")[1:],
                amount=refund_fen,
                reason=str(body.get("reason") or ""),
                notify_url=str(body.get("notify_url") or ""),
                created=datetime.now(SHANGHAI),
            )
            trade.refunds.append(refund)
            self.refunds[(mchid, out_refund_no)] = refund
            return refund

    def finish_refund(self, refund: Refund, outcome: str) -> None:
        """The bank's answer: SUCCESS (the trade turns REFUND), CLOSED or ABNORMAL."""
        with self.lock:
            refund.status = outcome
            if outcome == "SUCCESS":
                refund.success_time = datetime.now(SHANGHAI)
                refund.trade.state = "REFUND"

    def find_refund(self, mchid: str, out_refund_no: str) -> Refund:
        """The refund, or 404 RESOURCE_NOT_EXISTS."""
        refund = self.refunds.get((mchid, out_refund_no))
        if refund is None:
            raise ApiError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return refund

    def day(self, mchid: str, day: date) -> tuple[list[Trade], list[Refund]]:
        """The paid trades and succeeded refunds of one Shanghai day, in time order."""
        with self.lock:
            trades = [
                t
                for t in self.trades.values()
                if t.mchid == mchid and t.success_time and t.success_time.astimezone(SHANGHAI).date() == day
            ]
            refunds = [
                r
                for r in self.refunds.values()
                if r.trade.mchid == mchid
                and r.success_time
                and r.success_time.astimezone(SHANGHAI).date() == day
            ]
        return sorted(trades, key=lambda t: t.success_time or t.expires_at), sorted(
            refunds, key=lambda r: r.success_time or r.created
        )
