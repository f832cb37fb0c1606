"""``compat`` functions reach the sandbox's stand-ins through ``XUESHI_PLATFORM_SHIM``."""

import pytest

from xueshi_core import compat

pytestmark = pytest.mark.django_db


def test_compat_goes_to_the_sandbox_shim_which_raises_lookup_error_for_unknown_courses():
    with pytest.raises(LookupError, match="no course"):
        compat.enable_advanced_modules("course-v1:Nobody+None+1", ["xueshi_video"], 0)
