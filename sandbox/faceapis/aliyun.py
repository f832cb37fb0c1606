"""Sandbox of Alibaba Cloud visual intelligence, face body (facebody 2019-12-30): CompareFace.

Replies have Alibaba Cloud's shape: ``{"RequestId", "Data": {...}}``; errors as HTTP 4xx with
``{"RequestId", "HostId", "Code", "Message", "Recommend"}``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from xueshi_face.engines.base import NoFace

from . import faces
from .signatures import Received, Refused, verify_acs3

VERSION = "2019-12-30"
CONTENT_TYPE = "application/json;charset=utf-8"
THRESHOLDS = [61.0, 69.0, 75.0]
STATUS = {"InvalidAccessKeyId.NotFound": 404, "InvalidAction.NotFound": 404}


def _error(status: int, code: str, message: str, request_id: str, host: str) -> tuple[int, dict[str, Any]]:
    return status, {
        "RequestId": request_id,
        "HostId": host,
        "Code": code,
        "Message": message,
        "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code,
    }


def _image(params: Mapping[str, str], suffix: str) -> bytes:
    value = params.get(f"ImageData{suffix}", "")
    if not value:
        if params.get(f"ImageURL{suffix}"):
            raise Refused("InvalidImage.Download", "the sandbox cannot download images")
        raise Refused("MissingParameter", f"ImageData{suffix} or ImageURL{suffix} is required")
    try:
        return faces.decode(value)
    except faces.BadImage as exc:
        raise Refused("InvalidImage.Content", f"ImageData{suffix}: {exc}") from exc


def _compare(params: Mapping[str, str]) -> dict[str, Any]:
    a, b = _image(params, "A"), _image(params, "B")
    try:
        result = faces.compare(a, b)
    except NoFace as exc:
        raise Refused("InvalidImage.NotFoundFace", "no face detected in an image") from exc
    return {
        "Confidence": faces.vendor_score(result.distance, THRESHOLDS[1]),
        "Thresholds": THRESHOLDS,
        "RectAList": list(result.box_a),
        "RectBList": list(result.box_b),
        "IsMaskA": 0,
        "IsMaskB": 0,
        "QualityScoreA": 90.0,
        "QualityScoreB": 90.0,
        "MessageTips": "",
    }


def handler(secrets: Mapping[str, str], clock: Callable[[], float] = time.time) -> Callable[[Received], Any]:
    """A request handler knowing the given AccessKey ID → secret pairs."""
    nonces: set[str] = set()
    calls: list[str] = []

    def handle(request: Received) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4()).upper()
        host = request.headers.get("host", "")
        try:
            verify_acs3(request, secrets, clock(), nonces)
            if request.headers.get("x-acs-version") != VERSION:
                raise Refused("InvalidVersion", "unsupported x-acs-version")
            if request.headers.get("x-acs-action") != "CompareFace":
                raise Refused("InvalidAction.NotFound", "the action does not exist")
            params = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
            calls.append("CompareFace")
            data = _compare(params)
        except Refused as exc:
            return _error(STATUS.get(exc.code, 400), exc.code, str(exc), request_id, host)
        except UnicodeDecodeError:
            return _error(400, "InvalidParameter", "the body is not a form", request_id, host)
        return 200, {"RequestId": request_id, "Data": data}

    handle.calls = calls  # type: ignore[attr-defined]
    return handle
