"""Tencent Cloud SMS (sms 2021-01-11, SendSms) through the official SDK.

The SDK signs TC3-HMAC-SHA256. A request-level error raises ``TencentCloudSDKException``; a
per-number refusal comes back in ``SendStatusSet[0].Code`` (``Ok`` when sent). Retried: the
service's internal errors, request and per-number rate limits, network breaks. ``SessionContext``
carries our delivery reference; ``SerialNo`` is the provider's message id.
"""

from __future__ import annotations

from typing import Any

from .base import Message, Permanent, Transient, classify

TRANSIENT = (
    "InternalError",
    "RequestLimitExceeded",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit",
    "ClientNetworkError",
    "ServerNetworkError",
)


def _client(options: dict[str, Any], timeout: float) -> Any:
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111.sms_client import SmsClient

    http = HttpProfile(
        protocol=options.get("PROTOCOL", "https"),
        endpoint=options.get("ENDPOINT") or "sms.tencentcloudapi.com",
        reqTimeout=int(timeout),
    )
    cred = credential.Credential(options.get("SECRET_ID", ""), options.get("SECRET_KEY", ""))
    return SmsClient(cred, options.get("REGION", "ap-guangzhou"), ClientProfile(httpProfile=http))


def send(phone: str, message: Message, template: str, options: dict[str, Any], timeout: float) -> str:
    """SendSms to ``phone`` (E.164, ``+86`` added for mainland numbers); return the SerialNo."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.sms.v20210111 import models

    if not options.get("SECRET_ID") or not options.get("SDK_APP_ID") or not options.get("SIGN_NAME"):
        raise Permanent("not_configured", "XUESHI_NOTIFY_SMS lacks SECRET_ID, SDK_APP_ID or SIGN_NAME")
    request = models.SendSmsRequest()
    request.PhoneNumberSet = [phone if phone.startswith("+") else "+86" + phone]
    request.SmsSdkAppId = str(options["SDK_APP_ID"])
    request.SignName = options["SIGN_NAME"]
    request.TemplateId = template
    request.TemplateParamSet = list(message.values.values())
    request.SessionContext = message.reference
    try:
        response = _client(options, timeout).SendSms(request)
    except TencentCloudSDKException as exc:
        raise classify(str(exc.code or "ClientNetworkError"), str(exc.message)[:200], TRANSIENT) from exc
    except OSError as exc:
        raise Transient("ClientNetworkError", str(exc)[:200]) from exc
    statuses = response.SendStatusSet or []
    if not statuses:
        raise Transient("bad_reply", f"SendSms without a SendStatusSet ({response.RequestId})")
    status = statuses[0]
    if status.Code != "Ok":
        raise classify(str(status.Code), str(status.Message or ""), TRANSIENT)
    return str(status.SerialNo)
