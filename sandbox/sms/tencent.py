"""Sandbox of Tencent Cloud SMS (sms 2021-01-11): SendSms.

The official SDK signs TC3-HMAC-SHA256 for the service ``sms`` (``verify_tc3``) and posts JSON.
A request-level error is ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``; a
per-number refusal is ``SendStatusSet[i].Code`` (``Ok`` when sent), as the real service answers.
Failures told with ``fail_next``: ``LimitExceeded.*``/``FailedOperation.*``/``InvalidParameterValue.*``
come back per number, anything else (``InternalError.Timeout``) as a request error.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sandbox.faceapis.signatures import Received, Refused, verify_tc3

from .server import Inbox

SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json"
E164_MAINLAND = re.compile(r"^\+861[3-9]\d{9}$")
PER_NUMBER = ("LimitExceeded.", "FailedOperation.", "InvalidParameterValue.")


def _error(code: str, message: str, request_id: str) -> tuple[int, dict[str, Any]]:
    return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}


def _status(phone: str, code: str, message: str, serial: str, context: str) -> dict[str, Any]:
    fee = 1 if code == "Ok" else 0
    return {"SerialNo": serial, "PhoneNumber": phone, "Fee": fee, "SessionContext": context,
            "Code": code, "Message": message, "IsoCode": "CN"}  # fmt: skip


def _send(params: Mapping[str, Any], app_id: str, inbox: Inbox) -> list[dict[str, Any]]:
    phones = params.get("PhoneNumberSet")
    if not isinstance(phones, list) or not phones or len(phones) > 200:
        raise Refused("MissingParameter", "PhoneNumberSet is required (1-200 numbers)")
    if str(params.get("SmsSdkAppId", "")) != app_id:
        raise Refused("FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verification failed")
    if not params.get("SignName"):
        raise Refused("FailedOperation.MissingSignature", "SignName is missing")
    values = params.get("TemplateParamSet") or []
    if not str(params.get("TemplateId", "")).isdigit():
        raise Refused("FailedOperation.TemplateIncorrectOrUnapproved", "template incorrect or unapproved")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Refused(
            "InvalidParameterValue.TemplateParameterFormatError", "TemplateParamSet must be strings"
        )
    failure = inbox.take_failure()
    if failure and not failure.startswith(PER_NUMBER):
        raise Refused(failure, "sandbox: told to fail")
    context = str(params.get("SessionContext") or "")
    out = []
    for phone in phones:
        serial = f"{secrets.randbelow(10**4)}:{secrets.token_hex(16)}"
        if failure:
            out.append(_status(phone, failure, "sandbox: told to fail", "", context))
        elif not E164_MAINLAND.match(str(phone)):
            out.append(
                _status(phone, "InvalidParameterValue.IncorrectPhoneNumber", "bad number", "", context)
            )
        else:
            out.append(_status(phone, "Ok", "send success", serial, context))
            inbox.messages.append(
                {
                    "time": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "phone": phone,
                    "sign": params["SignName"],
                    "template": params["TemplateId"],
                    "params": json.dumps(values, ensure_ascii=False),
                    "message_id": serial,
                    "reference": context,
                }
            )
    return out


def handler(
    secrets_by_id: Mapping[str, str], app_id: str, inbox: Inbox, clock: Callable[[], float] = time.time
) -> Callable[[Received], tuple[int, dict[str, Any]]]:
    """A request handler knowing the SecretId → SecretKey pairs and the SMS application's SdkAppId."""

    def handle(request: Received) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4())
        try:
            verify_tc3(request, secrets_by_id, SERVICE, clock())
            if request.headers.get("x-tc-version") != VERSION:
                raise Refused("InvalidParameter", "unsupported X-TC-Version")
            if request.headers.get("x-tc-action") != "SendSms":
                raise Refused("InvalidAction", "the action does not exist")
            params = json.loads(request.body or b"{}")
            if not isinstance(params, dict):
                raise Refused("InvalidParameter", "the body is not a JSON object")
            statuses = _send(params, app_id, inbox)
        except Refused as exc:
            inbox.refused.append(f"{exc.code}: {exc}")
            return _error(exc.code, str(exc), request_id)
        except ValueError:
            return _error("InvalidParameter", "the body is not JSON", request_id)
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}

    return handle
