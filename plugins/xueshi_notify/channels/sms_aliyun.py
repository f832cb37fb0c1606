"""Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) through the official SDK.

The SDK signs ACS3-HMAC-SHA256. A business refusal comes back as HTTP 200 with ``Code`` other
than ``OK`` (``isv.*``); rate limits (``isv.BUSINESS_LIMIT_CONTROL``, ``Throttling``) and the
service's own errors (``isp.SYSTEM_ERROR``) are worth retrying, the rest are not. ``OutId`` carries
our delivery reference, so the provider's records (QuerySendDetails) can be matched to ours.
"""

from __future__ import annotations

import json
from typing import Any

from .base import Message, Permanent, Transient, classify

TRANSIENT = (
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.DAY_LIMIT_CONTROL_TEMP",
    "isp.",
    "Throttling",
    "ServiceUnavailable",
)


def _client(options: dict[str, Any], timeout: float) -> Any:
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi.models import Config

    return Client(
        Config(
            access_key_id=options.get("ACCESS_KEY_ID", ""),
            access_key_secret=options.get("ACCESS_KEY_SECRET", ""),
            region_id=options.get("REGION", "cn-hangzhou"),
            endpoint=options.get("ENDPOINT") or "dysmsapi.aliyuncs.com",
            protocol=options.get("PROTOCOL", "https"),
            read_timeout=int(timeout * 1000),
            connect_timeout=5000,
        )
    )


def send(phone: str, message: Message, template: str, options: dict[str, Any], timeout: float) -> str:
    """SendSms to ``phone`` with the kind's values as TemplateParam; return the BizId."""
    from alibabacloud_dysmsapi20170525 import models
    from alibabacloud_tea_util.models import RuntimeOptions

    if not options.get("ACCESS_KEY_ID") or not options.get("SIGN_NAME"):
        raise Permanent("not_configured", "XUESHI_NOTIFY_SMS lacks ACCESS_KEY_ID or SIGN_NAME")
    request = models.SendSmsRequest(
        phone_numbers=phone,
        sign_name=options["SIGN_NAME"],
        template_code=template,
        template_param=json.dumps(message.values, ensure_ascii=False),
        out_id=message.reference,
    )
    try:
        response = _client(options, timeout).send_sms_with_options(request, RuntimeOptions(autoretry=False))
    except Exception as exc:  # the SDK raises ClientException/ServerException/Tea errors/OSError
        code = str(getattr(exc, "code", "") or type(exc).__name__)
        text = str(getattr(exc, "message", "") or exc)[:200]
        status = int(getattr(exc, "status_code", 0) or getattr(exc, "statusCode", 0) or 0)
        if status >= 500 or not getattr(exc, "code", None):  # a network break has no provider code
            raise Transient(code, text) from exc
        raise classify(code, text, TRANSIENT) from exc
    body = response.body
    if body.code != "OK":
        raise classify(str(body.code), str(body.message or ""), TRANSIENT)
    if not body.biz_id:
        raise Transient("bad_reply", f"SendSms OK without a BizId ({body.request_id})")
    return str(body.biz_id)
