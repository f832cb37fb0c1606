"""Provinces of China as data: GB/T 2260 two-digit codes and the capital's coordinates.

ip2region names regions (``广东省``, ``北京``, ``内蒙古``); supervisors group by GB/T 2260 codes
(the real-name profile stores them), and "jumps between distant regions" need a distance. The
coordinates are each provincial capital's, to two decimals: province-level precision is all the
IP data gives, and it is what "distant regions" means here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    """One provincial-level division."""

    code: str
    name: str
    lat: float
    lon: float


PROVINCES: tuple[Province, ...] = (
    Province("11", "北京", 39.90, 116.40),
    Province("12", "天津", 39.13, 117.20),
    Province("13", "河北", 38.04, 114.51),
    Province("14", "山西", 37.87, 112.55),
    Province("15", "内蒙古", 40.84, 111.75),
    Province("21", "辽宁", 41.80, 123.43),
    Province("22", "吉林", 43.82, 125.32),
    Province("23", "黑龙江", 45.80, 126.53),
    Province("31", "上海", 31.23, 121.47),
    Province("32", "江苏", 32.06, 118.80),
    Province("33", "浙江", 30.27, 120.16),
    Province("34", "安徽", 31.82, 117.23),
    Province("35", "福建", 26.07, 119.30),
    Province("36", "江西", 28.68, 115.86),
    Province("37", "山东", 36.65, 117.12),
    Province("41", "河南", 34.75, 113.63),
    Province("42", "湖北", 30.59, 114.31),
    Province("43", "湖南", 28.23, 112.94),
    Province("44", "广东", 23.13, 113.26),
    Province("45", "广西", 22.82, 108.37),
    Province("46", "海南", 20.04, 110.20),
    Province("50", "重庆", 29.56, 106.55),
    Province("51", "四川", 30.57, 104.07),
    Province("52", "贵州", 26.65, 106.63),
    Province("53", "云南", 25.04, 102.71),
    Province("54", "西藏", 29.65, 91.13),
    Province("61", "陕西", 34.34, 108.94),
    Province("62", "甘肃", 36.06, 103.83),
    Province("63", "青海", 36.62, 101.78),
    Province("64", "宁夏", 38.49, 106.23),
    Province("65", "新疆", 43.83, 87.62),
    Province("71", "台湾", 25.03, 121.57),
    Province("81", "香港", 22.32, 114.17),
    Province("82", "澳门", 22.20, 113.54),
)
_BY_PREFIX = sorted(PROVINCES, key=lambda p: -len(p.name))


def province_of(name: str) -> Province | None:
    """The province a region name starts with (``广东省`` → 广东, ``内蒙古自治区`` → 内蒙古)."""
    text = (name or "").strip()
    for province in _BY_PREFIX:
        if text.startswith(province.name):
            return province
    return None


def distance_km(a: Province, b: Province) -> float:
    """Great-circle distance between two provinces' capitals (haversine, Earth radius 6371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
