"""The sandbox site; its Celery app is loaded with the package, as ``lms/__init__.py`` loads the LMS's.

So a task queued from a web request (``task.delay``) uses the site's broker settings (eager without one).
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
