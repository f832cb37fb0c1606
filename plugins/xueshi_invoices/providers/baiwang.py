"""Baiwang open-platform client (百望云 开放平台, 数电): shared token, MD5-signed envelope, translation.

Protocol (public community SDKs; ADR 0370): every call is one JSON POST to the router with the
envelope ``method, token, format=json, type=sync, timestamp (ms), appKey, version=6.0, orgId, sign,
data``; ``sign`` = uppercase MD5(appSecret + the non-empty envelope values as ``key+value`` sorted
by key + JSON(data) + appSecret). The token comes from method ``baiwang.oauth.token`` (user name,
password, client secret) and is shared through Redis like Nuonuo's; answers ``100001``/``100002``/
``1006`` drop it and the call is tried once more. Answers are ``{success, response}`` or
``{success: false, errorResponse: {code, msg}}``.

The issuing code speaks Nuonuo's vocabulary (ADR 0370), so ``call`` translates: issue
(``baiwang.output.invoice.issue``, our serial as ``serialNo``), query (``.invoice.query``), red
confirmation (``.redinvoice.issued``) and red invoice (``.invoice.issue`` with ``invoiceType=1``).
Any refused issue is followed by a query of the serial: if Baiwang already has it, the answer is a
duplicate (``E9106``), so a retry never issues twice whatever Baiwang's duplicate code is. Files
come from ``.format.query`` as Base64 (PDF, OFD); a query result names them as
``baiwang-format:`` addresses that ``download`` resolves. Replies that are not the envelope, or
whose invoice is not the serial asked or has no 20-digit number, are refused (``bad_reply``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from typing import Any

from .. import conf
from .common import Answer, ProviderError, SharedTokenClient

TOKEN_METHOD = "baiwang.oauth.token"  # noqa: S105 (a method name)
ISSUE = "baiwang.output.invoice.issue"
QUERY = "baiwang.output.invoice.query"
FORMAT = "baiwang.output.format.query"
RED_CONFIRM = "baiwang.output.redinvoice.issued"
TOKEN_CODES = frozenset({"100001", "100002", "1006"})
#: Codes worth trying again later (busy, clerk logged out at the bureau).
RETRYABLE_CODES = frozenset({"E9999", "E9302"})
FILE_SCHEME = "baiwang-format:"
RETURN_TYPES = {"pdf": "1", "ofd": "2"}  # 版式查询 returnType (XML is not in the public docs)
STATUS = {"issuing": "20", "success": "2", "failed": "22"}
NUMBER = re.compile(r"\d{20}")
RED_REASON_RETURNED = "1"  # 销货退回 (Baiwang: 1 销货退回, 2 开票有误, 3 服务终止, 4 销售折让)


def data_json(data: Any) -> str:
    """``data`` as signed and sent: compact, unescaped Unicode (the SDKs' ``JSON_UNESCAPED_*``)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def sign(app_secret: str, envelope: dict[str, str], data: Any) -> str:
    """Uppercase MD5(secret + sorted non-empty ``key+value`` (no ``sign``/``data``) + JSON(data) + secret)."""
    pairs = "".join(
        f"{k}{v}" for k, v in sorted(envelope.items()) if k not in ("sign", "data") and str(v).strip()
    )
    text = app_secret + pairs + (data_json(data) if data is not None else "") + app_secret
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def _num(text: Any) -> float:
    return float(str(text))


def lines(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our detail rows (yuan strings, tax-inclusive) as Baiwang's ``invoiceDetailsList``."""
    return [
        {
            "goodsLineNo": index,
            "goodsName": row["goodsName"],
            "goodsCode": row["goodsCode"],
            "goodsUnit": row.get("unit", ""),
            "goodsQuantity": _num(row["num"]),
            "goodsPrice": _num(row["price"]),
            "goodsTotalPrice": _num(row["taxIncludedAmount"]),
            "goodsTotalTax": _num(row["tax"]),
            "goodsTaxRate": _num(row["taxRate"]),
            "priceTaxMark": "1",
        }
        for index, row in enumerate(rows, start=1)
    ]


class BaiwangClient(SharedTokenClient):
    """One configured app; ``call`` takes the issuing code's methods and answers in its shape."""

    name = "baiwang"

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        super().__init__(settings or conf.baiwang())

    # --- the envelope ---
    def _send(
        self, method: str, data: Any, token: str, org_id: str, extra: dict[str, str] | None = None
    ) -> tuple[str, str, Any]:
        """One envelope sent; ``(code, msg, response)`` with an empty code on success."""
        envelope = {
            "method": method,
            "token": token,
            "format": "json",
            "type": "sync",
            "timestamp": str(int(time.time() * 1000)),
            "appKey": self.settings["app_key"],
            "version": "6.0",
            "orgId": self.settings.get("org_id") or org_id,
            **(extra or {}),
        }
        envelope["sign"] = sign(self.settings["app_secret"], envelope, data)
        body = {**envelope, **({"data": data} if data is not None else {})}
        headers = {"Content-Type": "application/json;charset=utf-8"}
        reply = self._post_json(self.settings["url"], data=data_json(body).encode("utf-8"), headers=headers)
        if reply.get("success") is True and "response" in reply:
            return "", "", reply["response"]
        error = reply.get("errorResponse")
        if reply.get("success") is False and isinstance(error, dict) and error.get("code") is not None:
            return str(error["code"]), str(error.get("msg", "")), None
        raise ProviderError("bad_reply", "not a Baiwang answer envelope", retryable=True)

    def _fetch_token(self) -> tuple[str, int]:
        extra = {
            "username": self.settings["username"],
            "password": self.settings["password"],
            "client_secret": self.settings["app_secret"],
        }
        code, msg, result = self._send(TOKEN_METHOD, None, "", "", extra)
        token = str((result or {}).get("access_token") or "") if isinstance(result, dict) else ""
        if not token:
            raise ProviderError(code or "token", msg or "no token", retryable=False)
        return token, int(result.get("expires_in") or 7200)

    def _call(self, method: str, data: Any, org_id: str = "") -> Any:
        """One business call; a dropped token is renewed once; a refusal raises ``ProviderError``."""
        for attempt in (1, 2):
            token = self.token()
            code, msg, result = self._send(method, data, token, org_id)
            if code in TOKEN_CODES and attempt == 1:
                self.drop_token(token)
                continue
            if code:
                raise ProviderError(code, msg, retryable=code in RETRYABLE_CODES)
            return result
        raise AssertionError("unreachable")

    # --- the issuing code's methods ---
    def call(self, method: str, content: dict[str, Any]) -> Answer:
        """Translate one of the issuing code's methods (Nuonuo's names) into Baiwang calls."""
        action = method.rsplit(".", 1)[-1]
        handler = getattr(self, f"_do_{action}", None)
        if handler is None:
            raise ProviderError("unsupported", f"百望适配器不支持 {action}", retryable=True)
        answer: Answer = handler(content)
        return answer

    def _issue(self, serial: str, data: dict[str, Any], org_id: str) -> Answer:
        try:
            self._call(ISSUE, data, org_id)
        except ProviderError as refused:
            if refused.code in ("network", "bad_reply") or self._query(serial) is None:
                raise
            return Answer("E9106", "流水号已提交，按查询结果处理", None)
        return Answer("E0000", "提交成功", {"invoiceSerialNum": serial})

    def _do_requestBillingNew(self, content: dict[str, Any]) -> Answer:
        order = content["order"]
        rows = lines(order["invoiceDetail"])
        data = {
            "invoiceTypeCode": "02",  # 数电普票
            "invoiceType": "0",
            "priceTaxMark": "1",
            "serialNo": order["orderNo"],
            "buyerName": order["buyerName"],
            "buyerTaxNo": order.get("buyerTaxNum", ""),
            "buyerAddress": order.get("buyerAddress", ""),
            "buyerBankNumber": order.get("buyerAccount", ""),
            "buyerEmail": order.get("email", ""),
            "drawer": order.get("clerk", ""),
            "invoiceTotalPriceTax": round(sum(r["goodsTotalPrice"] for r in rows), 2),
            "invoiceTotalTax": round(sum(r["goodsTotalTax"] for r in rows), 2),
            "invoiceDetailsList": rows,
        }
        return self._issue(order["orderNo"], data, order.get("salerTaxNum", ""))

    def _query(self, serial: str) -> dict[str, Any] | None:
        found = self._call(QUERY, {"serialNo": serial})
        if not isinstance(found, list):
            raise ProviderError("bad_reply", "query answer is not a list", retryable=True)
        mine = [r for r in found if isinstance(r, dict) and r.get("serialNo") == serial]
        if len(mine) != len(found):
            raise ProviderError("bad_reply", "query answered another serial", retryable=True)
        return mine[0] if mine else None

    def _do_queryInvoiceResult(self, content: dict[str, Any]) -> Answer:
        serial = str(content["orderNos"][0])
        found = self._query(serial)
        if found is None:
            return Answer("E9500", "未查询到发票", None)
        status = STATUS.get(str(found.get("status")))
        number = str(found.get("invoiceNo") or "")
        if status is None or (status == "2" and not NUMBER.fullmatch(number)):
            raise ProviderError("bad_reply", "no known status or no 20-digit number", retryable=True)
        result = {"orderNo": serial, "status": status, "statusMsg": str(found.get("statusMsg", ""))}
        if status == "2":
            result["allElectronicInvoiceNumber"] = number
            result.update({f"{k}Url": f"{FILE_SCHEME}{number}:{t}" for k, t in RETURN_TYPES.items()})
        return Answer("E0000", "查询成功", [result])

    def _do_saveInvoiceRedConfirm(self, content: dict[str, Any]) -> Answer:
        blue = str(content["blueElecInvoiceNumber"])
        data = {
            "originalInvoiceNo": blue,
            "redReason": RED_REASON_RETURNED,
            "redDetailList": lines(content["billDetail"]),
        }
        result = self._call(RED_CONFIRM, data)
        letter = str((result or {}).get("redLetterNo") or "") if isinstance(result, dict) else ""
        if not letter:
            raise ProviderError("bad_reply", "red confirmation without a number", retryable=True)
        # The red invoice needs the blue number again: kept with the confirmation's number.
        return Answer("E0000", "红字确认单已开具", {"billId": f"{letter}:{blue}"})

    def _do_fastInvoiceRed(self, content: dict[str, Any]) -> Answer:
        letter, _, blue = str(content["billId"]).partition(":")
        data = {
            "invoiceTypeCode": "02",
            "invoiceType": "1",
            "priceTaxMark": "1",
            "serialNo": content["orderNo"],
            "redInfoNo": letter,
            "originalInvoiceNo": blue,
            "redIssueReason": RED_REASON_RETURNED,
            "invoiceDetailsList": lines(content["invoiceDetail"]),
        }
        return self._issue(str(content["orderNo"]), data, "")

    def _do_getCertificationStatus(self, content: dict[str, Any]) -> Answer:
        raise ProviderError("unsupported", "百望开放平台未公开开票员登录状态接口", retryable=True)

    def download(self, url: str) -> bytes:
        """A file: ``baiwang-format:<number>:<returnType>`` through the format query, else plain HTTP."""
        if not url.startswith(FILE_SCHEME):
            return super().download(url)
        number, _, return_type = url.removeprefix(FILE_SCHEME).partition(":")
        result = self._call(FORMAT, {"invoiceCode": "", "invoiceNo": number, "returnType": return_type})
        try:
            return base64.b64decode(str((result or {}).get("content") or ""), validate=True)
        except (binascii.Error, AttributeError) as error:
            raise ProviderError("bad_reply", "format answer is not Base64", retryable=True) from error
