"""Jinja filters used by this plugin's patches.

Tutor renders patches with Jinja; values pasted into Python settings as
``"{{ VALUE }}"`` break on a quote or backslash. ``xueshi_py`` writes a Python
literal instead, so any operator value (including Chinese text) stays data.
"""

from __future__ import annotations

import pprint
import re
import typing as t

from .validation import read_key_file


def python_literal(value: t.Any) -> str:
    """Render a config value (str, int, bool, list, dict, None) as a Python literal."""
    return pprint.pformat(value, width=88, sort_dicts=False)


def text_literal(value: t.Any) -> str:
    """Render a text value as a Python string literal.

    YAML reads ``--set XUESHI_WECHATPAY_MCHID=1900000109`` as an integer; ids,
    serials and tax numbers are text to the apps, whatever their digits.
    """
    return repr("" if value is None else str(value))


def key_file_content(path: t.Any) -> str:
    """Read a key file at render time; an empty path gives an empty string.

    Keys reach the containers inside the rendered settings (for Kubernetes, inside
    the settings ConfigMap), as Tutor does with its own JWT private key. Validation
    has already refused unreadable files, so a failure here is a real error.
    """
    if not path:
        return ""
    return read_key_file(str(path))


#: The openedx-xueshi extra that each XUESHI_FACE_ENGINE needs (requirements/face-*.in).
FACE_EXTRAS = {"local": "face-local", "tencent": "face-tencent", "aliyun": "face-aliyun"}
#: The extra each XUESHI_SMS_PROVIDER needs (requirements/sms-*.in); no provider, no SDK.
SMS_EXTRAS = {"aliyun": "sms-aliyun", "tencent": "sms-tencent"}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?")


def _with_extra(requirement: t.Any, extra: str | None) -> str:
    """Add ``extra`` to the pip requirement after its name, keeping any extras it already names."""
    text = str(requirement)
    match = _NAME.match(text)
    if extra is None or match is None:
        return text
    named = [e.strip() for e in (match.group(2) or "[]")[1:-1].split(",") if e.strip()]
    if extra not in named:
        named.append(extra)
    return f"{match.group(1)}[{','.join(named)}]{text[match.end() :]}"


def with_face_extra(requirement: t.Any, engine: t.Any) -> str:
    """Add the chosen face engine's extra to the pip requirement, keeping any extras it names.

    ``openedx-xueshi==0.1.0`` with ``local`` becomes ``openedx-xueshi[face-local]==0.1.0``; a
    direct reference ``openedx-xueshi @ git+…`` becomes ``openedx-xueshi[face-local] @ git+…``.
    The image then carries dlib only when the local engine checks faces, and a cloud vendor's
    SDK only for that vendor.
    """
    return _with_extra(requirement, FACE_EXTRAS.get(str(engine)))


def with_sms_extra(requirement: t.Any, provider: t.Any) -> str:
    """Add the chosen SMS provider's extra (``sms-aliyun`` or ``sms-tencent``); none without one."""
    return _with_extra(requirement, SMS_EXTRAS.get(str(provider)))


FILTERS: list[tuple[str, t.Callable[..., t.Any]]] = [
    ("xueshi_with_face_extra", with_face_extra),
    ("xueshi_with_sms_extra", with_sms_extra),
    ("xueshi_py", python_literal),
    ("xueshi_str", text_literal),
    ("xueshi_key_file", key_file_content),
]
