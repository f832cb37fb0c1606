"""Sandbox of Alibaba Cloud SMS (Dysmsapi 2017-05-25): SendSms.

The official SDK signs ACS3-HMAC-SHA256 (``verify_acs3``: the canonical request, the body hash,
a fresh nonce, a recent ``x-acs-date``) and sends the parameters in the query. A signature
error is HTTP 4xx ``{"Code", "Message", "RequestId", ...}``; a business refusal is HTTP 200 with
``Code`` ≠ ``OK`` (``isv.MOBILE_NUMBER_ILLEGAL``, ``isv.BUSINESS_LIMIT_CONTROL`` ...), as the
real service answers.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from sandbox.faceapis.signatures import Received, Refused, verify_acs3

from .server import Inbox

VERSION = "2017-05-25"
CONTENT_TYPE = "application/json;charset=utf-8"
MAINLAND = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
STATUS = {"InvalidAccessKeyId.NotFound": 404, "InvalidAction.NotFound": 404}


def _send(params: Mapping[str, str], inbox: Inbox) -> dict[str, Any]:
    phones = [p for p in params.get("PhoneNumbers", "").split(",") if p]
    if not phones:
        raise Refused("MissingPhoneNumbers", "PhoneNumbers is mandatory for this action.")
    if len(phones) > 1000 or not all(MAINLAND.match(p) for p in phones):
        raise Refused("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
    if not params.get("SignName"):
        raise Refused("MissingSignName", "SignName is mandatory for this action.")
    if not params.get("TemplateCode", "").startswith("SMS_"):
        raise Refused("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
    try:
        values = json.loads(params.get("TemplateParam") or "{}")
    except ValueError as exc:
        raise Refused("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值") from exc
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise Refused("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
    failure = inbox.take_failure()
    if failure:
        raise Refused(failure, "sandbox: told to fail")
    biz_id = f"{secrets.randbelow(10**15):015d}^{secrets.randbelow(10**10):010d}"
    for phone in phones:
        inbox.messages.append(
            {
                "time": time.strftime("%Y-%m-%d %H:%M:%S"),
                "phone": phone,
                "sign": params["SignName"],
                "template": params["TemplateCode"],
                "params": json.dumps(values, ensure_ascii=False),
                "message_id": biz_id,
                "reference": params.get("OutId", ""),
            }
        )
    return {"Code": "OK", "Message": "OK", "BizId": biz_id}


def handler(
    secrets_by_key: Mapping[str, str], inbox: Inbox, clock: Callable[[], float] = time.time
) -> Callable[[Received], tuple[int, dict[str, Any]]]:
    """A request handler knowing the given AccessKey ID → secret pairs."""
    nonces: set[str] = set()

    def handle(request: Received) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4()).upper()
        try:
            verify_acs3(request, secrets_by_key, clock(), nonces)
        except Refused as exc:
            inbox.refused.append(f"{exc.code}: {exc}")
            status = STATUS.get(exc.code, 400)
            return status, {
                "RequestId": request_id,
                "Code": exc.code,
                "Message": str(exc),
                "HostId": "sandbox",
            }
        try:
            if request.headers.get("x-acs-version") != VERSION:
                raise Refused("InvalidVersion", "Specified parameter Version is not valid.")
            if request.headers.get("x-acs-action") != "SendSms":
                raise Refused("InvalidAction.NotFound", "Specified api is not found, please check your url.")
            params = dict(parse_qsl(request.query, keep_blank_values=True))
            params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
            reply = _send(params, inbox)
        except Refused as exc:
            inbox.refused.append(f"{exc.code}: {exc}")
            if exc.code in STATUS or exc.code.startswith("Invalid"):
                return STATUS.get(exc.code, 400), {
                    "RequestId": request_id,
                    "Code": exc.code,
                    "Message": str(exc),
                }
            return 200, {"RequestId": request_id, "Code": exc.code, "Message": str(exc)}
        except UnicodeDecodeError:
            return 400, {"RequestId": request_id, "Code": "InvalidParameter", "Message": "not a form"}
        return 200, {**reply, "RequestId": request_id}

    return handle
