"""Demo OLX attributes become typed field values before they reach the platform's modulestore."""

import pytest

from xueshi_core.compat import olx_fields


def test_attributes_are_decoded_by_each_fields_own_type():
    url_name, fields = olx_fields(
        "xueshi_video",
        {"url_name": "l1", "display_name": "第一课", "duration": "120", "allowed_rates": "[1.0, 1.25]"},
    )
    assert url_name == "l1"
    assert fields["display_name"] == "第一课"
    assert fields["duration"] == 120
    assert fields["allowed_rates"] == [1.0, 1.25]


def test_an_attribute_naming_no_field_is_refused():
    with pytest.raises(ValueError, match="no field 'duraton'"):
        olx_fields("xueshi_video", {"duraton": "120"})
