"""The Tencent Cloud and Alibaba Cloud engines through their official SDKs against the sandbox
servers on loopback: real signatures (TC3-HMAC-SHA256, ACS3-HMAC-SHA256), the vendors' reply
formats, decisions at each vendor's threshold, and refusals of tampered or wrongly keyed requests."""

import base64
import json
import urllib.request

import pytest
from django.test import override_settings

from sandbox.faceapis import aliyun, tencent
from sandbox.faceapis.server import SandboxServer
from tests.unit.face.faces import blank, photo
from xueshi_face.engines import EngineError, NoFace
from xueshi_face.models import FaceCheck
from xueshi_studytime import api as ledger

from .conftest import COURSE, USAGE, answer_check, post_check

pytestmark = [pytest.mark.component]
TC_ID, TC_KEY = "AKIDxueshiSandbox000000000000000", "tencent-sandbox-secret-key-0001"
ALI_ID, ALI_KEY = "LTAI5txueshiSandbox000", "aliyun-sandbox-secret-0001"


@pytest.fixture
def tencent_server():
    with SandboxServer(tencent.handler({TC_ID: TC_KEY}), content_type=tencent.CONTENT_TYPE) as server:
        yield server


@pytest.fixture
def aliyun_server():
    with SandboxServer(aliyun.handler({ALI_ID: ALI_KEY}), content_type=aliyun.CONTENT_TYPE) as server:
        yield server


def tencent_settings(server, key=TC_KEY):
    return override_settings(
        XUESHI_FACE_ENGINE="tencent",
        XUESHI_FACE_TENCENT={
            "SECRET_ID": TC_ID,
            "SECRET_KEY": key,
            "ENDPOINT": server.endpoint,
            "PROTOCOL": "http",
        },
    )


def aliyun_settings(server, key=ALI_KEY):
    return override_settings(
        XUESHI_FACE_ENGINE="aliyun",
        XUESHI_FACE_ALIYUN={
            "ACCESS_KEY_ID": ALI_ID,
            "ACCESS_KEY_SECRET": key,
            "ENDPOINT": server.endpoint,
            "PROTOCOL": "http",
        },
    )


def fresh(path):
    """A new engine instance (the cached one keeps the client of an earlier test's settings)."""
    from django.utils.module_loading import import_string

    return import_string(path)()


@pytest.mark.parametrize(
    ("settings_for", "server_name", "path", "threshold"),
    [
        (tencent_settings, "tencent_server", "xueshi_face.engines.tencent.TencentEngine", 50.0),
        (aliyun_settings, "aliyun_server", "xueshi_face.engines.aliyun.AliyunEngine", 69.0),
    ],
)
def test_sdk_compare_through_the_sandbox(request, settings_for, server_name, path, threshold):
    server = request.getfixturevalue(server_name)
    with settings_for(server):
        engine = fresh(path)
        same = engine.compare(photo("person_a_enrol"), photo("person_a_probe"))
        other = engine.compare(photo("person_a_enrol"), photo("person_b"))
        assert engine.default_threshold == threshold
        assert same.score >= threshold > other.score
        assert same.detail.startswith("RequestId ")
        with pytest.raises(NoFace):
            engine.compare(photo("person_a_enrol"), blank())
    with settings_for(server, key="a-wrong-secret"), pytest.raises(EngineError) as refused:
        fresh(path).compare(photo("person_a_enrol"), photo("person_a_probe"))
    assert refused.value.code in ("AuthFailure.SignatureFailure", "SignatureDoesNotMatch")


def test_a_tampered_request_is_refused_by_the_tencent_sandbox(tencent_server):
    """Sign a request with the SDK, then change one byte of the body before it is sent."""
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.iai.v20200303 import iai_client

    captured = {}
    client = iai_client.IaiClient(
        credential.Credential(TC_ID, TC_KEY),
        "ap-guangzhou",
        ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=tencent_server.endpoint)),
    )
    original = client.request.send_request

    def tamper(req):
        captured["data"] = req.data
        req.data = req.data.replace('"3.0"', '"2.0"')  # the signed body said 3.0
        return original(req)

    client.request.send_request = tamper
    payload = base64.b64encode(photo("person_a_enrol")).decode()
    params = {"ImageA": payload, "ImageB": payload, "FaceModelVersion": "3.0"}
    with pytest.raises(Exception) as refused:
        client.call_json("CompareFace", params)
    assert "AuthFailure.SignatureFailure" in str(refused.value)
    assert '"3.0"' in captured["data"]


def test_an_unsigned_request_is_refused_by_the_aliyun_sandbox(aliyun_server):
    request = urllib.request.Request(
        f"http://{aliyun_server.endpoint}/",
        data=b"ImageDataA=x&ImageDataB=y",
        headers={"x-acs-action": "CompareFace", "x-acs-version": "2019-12-30"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    body = json.loads(refused.value.read())
    assert refused.value.code == 400 and body["Code"] == "IncompleteSignature" and body["RequestId"]


@pytest.mark.django_db
def test_a_check_with_the_tencent_engine_is_recorded_and_releases_the_hold(
    http, learner, enrolled, tencent_server
):
    from xueshi_face import tokens
    from xueshi_face.data import CheckContext

    token = tokens.make(learner.id, CheckContext("study", COURSE, USAGE))
    ledger.place_hold(learner.id, "face_check", url="/xueshi/face/check/")
    with tencent_settings(tencent_server):
        failed = post_check(http, ["person_b", "person_b"], token).json()
        passed = answer_check(http, token).json()
    assert failed["passed"] is False and failed["threshold"] == 50.0 and failed["score"] < 50.0
    assert passed["passed"] is True and passed["score"] >= 50.0 and passed["hold_released"] is True
    rows = list(FaceCheck.objects.order_by("id").values_list("engine", "decision", "liveness"))
    assert rows == [("tencent", "failed", "failed"), ("tencent", "passed", "passed")]


@pytest.mark.django_db
def test_an_engine_outage_is_recorded_as_an_error_and_keeps_the_hold(http, learner, enrolled):
    from xueshi_face import tokens
    from xueshi_face.data import CheckContext

    ledger.place_hold(learner.id, "face_check", url="/xueshi/face/check/")
    token = tokens.make(learner.id, CheckContext("study", COURSE, USAGE))
    unreachable = {
        "ACCESS_KEY_ID": ALI_ID,
        "ACCESS_KEY_SECRET": ALI_KEY,
        "ENDPOINT": "127.0.0.1:9",
        "PROTOCOL": "http",
    }
    with override_settings(XUESHI_FACE_ENGINE="aliyun", XUESHI_FACE_ALIYUN=unreachable):
        response = post_check(http, ["person_a_probe", "person_a_turned"], token)
    assert response.status_code == 200
    result = response.json()
    assert (
        result["decision"] == "error" and result["passed"] is False and result["reason"].startswith("engine:")
    )
    assert [h.kind for h in ledger.active_holds(learner.id)] == ["face_check"]
