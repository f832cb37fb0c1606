"""Alibaba Cloud face comparison (视觉智能 facebody 2019-12-30, CompareFace).

Through the official SDK ``alibabacloud-facebody20191230``; the SDK signs requests ACS3-HMAC-SHA256.

The reply carries ``Confidence`` (0-100) and ``Thresholds`` for 1/1,000, 1/10,000 and 1/100,000 false
accepts (61, 69, 75 at the time of writing); the default threshold is the middle one.
"""

from __future__ import annotations

from typing import Any

from ..data import Comparison
from .base import EngineError, NoFace
from .cloud import CloudEngine


class AliyunEngine(CloudEngine):
    """``XUESHI_FACE_ALIYUN = {"ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "REGION", "ENDPOINT", "PROTOCOL"}``."""

    name = "aliyun"
    default_threshold = 69.0
    required = ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET")

    def build_client(self, options: dict[str, Any]) -> Any:
        """The SDK client (endpoint and protocol from settings, so tests point it at the sandbox)."""
        from alibabacloud_facebody20191230.client import Client
        from alibabacloud_tea_openapi.models import Config

        region = options.get("REGION", "cn-shanghai")
        config = Config(
            access_key_id=options["ACCESS_KEY_ID"],
            access_key_secret=options["ACCESS_KEY_SECRET"],
            region_id=region,
            endpoint=options.get("ENDPOINT") or f"facebody.{region}.aliyuncs.com",
            protocol=options.get("PROTOCOL", "https"),
            read_timeout=int(options.get("TIMEOUT", 10)) * 1000,
            connect_timeout=5000,
        )
        return Client(config)

    def compare(self, enrolled: bytes, probe: bytes) -> Comparison:
        """CompareFace of the largest face in each image."""
        from alibabacloud_facebody20191230 import models
        from alibabacloud_tea_util.models import RuntimeOptions

        request = models.CompareFaceRequest(
            image_data_a=self.payload(enrolled), image_data_b=self.payload(probe)
        )
        try:
            response = self.client.compare_face_with_options(request, RuntimeOptions(autoretry=False))
        except Exception as exc:  # the SDK raises its own ClientException/ServerException/Tea errors
            code = str(getattr(exc, "code", "") or type(exc).__name__)
            message = str(getattr(exc, "message", "") or exc)
            if "Face" in code:
                raise NoFace(code, message) from exc
            raise EngineError(code, message) from exc
        data = response.body.data
        if data is None or data.confidence is None:
            raise EngineError(
                "bad_reply", f"CompareFace reply without a Confidence ({response.body.request_id})"
            )
        return Comparison(float(data.confidence), self.name, f"RequestId {response.body.request_id}")
