"""Device kinds, province distances, IP masking (pure functions)."""

from __future__ import annotations

import pytest

from xueshi_access.clientinfo import APP, MOBILE, PC, WECHAT, describe
from xueshi_access.regions import distance_km, province_of

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.40(0x18002831) NetType/WIFI Language/zh_CN"
)


@pytest.mark.parametrize(
    ("ua", "token", "kind"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
            False,
            PC,
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
            False,
            MOBILE,
        ),
        (WECHAT_UA, False, WECHAT),
        (WECHAT_UA, True, WECHAT),
        ("edX/org.edx.mobile/5.2.0 (iPhone; iOS 17.4; Scale/3.00)", False, APP),
        ("okhttp/4.12.0", True, APP),
        ("", False, PC),
    ],
)
def test_device_kind(ua, token, kind):
    assert describe(ua, token_grant=token).kind == kind


def test_provinces_and_distances():
    beijing, guangdong = province_of("北京"), province_of("广东省")
    assert beijing and guangdong and beijing.code == "11" and guangdong.code == "44"
    assert province_of("内蒙古自治区").code == "15"
    assert province_of("") is None and province_of("Texas") is None
    assert 1800 < distance_km(beijing, guangdong) < 2000
    assert distance_km(beijing, beijing) == 0


def test_ip_masking():
    from xueshi_access.exports import mask_ip

    assert mask_ip("202.96.128.86") == "202.96.128.*"
    assert mask_ip("2408:8207:1234::1") == "2408:8207:*"
    assert mask_ip("nonsense") == "" and mask_ip(None) == ""
