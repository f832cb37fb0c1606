"""Sandbox of Tencent Cloud face recognition (iai, API 3.0): CompareFace and DetectFace.

Replies have Tencent's shape: HTTP 200 with ``{"Response": {...}}``; errors as
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from xueshi_core.jsonbody import loads_object
from xueshi_face.engines.base import NoFace

from . import faces
from .signatures import Received, Refused, verify_tc3

MAX_BODY_BYTES = 10 * 1024 * 1024  # a base64 photo; Tencent's own limit on an image request

SERVICE = "iai"
CONTENT_TYPE = "application/json"
VERSIONS = ("2020-03-03", "2018-03-01")
THRESHOLD_3_0 = 50.0
MAX_BASE64 = 5 * 1024 * 1024


def _error(code: str, message: str, request_id: str) -> tuple[int, dict[str, Any]]:
    return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}


def _image(params: Mapping[str, Any], name: str) -> bytes:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        url = params.get(name.replace("Image", "Url"))
        if url:
            raise Refused("FailedOperation.DownloadError", "the sandbox cannot download images")
        raise Refused("InvalidParameterValue.ImageEmpty", f"{name} is empty")
    if len(value) > MAX_BASE64:
        raise Refused("FailedOperation.ImageSizeExceed", "base64 image larger than 5M")
    try:
        return faces.decode(value)
    except faces.BadImage as exc:
        raise Refused("FailedOperation.ImageDecodeFailed", f"{name}: {exc}") from exc


def _compare(params: Mapping[str, Any]) -> dict[str, Any]:
    a, b = _image(params, "ImageA"), _image(params, "ImageB")
    try:
        result = faces.compare(a, b)
    except NoFace as exc:
        raise Refused("InvalidParameterValue.NoFaceInPhoto", "no face in the photo") from exc
    return {"Score": faces.vendor_score(result.distance, THRESHOLD_3_0), "FaceModelVersion": "3.0"}


def _detect(params: Mapping[str, Any]) -> dict[str, Any]:
    image = _image(params, "Image")
    found = faces.boxes(image)[: int(params.get("MaxFaceNum") or 1)]
    if not found:
        raise Refused("InvalidParameterValue.NoFaceInPhoto", "no face in the photo")
    import io

    from PIL import Image

    with Image.open(io.BytesIO(image)) as opened:
        width, height = opened.size
    infos = [{"X": x, "Y": y, "Width": w, "Height": h} for x, y, w, h in found]
    return {"ImageWidth": width, "ImageHeight": height, "FaceInfos": infos, "FaceModelVersion": "3.0"}


ACTIONS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "CompareFace": _compare,
    "DetectFace": _detect,
}


def handler(secrets: Mapping[str, str], clock: Callable[[], float] = time.time) -> Callable[[Received], Any]:
    """A request handler knowing the given SecretId → SecretKey pairs."""
    calls: list[str] = []

    def handle(request: Received) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4())
        try:
            verify_tc3(request, secrets, SERVICE, clock())
            action = request.headers.get("x-tc-action", "")
            if request.headers.get("x-tc-version") not in VERSIONS:
                raise Refused("InvalidParameter", "unsupported X-TC-Version")
            if action not in ACTIONS:
                raise Refused("InvalidAction", f"the action {action!r} does not exist")
            params = loads_object(request.body, max_bytes=MAX_BODY_BYTES, empty_ok=True)
            calls.append(action)
            reply = ACTIONS[action](params)
        except Refused as exc:
            return _error(exc.code, str(exc), request_id)
        except ValueError:
            return _error("InvalidParameter", "the body is not JSON", request_id)
        return 200, {"Response": {**reply, "RequestId": request_id}}

    handle.calls = calls  # type: ignore[attr-defined]
    return handle
