"""The guarded JSON reader refuses every hostile body with a 4xx ``BadInput``, and reads good ones."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xueshi_core import jsonbody, params
from xueshi_core.jsonbody import BadInput


@pytest.mark.parametrize(
    ("raw", "code", "status"),
    [
        (b"[" * 5000 + b"]" * 5000, "too_deep", 400),  # json.loads: RecursionError
        (b'{"a":' * 40 + b"1" + b"}" * 40, "too_deep", 400),  # parses, but deeper than allowed
        (b'{"seq": ' + b"9" * 5000 + b"}", "number_too_large", 400),  # int(): ValueError past 4300 digits
        (b'{"seq": 99999999999999999999}', "number_too_large", 400),
        (b'{"position": 1e400}', "number_too_large", 400),  # float("1e400") is inf
        (b'{"position": NaN}', "not_a_number", 400),
        (b'{"rate": -Infinity}', "not_a_number", 400),
        (b'{"token": "\\ud800"}', "invalid_unicode", 400),  # MariaDB cannot store it
        (b"\xff\xfe{}", "invalid_utf8", 400),
        (b"{", "malformed", 400),
        (b"", "malformed", 400),
        (b"x" * 20000, "body_too_large", 413),
    ],
)
def test_hostile_bodies_are_refused_with_a_code(raw: bytes, code: str, status: int) -> None:
    with pytest.raises(BadInput) as caught:
        jsonbody.loads(raw)
    assert (caught.value.code, caught.value.status) == (code, status)


def test_an_object_is_required_where_an_object_is_expected() -> None:
    with pytest.raises(BadInput, match="not a JSON object"):
        jsonbody.loads_object(b"[1, 2]")
    assert jsonbody.loads_object(b"  ", empty_ok=True) == {}


def test_good_bodies_read_as_json_does() -> None:
    body = {"seq": 2**62, "position": 12.5, "emoji": "学时 😀", "nested": [[{"a": [1]}]], "neg": -3}
    assert jsonbody.loads(json.dumps(body).encode()) == body
    assert jsonbody.loads(json.dumps(body, ensure_ascii=True)) == body  # escaped surrogate pairs are fine


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(), c, max_size=4),
        max_leaves=20,
    )
)
def test_every_ordinary_value_round_trips(value: object) -> None:
    assert jsonbody.loads(json.dumps(value), max_bytes=1 << 20) == value


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: params.course_key("course-v1:" + "O" * 300 + "+C+R"), "invalid_course_id"),
        (lambda: params.course_key("not a key"), "invalid_course_id"),
        (lambda: params.usage_key("block-v1:a+b+c+type@x+block@" + "y" * 300), "invalid_usage_key"),
        (lambda: params.query_int({"page": "9" * 40}, "page", 1), "invalid_page"),
        (lambda: params.query_int({"page": "-1"}, "page", 1), "invalid_page"),
        (lambda: params.query_int({"page": "1e3"}, "page", 1), "invalid_page"),
        (lambda: params.query_int({"page": "١٢"}, "page", 1), "invalid_page"),  # Arabic-Indic digits
        (lambda: params.query_text({"q": "a\x00b"}, "q"), "invalid_q"),
        (lambda: params.day("0001-01-01"), "invalid_date"),
        (lambda: params.content_length({"CONTENT_LENGTH": "abc"}), "invalid_content_length"),
    ],
)
def test_parameters_are_refused_before_any_query(call: object, code: str) -> None:
    with pytest.raises(BadInput) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code and caught.value.status == 400


def test_good_parameters_parse() -> None:
    assert str(params.course_key("course-v1:Org+C1+2026")) == "course-v1:Org+C1+2026"
    assert params.query_int({}, "page", 7) == 7 and params.query_int({"page": "12"}, "page", 1) == 12
    assert params.content_length({}) == 0


def test_the_middleware_answers_a_refused_parameter_with_its_4xx() -> None:
    from django.conf import settings as django_settings
    from django.test import RequestFactory

    from xueshi_core.middleware import BadInputMiddleware

    assert "xueshi_core.middleware.BadInputMiddleware" in django_settings.MIDDLEWARE
    middleware = BadInputMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().get("/?page=" + "9" * 40)
    try:
        params.query_int(request.GET, "page", 1)
    except BadInput as exc:
        response = middleware.process_exception(request, exc)
    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "invalid_page", "detail": "page must be an integer"}
    assert middleware.process_exception(request, KeyError("x")) is None, "other errors stay Django's"
