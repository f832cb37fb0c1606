"""``@platform_function`` runs the real body without a shim and the shim's function with one."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from xueshi_core.shim import platform_function


@platform_function
def course_title(course_key):
    return f"platform:{course_key}"


@platform_function
def no_such_function_in_the_shim():
    return "platform"


def test_without_a_shim_the_platform_body_runs():
    with override_settings(XUESHI_PLATFORM_SHIM=None):
        assert course_title("course-v1:A+B+C") == "platform:course-v1:A+B+C"


def test_a_shim_missing_the_function_is_a_configuration_error():
    with override_settings(XUESHI_PLATFORM_SHIM="sandbox.platform"), pytest.raises(ImproperlyConfigured):
        no_such_function_in_the_shim()
