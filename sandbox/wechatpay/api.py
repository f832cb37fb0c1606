"""The v3 endpoints: each takes the verified merchant and the request, returns (status, JSON or None).

Request signatures are checked by ``server.py`` before any of these run; replies are signed there.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote

from . import bills
from .notices import Controls, Notifier
from .protocol import ApiError, Merchant, nonce
from .trades import SHANGHAI, Ledger, Trade, rfc3339

Reply = tuple[int, Any]
BILL_URL_SECONDS = 30


class Api:
    """The merchant-facing API of one sandbox."""

    def __init__(
        self, ledger: Ledger, notifier: Notifier, controls: Controls, keys: Any, base_url: Callable[[], str]
    ):
        self.ledger, self.notifier, self.controls, self.keys = ledger, notifier, controls, keys
        self.base_url = base_url
        self.bill_tokens: dict[str, tuple[float, bytes, str]] = {}

    def route(self, method: str, path: str, query: str, merchant: Merchant, body: dict[str, Any]) -> Reply:
        """Dispatch a verified request; ``ApiError`` 404 for paths WeChat Pay does not have."""
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        if method == "POST" and (m := re.fullmatch(r"/v3/pay/transactions/(native|jsapi|h5)", path)):
            return self.prepay(m.group(1), merchant, body)
        if m := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)", path):
            if params.get("mchid") != merchant.mchid:
                raise ApiError(400, "PARAM_ERROR", "缺少参数 mchid 或与 Authorization 不一致")
            return 200, self.ledger.find(merchant.mchid, m.group(1)).as_transaction()
        if method == "POST" and (m := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/close", path)):
            if body.get("mchid") != merchant.mchid:
                raise ApiError(400, "PARAM_ERROR", "缺少参数 mchid")
            self.ledger.close(merchant.mchid, m.group(1))
            return 204, None
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            return self.refund(merchant, body)
        if m := re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", path):
            return 200, self.ledger.find_refund(merchant.mchid, m.group(1)).as_refund()
        if path == "/v3/bill/tradebill":
            return self.apply_bill(merchant, params)
        if path == "/v3/billdownload/file":
            return self.download_bill(params)
        raise ApiError(404, "NOT_FOUND", "请求的资源不存在")

    def prepay(self, scene: str, merchant: Merchant, body: dict[str, Any]) -> Reply:
        trade = self.ledger.prepay(scene, merchant.mchid, body)
        if scene == "native":
            return 200, {"code_url": f"weixin://wxpay/bizpayurl?pr={trade.code}"}
        if scene == "h5":
            return 200, {"h5_url": f"{self.base_url()}/pay/{trade.prepay_id}?package={nonce(10)}"}
        return 200, {"prepay_id": trade.prepay_id}

    def paid(self, trade: Trade) -> None:
        """The payer paid: notify the merchant."""
        self.notifier.notify(
            trade.notify_url, "TRANSACTION.SUCCESS", "支付成功", "transaction", trade.as_transaction()
        )

    def refund(self, merchant: Merchant, body: dict[str, Any]) -> Reply:
        refund = self.ledger.refund(merchant.mchid, body)
        if refund.status == "PROCESSING" and not getattr(refund, "scheduled", False):
            refund.scheduled = True  # type: ignore[attr-defined]
            outcome = self.controls.refund_outcome
            delay = self.controls.refund_seconds * self.notifier.time_scale

            def finish() -> None:
                self.ledger.finish_refund(refund, outcome)
                if refund.notify_url:
                    summary = {"SUCCESS": "退款成功", "CLOSED": "退款关闭", "ABNORMAL": "退款异常"}[outcome]
                    self.notifier.notify(
                        refund.notify_url, f"REFUND.{outcome}", summary, "refund", refund.as_notice()
                    )

            timer = threading.Timer(delay, finish)
            timer.daemon = True
            timer.start()
        return 200, refund.as_refund()

    def apply_bill(self, merchant: Merchant, params: dict[str, str]) -> Reply:
        try:
            day = date.fromisoformat(params.get("bill_date", ""))
        except ValueError as exc:
            raise ApiError(400, "PARAM_ERROR", "bill_date 格式为 yyyy-MM-DD") from exc
        if params.get("bill_type", "ALL") != "ALL":
            raise ApiError(400, "PARAM_ERROR", "沙箱只提供 bill_type=ALL")
        if day > time_today():
            raise ApiError(400, "INVALID_REQUEST", "账单日期不能晚于今天")
        trades, refunds = self.ledger.day(merchant.mchid, day)
        if not trades and not refunds:
            raise ApiError(400, "NO_STATEMENT_EXIST", "账单文件不存在")
        data = bills.trade_bill(trades, refunds)
        token = nonce(24)
        self.bill_tokens[token] = (time.monotonic() + BILL_URL_SECONDS, data, params.get("tar_type", ""))
        hash_value = bills.sha1(data)
        if self.controls.corrupt_bill_hash:
            self.controls.corrupt_bill_hash = False
            hash_value = bills.sha1(data + b"planted")
        url = f"{self.base_url()}/v3/billdownload/file?token={quote(token)}"
        return 200, {"hash_type": "SHA1", "hash_value": hash_value, "download_url": url}

    def download_bill(self, params: dict[str, str]) -> Reply:
        found = self.bill_tokens.get(params.get("token", ""))
        if found is None or found[0] < time.monotonic():
            raise ApiError(400, "INVALID_REQUEST", "下载链接已过期 (the download URL lives 30 seconds)")
        data = gzip.compress(found[1]) if found[2] == "GZIP" else found[1]
        return 200, data  # bytes: served unsigned, as WeChat Pay serves bills

    def certificates(self) -> dict[str, Any]:
        """``GET /v3/certificates``: the platform certificate, encrypted with the APIv3 key."""
        from cryptography import x509

        from .protocol import encrypt_resource

        pem = self.keys.platform_certificate
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
        resource = encrypt_resource(self.keys.apiv3_key, pem.encode("ascii"), "certificate", "certificate")
        resource.pop("original_type")
        return {
            "data": [
                {
                    "serial_no": self.keys.platform_serial,
                    "effective_time": rfc3339(cert.not_valid_before_utc),
                    "expire_time": rfc3339(cert.not_valid_after_utc),
                    "encrypt_certificate": resource,
                }
            ]
        }


def time_today() -> date:
    """Today in Shanghai."""
    from datetime import datetime

    return datetime.now(SHANGHAI).date()


def dumps(value: Any) -> bytes:
    """JSON as WeChat Pay sends it: UTF-8, Chinese unescaped."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
