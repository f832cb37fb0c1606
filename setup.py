"""Build the ``openedx-xueshi`` distribution: every Xueshi XBlock and Django plugin app.

A ``setup.py`` is kept (rather than only ``pyproject.toml``) because Tutor's dev init job
re-installs a bind-mounted checkout only when it finds one. ``xblocks/`` and ``plugins/``
are source roots: each ``xueshi_*`` package inside them is a top-level package of the wheel.
"""

from __future__ import annotations

import re
from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).parent
SOURCE_ROOTS = ("xblocks", "plugins")
FACE_EXTRAS = ("face-local", "face-tencent", "face-aliyun")
SMS_EXTRAS = ("sms-aliyun", "sms-tencent")


def read_version() -> str:
    """Single-source the version from ``xueshi_core/__init__.py``."""
    text = (HERE / "plugins" / "xueshi_core" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise RuntimeError("xueshi_core.__version__ not found")
    return match.group(1)


def read_requirements(name: str) -> list[str]:
    """Abstract requirements from ``requirements/<name>.in`` (pins live in the compiled files)."""
    lines = (HERE / "requirements" / f"{name}.in").read_text(encoding="utf-8").splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip() and not ln.startswith("-")]


def discover() -> tuple[list[str], dict[str, str]]:
    """Find ``xueshi_*`` packages under the source roots and map each to its directory.

    Data folders (templates, locale, static, public, division data) are namespace packages, as
    setuptools wants them listed, so that their files ship without a warning per folder; the npm
    sources of the XBlocks' front ends (built into ``public/``) stay out of the wheel.
    """
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for root in SOURCE_ROOTS:
        found = find_namespace_packages(
            root, include=["xueshi_*", "xueshi_*.*"], exclude=["*.frontend", "*.frontend.*", "*__pycache__*"]
        )
        for package in found:
            packages.append(package)
            package_dir[package] = f"{root}/{package.replace('.', '/')}"
    return packages, package_dir


PACKAGES, PACKAGE_DIR = discover()

setup(
    name="openedx-xueshi",
    version=read_version(),
    description="Xueshi (学时): Open edX extensions for Chinese continuing education and vocational training",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.12",
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    include_package_data=True,
    install_requires=read_requirements("base"),
    # One extra per face engine (requirements/face-*.in): the Tutor plugin installs the one that
    # XUESHI_FACE_ENGINE names; `pip install openedx-xueshi[face-local]` does it by hand.
    # One extra per SMS provider (requirements/sms-*.in), for the same reason.
    extras_require={extra: read_requirements(extra) for extra in FACE_EXTRAS + SMS_EXTRAS},
    entry_points={
        "xblock.v1": [
            "xueshi_video = xueshi_video.block:XueshiVideoBlock",
            "xueshi_practice = xueshi_practice.block:XueshiPracticeBlock",
            "xueshi_live = xueshi_live.block:XueshiLiveBlock",
            "xueshi_questionnaire = xueshi_questionnaire.block:XueshiQuestionnaireBlock",
        ],
        "lms.djangoapp": [
            "xueshi_core = xueshi_core.apps:XueshiCoreConfig",
            "xueshi_studytime = xueshi_studytime.apps:StudyTimeConfig",
            "xueshi_questionbank = xueshi_questionbank.apps:QuestionBankConfig",
            "xueshi_identity = xueshi_identity.apps:IdentityConfig",
            "xueshi_access = xueshi_access.apps:AccessConfig",
            "xueshi_face = xueshi_face.apps:FaceConfig",
            "xueshi_hours = xueshi_hours.apps:HoursConfig",
            "xueshi_certificates = xueshi_certificates.apps:CertificatesConfig",
            "xueshi_payments = xueshi_payments.apps:PaymentsConfig",
            "xueshi_stats = xueshi_stats.apps:StatsConfig",
            "xueshi_invoices = xueshi_invoices.apps:InvoicesConfig",
            "xueshi_reporting = xueshi_reporting.apps:ReportingConfig",
            "xueshi_services = xueshi_services.apps:ServicesConfig",
            "xueshi_notify = xueshi_notify.apps:NotifyConfig",
            "xueshi_media = xueshi_media.apps:MediaConfig",
            "xueshi_livestream = xueshi_livestream.apps:LiveStreamConfig",
        ],
        # Course tabs to 我的学时 / 我的证书 and Studio's Pages & Resources card (ADR 0181); the entry
        # point name is the tab type / app id the platform loads them by.
        "openedx.course_tab": [
            "xueshi_hours = xueshi_hours.platform_plugins:HoursCourseTab",
            "xueshi_certificates = xueshi_certificates.platform_plugins:CertificatesCourseTab",
        ],
        "openedx.course_app": [
            "xueshi_hours = xueshi_hours.platform_plugins:HoursCourseApp",
        ],
        "cms.djangoapp": [
            "xueshi_core = xueshi_core.apps:XueshiCoreConfig",
            "xueshi_studytime = xueshi_studytime.apps:StudyTimeConfig",
            "xueshi_questionbank = xueshi_questionbank.apps:QuestionBankConfig",
            "xueshi_identity = xueshi_identity.apps:IdentityConfig",
            "xueshi_access = xueshi_access.apps:AccessConfig",
            "xueshi_face = xueshi_face.apps:FaceConfig",
            "xueshi_hours = xueshi_hours.apps:HoursConfig",
            "xueshi_certificates = xueshi_certificates.apps:CertificatesConfig",
            "xueshi_media = xueshi_media.apps:MediaConfig",
            "xueshi_livestream = xueshi_livestream.apps:LiveStreamConfig",
            "xueshi_services = xueshi_services.apps:ServicesConfig",
        ],
    },
    classifiers=[
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.12",
        "Natural Language :: Chinese (Simplified)",
    ],
)
