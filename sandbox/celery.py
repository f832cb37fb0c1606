"""The sandbox's Celery app, configured like ``lms.celery`` (settings without a namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

app = Celery("sandbox")
app.config_from_object("django.conf:settings")
app.autodiscover_tasks()
