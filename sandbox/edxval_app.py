"""edx-val as an installed app of the sandbox, with the LMS's ``DEFAULT_AUTO_FIELD`` (``AutoField``).

edx-val ships no AppConfig, so its models take the project's default id field; the LMS's is
``AutoField`` (``lms/envs/common.py``), the sandbox's ``BigAutoField``. Without this the migration
check would ask for edx-val migrations that the LMS never runs.
"""

from django.apps import AppConfig


class EdxValConfig(AppConfig):
    """``edxval`` with the id field its own migrations create."""

    name = "edxval"
    label = "edxval"
    verbose_name = "edx-val"
    default_auto_field = "django.db.models.AutoField"
