"""Tencent Cloud face recognition (人脸识别 iai, API 2020-03-03, CompareFace).

Through the official SDK ``tencentcloud-sdk-python-iai``, which signs requests TC3-HMAC-SHA256.

Scores of FaceModelVersion 3.0: 40 = 1/1,000 false accepts, 50 = 1/10,000, 60 = 1/100,000; the
vendor's "same person" advice is 50, our default threshold.
"""

from __future__ import annotations

from typing import Any

from ..data import Comparison
from .base import EngineError, NoFace
from .cloud import CloudEngine

MODEL_VERSION = "3.0"


class TencentEngine(CloudEngine):
    """``XUESHI_FACE_TENCENT = {"SECRET_ID", "SECRET_KEY", "REGION", "ENDPOINT", "PROTOCOL", "TIMEOUT"}``."""

    name = "tencent"
    default_threshold = 50.0
    required = ("SECRET_ID", "SECRET_KEY")

    def build_client(self, options: dict[str, Any]) -> Any:
        """The SDK client (endpoint and protocol from settings, so tests point it at the sandbox)."""
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.iai.v20200303 import iai_client

        http = HttpProfile(
            protocol=options.get("PROTOCOL", "https"),
            endpoint=options.get("ENDPOINT") or "iai.tencentcloudapi.com",
            reqTimeout=int(options.get("TIMEOUT", 10)),
        )
        cred = credential.Credential(options["SECRET_ID"], options["SECRET_KEY"])
        return iai_client.IaiClient(
            cred, options.get("REGION", "ap-guangzhou"), ClientProfile(httpProfile=http)
        )

    def compare(self, enrolled: bytes, probe: bytes) -> Comparison:
        """CompareFace of the largest face in each image."""
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.iai.v20200303 import models

        request = models.CompareFaceRequest()
        request.ImageA, request.ImageB = self.payload(enrolled), self.payload(probe)
        request.FaceModelVersion = MODEL_VERSION
        request.NeedRotateDetection = 1
        try:
            response = self.client.CompareFace(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "ClientError")
            if "NoFace" in code:
                raise NoFace(code, str(exc.get_message())) from exc
            raise EngineError(code, str(exc.get_message())) from exc
        if response.Score is None:
            raise EngineError(
                "bad_reply", f"CompareFace reply without a Score (RequestId {response.RequestId})"
            )
        return Comparison(float(response.Score), self.name, f"RequestId {response.RequestId}")
