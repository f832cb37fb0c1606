"""``xueshi_with_face_extra`` adds the engine's extra to any form of pip requirement."""

import pytest

from tutorxueshi.templating import with_face_extra, with_sms_extra


@pytest.mark.parametrize(
    ("requirement", "engine", "expected"),
    [
        ("openedx-xueshi==0.1.0", "local", "openedx-xueshi[face-local]==0.1.0"),
        ("openedx-xueshi==0.1.0", "aliyun", "openedx-xueshi[face-aliyun]==0.1.0"),
        ("openedx-xueshi[extra1]>=0.1", "tencent", "openedx-xueshi[extra1,face-tencent]>=0.1"),
        ("openedx-xueshi[face-local]==0.1.0", "local", "openedx-xueshi[face-local]==0.1.0"),
        (
            "openedx-xueshi @ git+https://e.org/x.git@v1",
            "local",
            "openedx-xueshi[face-local] @ git+https://e.org/x.git@v1",
        ),
        ("openedx-xueshi==0.1.0", "somethingelse", "openedx-xueshi==0.1.0"),
    ],
)
def test_the_extra_lands_after_the_name(requirement, engine, expected):
    assert with_face_extra(requirement, engine) == expected


@pytest.mark.parametrize(
    ("provider", "expected"),
    [
        ("aliyun", "openedx-xueshi[face-local,sms-aliyun]==0.1.0"),
        ("tencent", "openedx-xueshi[face-local,sms-tencent]==0.1.0"),
        ("", "openedx-xueshi[face-local]==0.1.0"),
    ],
)
def test_the_sms_extra_follows_the_face_extra(provider, expected):
    assert with_sms_extra(with_face_extra("openedx-xueshi==0.1.0", "local"), provider) == expected
