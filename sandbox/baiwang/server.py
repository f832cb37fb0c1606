"""The Baiwang sandbox: ``/router/rest`` over the shared sandbox bureau, controls, calls page.

``BaiwangSandbox(app_key, app_secret, username, password, tax_num)`` serves in a background thread
(port 0 = any free port); tests point the adapter at ``url``. Answers are ``{success: true,
response}`` or ``{success: false, errorResponse: {code, msg}}``; an expired token answers
``100002``. A refused issue passes the bureau's cause code on (Baiwang's own business codes are not
public). The control ``forge_replies: n`` makes the next n query answers name another serial, so
tests see the adapter refuse them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from decimal import Decimal
from http.server import ThreadingHTTPServer
from typing import Any

from sandbox.formserver import Response, handler_for, json_response
from sandbox.nuonuo import platform as bureau
from sandbox.nuonuo.server import apply_controls, calls_page

TOKEN_EXPIRED = "100002"  # noqa: S105 (an answer code)


def expected_sign(app_secret: str, envelope: dict[str, Any]) -> str:
    """The signature the platform expects: MD5 over secret, sorted ``key+value``, JSON(data), secret."""
    text = app_secret
    for key in sorted(envelope):
        value = envelope[key]
        if key in ("sign", "data") or value is None or str(value).strip() == "":
            continue
        text += key + str(value)
    if envelope.get("data") is not None:
        text += json.dumps(envelope["data"], ensure_ascii=False, separators=(",", ":"))
    return hashlib.md5((text + app_secret).encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def _ok(response: Any) -> Response:
    return json_response(200, {"success": True, "requestId": secrets.token_hex(8), "response": response})


def _error(code: str, msg: str) -> Response:
    return json_response(200, {"success": False, "errorResponse": {"code": code, "msg": msg}})


def _rate(value: Any) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return text if text != "0.0" else "0"


def _rows(lines: Any) -> list[dict[str, Any]]:
    """Baiwang's tax-inclusive lines as the bureau's rows (amounts as yuan text)."""
    rows = []
    for line in lines or []:
        gross, tax = Decimal(str(line["goodsTotalPrice"])), Decimal(str(line["goodsTotalTax"]))
        rows.append(
            {
                "goodsName": line["goodsName"],
                "goodsCode": line.get("goodsCode", ""),
                "num": str(line.get("goodsQuantity", "")),
                "taxRate": _rate(line["goodsTaxRate"]),
                "taxIncludedAmount": f"{gross:.2f}",
                "tax": f"{tax:.2f}",
                "taxExcludedAmount": f"{gross - tax:.2f}",
            }
        )
    return rows


class Router:
    """The ``/router/rest`` protocol of one app over the shared bureau."""

    def __init__(self, platform: bureau.Platform, username: str, password: str) -> None:
        self.platform, self.username, self.password = platform, username, password
        self.forge = 0

    def answer(self, body: bytes) -> Response:
        envelope = json.loads(body.decode("utf-8"))
        if not isinstance(envelope, dict):
            raise ValueError("envelope must be an object")
        method, p = str(envelope.get("method", "")), self.platform
        fresh = (
            str(envelope.get("timestamp", "")).isdigit()
            and abs(time.time() * 1000 - int(envelope["timestamp"])) < 600_000
        )
        if (
            envelope.get("appKey") != p.app_key
            or envelope.get("format") != "json"
            or envelope.get("version") != "6.0"
            or not fresh
        ):
            p.log(method, "1001", "bad appKey/format/version/timestamp")
            return _error("1001", "appKey、format、version或timestamp无效")
        if not hmac.compare_digest(expected_sign(p.app_secret, envelope), str(envelope.get("sign", ""))):
            p.log(method, "1002", "signature refused")
            return _error("1002", "签名验证失败")
        if method == "baiwang.oauth.token":
            return self.token(envelope)
        if not p.token_ok(str(envelope.get("token", ""))):
            p.log(method, TOKEN_EXPIRED, "token invalid or expired")
            return _error(TOKEN_EXPIRED, "token无效或已过期")
        handler = METHODS.get(method)
        if handler is None:
            return _error("1004", f"未知方法 {method}")
        data = envelope.get("data")
        if not isinstance(data, dict):
            return _error("1005", "data 必须是对象")
        return handler(self, data, str(envelope.get("orgId", "")))

    def token(self, envelope: dict[str, Any]) -> Response:
        if envelope.get("username") != self.username or envelope.get("password") != self.password:
            self.platform.log("baiwang.oauth.token", "1003", "bad user")
            return _error("1003", "用户名或密码错误")
        status, value = self.platform.issue_token(
            self.platform.app_key, str(envelope.get("client_secret", "")), "client_credentials"
        )
        if status != 200:
            return _error(str(value["error"]), str(value["error_description"]))
        return _ok({**value, "token_type": "bearer", "refresh_token": secrets.token_hex(16)})

    def _bureau(self, method: str, content: dict[str, Any]) -> dict[str, Any]:
        answer = self.platform.call(method, content)
        self.platform.log(method.replace("nuonuo.OpeMplatform", "bureau"), str(answer["code"]))
        return answer

    def issue(self, data: dict[str, Any], org_id: str) -> Response:
        if data.get("invoiceType") == "1":
            content = {
                "orderNo": data.get("serialNo", ""),
                "billId": data.get("redInfoNo", ""),
                "invoiceDetail": _rows(data.get("invoiceDetailsList")),
            }
            answer = self._bureau("nuonuo.OpeMplatform.fastInvoiceRed", content)
        else:
            order = {
                "orderNo": data.get("serialNo", ""),
                "buyerName": data.get("buyerName", ""),
                "buyerTaxNum": data.get("buyerTaxNo", ""),
                "salerTaxNum": org_id,
                "clerk": data.get("drawer", ""),
                "invoiceDetail": _rows(data.get("invoiceDetailsList")),
            }
            answer = self._bureau("nuonuo.OpeMplatform.requestBillingNew", {"order": order})
        if answer["code"] != "E0000":
            return _error(str(answer["code"]), str(answer["describe"]))
        return _ok({"serialNo": data["serialNo"], "status": "issuing"})

    def query(self, data: dict[str, Any], org_id: str) -> Response:
        serial = str(data.get("serialNo", ""))
        answer = self._bureau("nuonuo.OpeMplatform.queryInvoiceResult", {"orderNos": [serial]})
        found = answer.get("result") or []
        status = {"2": "success", "20": "issuing", "21": "issuing"}
        listed = [
            {
                "serialNo": r["orderNo"],
                "invoiceNo": r["allElectronicInvoiceNumber"],
                "invoiceDate": r["invoiceTime"],
                "invoiceTotalPriceTax": r["orderAmount"],
                "status": status.get(r["status"], "failed"),
                "statusMsg": r["statusMsg"],
            }
            for r in found
        ]
        with self.platform.lock:
            if self.forge > 0 and listed:
                self.forge -= 1
                listed[0]["serialNo"] = "FORGED" + serial
        return _ok(listed)

    def red_confirm(self, data: dict[str, Any], org_id: str) -> Response:
        content = {
            "billNo": secrets.token_hex(8),
            "blueElecInvoiceNumber": data.get("originalInvoiceNo", ""),
            "billDetail": _rows(data.get("redDetailList")),
        }
        answer = self._bureau("nuonuo.OpeMplatform.saveInvoiceRedConfirm", content)
        if answer["code"] != "E0000":
            return _error(str(answer["code"]), str(answer["describe"]))
        return _ok({"redLetterNo": answer["result"]["billId"], "status": "04", "createTime": ""})

    def format(self, data: dict[str, Any], org_id: str) -> Response:
        kind = {"1": "pdf", "2": "ofd"}.get(str(data.get("returnType")))
        with self.platform.lock:
            inv = next(
                (i for i in self.platform.invoices.values() if i.get("number") == data.get("invoiceNo")), None
            )
            url = str((inv or {}).get(f"{kind}Url", "")) if kind else ""
            blob = self.platform.file_blobs.get(url.split("/files/")[-1].split("/")[0]) if url else None
        if blob is None:
            return _error("E9500", "版式文件不存在")
        return _ok(
            {
                "content": base64.b64encode(blob[1]).decode(),
                "fileType": kind,
                "fileName": url.rsplit("/", 1)[-1],
            }
        )


METHODS = {
    "baiwang.output.invoice.issue": Router.issue,
    "baiwang.output.invoice.query": Router.query,
    "baiwang.output.redinvoice.issued": Router.red_confirm,
    "baiwang.output.format.query": Router.format,
}


def route(router: Router, verb: str, path: str, query: str, body: bytes) -> Response:
    """Dispatch one HTTP request."""
    p = router.platform
    with p.lock:
        if p.controls.down > 0 and not path.startswith("/sandbox"):
            p.controls.down -= 1
            return Response(503, "text/plain", b"service unavailable")
    try:
        if path == "/router/rest" and verb == "POST":
            return router.answer(body)
        if path == "/sandbox/controls":
            changes = json.loads(body or b"{}") if verb == "POST" else {}
            with p.lock:
                router.forge += int(changes.pop("forge_replies", 0))
            return json_response(200, {**apply_controls(p, changes), "forge_replies": router.forge})
        if path in ("/", "/sandbox", "/sandbox/"):
            return Response(*calls_page(p, "百望云开放平台沙箱"))
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as error:
        return json_response(400, {"error": f"bad request: {error}"})
    return Response(404, "text/plain", b"not found")


class BaiwangSandbox:
    """The router served on 127.0.0.1 in a background thread; a context manager for tests."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        username: str,
        password: str,
        tax_num: str,
        *,
        port: int = 0,
        delay: float = 0.2,
    ) -> None:
        self.platform = bureau.Platform(app_key, app_secret, tax_num, delay=delay)
        self.router = Router(self.platform, username, password)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(lambda *a: route(self.router, *a)))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.base_url + "/router/rest"
        self.platform.base_url = self.base_url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> BaiwangSandbox:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> BaiwangSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
