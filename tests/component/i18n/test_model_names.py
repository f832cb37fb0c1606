"""Every model of ours has a translated name; in Chinese the plural is the singular (no "试题s")."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

OUR_LABELS = ("xueshi_", "sandbox_lms")
HAN = re.compile(r"[\u4e00-\u9fff]")
MODELS = sorted(
    (m for m in apps.get_models() if m._meta.app_label.startswith(OUR_LABELS)), key=lambda m: m._meta.label
)


def test_our_models_are_found() -> None:
    assert len(MODELS) >= 20


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_verbose_names_are_lazy_and_chinese(model) -> None:
    meta = model._meta
    assert isinstance(meta.verbose_name, Promise), f"{meta.label}: verbose_name is not gettext_lazy"
    assert isinstance(meta.verbose_name_plural, Promise), (
        f"{meta.label}: verbose_name_plural is not gettext_lazy"
    )
    with translation.override("zh-cn"):
        singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
    assert HAN.search(singular), f"{meta.label}: no zh_CN translation for {singular!r}"
    assert plural == singular, f"{meta.label}: Chinese plural {plural!r} differs from {singular!r}"
