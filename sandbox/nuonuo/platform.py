"""The sandbox platform's state and methods: tokens with their cap, invoices, red forms, controls, calls.

Everything is in memory under one lock; issuing finishes on a timer thread (``delay`` seconds),
then the result is POSTed to ``callBackUrl`` (unless callbacks are lost by a control).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from . import files

BEIJING = timezone(timedelta(hours=8))
TOKEN_CAP = 50  # token calls per 30 days per app (the platform's limit)
TOKEN_LIFETIME = 24 * 3600
TRAINING_CODE = "3070201020000000000"
RATES = {"0.06": 600, "0.03": 300, "0.01": 100, "0": 0}


@dataclass
class Controls:
    """What a test or a newcomer turns: failures, outage, delay, clerk login, token expiry, lost callbacks."""

    fail: dict[str, int] = field(default_factory=dict)  # method -> how many calls answer E9999
    down: int = 0  # how many next HTTP calls answer 503
    delay: float = 0.2  # seconds from accepting an issue to its result
    clerk_logged_in: bool = True
    lose_callbacks: bool = False
    token_cap: int = TOKEN_CAP
    fail_issue: int = 0  # how many next issues end in status 22 (failed at the bureau)


@dataclass
class Call:
    """One request the sandbox received, for the page and for tests."""

    at: str
    method: str
    code: str
    note: str = ""


class Platform:
    """One app (appKey/appSecret, seller tax number) and everything it has issued."""

    def __init__(self, app_key: str, app_secret: str, tax_num: str, *, delay: float = 0.2) -> None:
        self.app_key, self.app_secret, self.tax_num = app_key, app_secret, tax_num
        self.lock = threading.RLock()
        self.controls = Controls(delay=delay)
        self.tokens: dict[str, float] = {}
        self.token_calls = 0
        self.calls: list[Call] = []
        self.invoices: dict[str, dict[str, Any]] = {}  # by orderNo (our serial)
        self.by_serial: dict[str, str] = {}  # invoiceSerialNum -> orderNo
        self.red_forms: dict[str, dict[str, Any]] = {}  # by billNo
        self.file_blobs: dict[str, tuple[str, bytes]] = {}  # token -> (content type, bytes)
        self.callbacks: list[tuple[str, str, str]] = []  # (url, orderNo, outcome)
        self.base_url = ""
        self.sequence = 0

    def log(self, method: str, code: str, note: str = "") -> None:
        """Remember a call (newest last)."""
        with self.lock:
            self.calls.append(Call(datetime.now(BEIJING).strftime("%H:%M:%S.%f")[:-3], method, code, note))

    # --- tokens ---
    def issue_token(self, client_id: str, client_secret: str, grant: str) -> tuple[int, dict[str, Any]]:
        """``/accessToken``: client credentials, counted against the cap."""
        with self.lock:
            if grant != "client_credentials" or client_id != self.app_key or client_secret != self.app_secret:
                self.log("accessToken", "070301", "bad credentials")
                return 400, {"error": "070301", "error_description": "appKey或appSecret错误"}
            if self.token_calls >= self.controls.token_cap:
                self.log("accessToken", "070314", "cap reached")
                return 400, {"error": "070314", "error_description": "获取token次数超限"}
            self.token_calls += 1
            token = secrets.token_hex(16)
            self.tokens[token] = time.time() + TOKEN_LIFETIME
            self.log("accessToken", "ok", f"call {self.token_calls}")
            return 200, {"access_token": token, "expires_in": TOKEN_LIFETIME}

    def token_ok(self, token: str) -> bool:
        with self.lock:
            return self.tokens.get(token, 0) > time.time()

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # --- methods ---
    def call(self, method: str, content: dict[str, Any]) -> dict[str, Any]:
        """Dispatch a verified service call; answers ``{code, describe, result}``."""
        with self.lock:
            if self.controls.fail.get(method, 0) > 0:
                self.controls.fail[method] -= 1
                return _answer("E9999", "系统繁忙（沙箱控制）")
        handler = METHODS.get(method)
        if handler is None:
            return _answer("E9000", f"未知方法 {method}")
        return handler(self, content)

    def new_number(self) -> str:
        """A 20-digit 数电 number: year (2), tax authority (2, here 11), channel (1), sequence (15)."""
        with self.lock:
            self.sequence += 1
            return datetime.now(BEIJING).strftime("%y") + "11" + "2" + f"{self.sequence:015d}"

    def finish_later(self, order_no: str) -> None:
        """Complete (or fail) the invoice after the delay, then call back."""
        timer = threading.Timer(self.controls.delay, self._finish, args=(order_no,))
        timer.daemon = True
        timer.start()

    def _finish(self, order_no: str) -> None:
        with self.lock:
            inv = self.invoices[order_no]
            if inv["status"] != "20":
                return  # already finished (a control finished it early)
            if self.controls.fail_issue > 0:
                self.controls.fail_issue -= 1
                inv.update(status="22", statusMsg="开票失败（沙箱控制）")
            else:
                inv.update(status="2", statusMsg="开票完成", number=self.new_number())
                inv["date"] = datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
                for kind, render, ctype in (
                    ("pdf", files.render_pdf, "application/pdf"),
                    ("ofd", files.render_ofd, "application/ofd"),
                    ("xml", files.render_xml, "application/xml"),
                ):
                    token = secrets.token_urlsafe(12)
                    self.file_blobs[token] = (ctype, render(inv))
                    inv[kind + "Url"] = f"{self.base_url}/files/{token}/{inv['number']}.{kind}"
            url, lose = inv.get("callBackUrl", ""), self.controls.lose_callbacks
            payload = result_of(inv)
        if url and not lose:
            self._post_callback(url, order_no, payload)

    def _post_callback(self, url: str, order_no: str, payload: dict[str, Any]) -> None:
        body = urlencode({"operater": "callback", "orderno": order_no, "content": json.dumps(payload)})
        try:
            with urllib.request.urlopen(url, body.encode(), timeout=5) as reply:  # noqa: S310 (loopback)
                outcome = str(reply.status)
        except Exception as error:  # any failure is only shown on the page
            outcome = f"error: {error}"
        with self.lock:
            self.callbacks.append((url, order_no, outcome))


def _answer(code: str, describe: str, result: Any = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"code": code, "describe": describe}
    if result is not None:
        answer["result"] = result
    return answer


def result_of(inv: dict[str, Any]) -> dict[str, Any]:
    """An invoice as ``queryInvoiceResult`` lists it."""
    return {
        "serialNo": inv["serialNo"],
        "orderNo": inv["orderNo"],
        "status": inv["status"],
        "statusMsg": inv["statusMsg"],
        "allElectronicInvoiceNumber": inv.get("number", ""),
        "invoiceTime": inv.get("date", ""),
        "invoiceType": "2" if inv["red"] else "1",
        "orderAmount": files._yuan(inv["gross_fen"]),
        "taxExcludedAmount": files._yuan(inv["net_fen"]),
        "taxAmount": files._yuan(inv["tax_fen"]),
        "pdfUrl": inv.get("pdfUrl", ""),
        "ofdUrl": inv.get("ofdUrl", ""),
        "xmlUrl": inv.get("xmlUrl", ""),
    }


def _fen(text: Any) -> int:
    """A yuan amount with at most two decimals, as integer fen; ValueError otherwise."""
    whole, _, cents = str(text).strip().partition(".")
    if len(cents) > 2 or not whole.lstrip("-").isdigit() or (cents and not cents.isdigit()):
        raise ValueError(f"bad amount {text!r}")
    value = abs(int(whole)) * 100 + int((cents + "00")[:2])
    return -value if whole.startswith("-") else value


def _details(rows: Any, red: bool) -> list[dict[str, Any]]:
    """Check invoice lines as the bureau does: tax code, rate, amounts and the 0.06 tolerance."""
    if not isinstance(rows, list) or not rows:
        raise ValueError("invoiceDetail 不能为空")
    details = []
    for row in rows:
        rate = RATES.get(str(row.get("taxRate")))
        if rate is None:
            raise ValueError(f"税率 {row.get('taxRate')} 无效")
        if row.get("goodsCode") != TRAINING_CODE:
            raise ValueError("税收分类编码无效")
        net, tax, gross = _fen(row["taxExcludedAmount"]), _fen(row["tax"]), _fen(row["taxIncludedAmount"])
        if net + tax != gross or abs(net * rate - tax * 10_000) > 600 * 100:
            raise ValueError(f"{row.get('goodsName')} 金额与税额不符（超出0.06容差）")
        if (gross < 0) != red or gross == 0:
            raise ValueError("蓝字发票金额须为正，红字发票金额须为负")
        details.append({**row, "net_fen": net, "tax_fen": tax, "gross_fen": gross})
    return details


def request_billing(platform: Platform, content: dict[str, Any]) -> dict[str, Any]:
    """``requestBillingNew``: accept an async issue; a repeated orderNo answers E9106."""
    order = content.get("order") or {}
    order_no = str(order.get("orderNo", ""))
    with platform.lock:
        if not platform.controls.clerk_logged_in:
            return _answer("E9302", "开票员未登录电子税务局，请扫码或短信登录后重试")
        if order_no in platform.invoices:
            return _answer("E9106", "订单编号重复，请查询开票结果")
        try:
            if not order_no or len(order_no) > 20 or not order.get("buyerName"):
                raise ValueError("orderNo（≤20位）和购方名称必填")
            if order.get("salerTaxNum") != platform.tax_num:
                raise ValueError("销方税号与授权税号不一致")
            details = _details(order.get("invoiceDetail"), red=False)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return _answer("E9101", f"参数错误：{error}")
        return _accept(platform, order_no, order, details, red=False)


def _accept(platform: Platform, order_no: str, order: dict[str, Any], details: list[Any], red: bool) -> Any:
    serial = secrets.token_hex(10)
    platform.invoices[order_no] = {
        **{
            k: str(order.get(k, ""))
            for k in ("buyerName", "buyerTaxNum", "salerTaxNum", "clerk", "callBackUrl")
        },
        "salerName": str(order.get("salerName") or "沙箱销方"),
        "orderNo": order_no,
        "serialNo": serial,
        "status": "20",
        "statusMsg": "开票中",
        "red": red,
        "details": details,
        "gross_fen": sum(d["gross_fen"] for d in details),
        "net_fen": sum(d["net_fen"] for d in details),
        "tax_fen": sum(d["tax_fen"] for d in details),
    }
    platform.by_serial[serial] = order_no
    platform.finish_later(order_no)
    return _answer("E0000", "提交成功", {"invoiceSerialNum": serial})


def query_result(platform: Platform, content: dict[str, Any]) -> dict[str, Any]:
    """``queryInvoiceResult``: by ``serialNos`` or ``orderNos`` (at most 50)."""
    serials = [str(s) for s in content.get("serialNos") or []]
    orders = [str(s) for s in content.get("orderNos") or []]
    if (not serials and not orders) or len(serials) + len(orders) > 50:
        return _answer("E9101", "参数错误：serialNos 或 orderNos（≤50）")
    with platform.lock:
        keys = [platform.by_serial.get(s, "") for s in serials] + orders
        found = [result_of(platform.invoices[k]) for k in keys if k in platform.invoices]
    if not found:
        return _answer("E9500", "未查询到发票")
    return _answer("E0000", "查询成功", found)


def save_red_confirm(platform: Platform, content: dict[str, Any]) -> dict[str, Any]:
    """``saveInvoiceRedConfirm``: a red form against an issued blue invoice (idempotent by billNo)."""
    bill_no = str(content.get("billNo", ""))
    blue_number = str(content.get("blueElecInvoiceNumber", ""))
    with platform.lock:
        if bill_no in platform.red_forms:
            return _answer("E0000", "红字确认单已存在", platform.red_forms[bill_no])
        blue = next((i for i in platform.invoices.values() if i.get("number") == blue_number), None)
        if blue is None or blue["red"] or blue["status"] != "2":
            return _answer("E9500", "蓝字发票不存在或未开具")
        try:
            details = _details(content.get("billDetail"), red=True)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return _answer("E9101", f"参数错误：{error}")
        already = sum(f["gross_fen"] for f in platform.red_forms.values() if f["blue"] == blue_number)
        if -(already + sum(d["gross_fen"] for d in details)) > blue["gross_fen"]:
            return _answer("E9101", "红冲金额超过蓝字发票可冲金额")
        form = {"billNo": bill_no, "billId": secrets.token_hex(8), "billStatus": "04", "blue": blue_number}
        form["gross_fen"] = sum(d["gross_fen"] for d in details)
        platform.red_forms[bill_no] = form
        return _answer("E0000", "红字确认单已确认（购方未入账，销方确认即生效）", form)


def fast_invoice_red(platform: Platform, content: dict[str, Any]) -> dict[str, Any]:
    """``fastInvoiceRed``: issue the red invoice of a confirmed form (async, like a blue one)."""
    order_no = str(content.get("orderNo", ""))
    with platform.lock:
        if not platform.controls.clerk_logged_in:
            return _answer("E9302", "开票员未登录电子税务局，请扫码或短信登录后重试")
        if order_no in platform.invoices:
            return _answer("E9106", "订单编号重复，请查询开票结果")
        form = next((f for f in platform.red_forms.values() if f["billId"] == content.get("billId")), None)
        if form is None:
            return _answer("E9500", "红字确认单不存在")
        blue = next(i for i in platform.invoices.values() if i.get("number") == form["blue"])
        try:
            details = _details(content.get("invoiceDetail"), red=True)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return _answer("E9101", f"参数错误：{error}")
        order = {**blue, "callBackUrl": content.get("callBackUrl", "")}
        return _accept(platform, order_no, order, details, red=True)


def certification_status(platform: Platform, content: dict[str, Any]) -> dict[str, Any]:
    """``getCertificationStatus``: whether the tax clerk is logged in at the bureau."""
    with platform.lock:
        logged_in = platform.controls.clerk_logged_in
    return _answer("E0000", "查询成功", {"loginStatus": "1" if logged_in else "0", "account": "开票员"})


METHODS = {
    "nuonuo.OpeMplatform.requestBillingNew": request_billing,
    "nuonuo.OpeMplatform.queryInvoiceResult": query_result,
    "nuonuo.OpeMplatform.saveInvoiceRedConfirm": save_red_confirm,
    "nuonuo.OpeMplatform.fastInvoiceRed": fast_invoice_red,
    "nuonuo.OpeMplatform.getCertificationStatus": certification_status,
}
