"""The end of the retention period for the statistics' own records (ADR 0158).

Connected to ``xueshi_core.retention.RETENTION_DUE`` by ``plugin_app``. An export job row is the
record of who exported what; it goes ``XUESHI_RETENTION_YEARS`` after it was asked for, once its
file is gone (``exports.expire_files`` deletes files after ``XUESHI_STATS_EXPORT_FILE_DAYS``; a row
whose file is still there waits for that, so no file is ever left without its record). The
roll-up tables are derived data, rebuilt from the sources, and follow them.
"""

from __future__ import annotations

from typing import Any

from .models import ExportJob


def purge_past_retention(sender: Any, purge: Any, **kwargs: Any) -> None:
    """Hand core's purge the export job rows past the period whose files are gone."""
    old = ExportJob.objects.filter(created_at__lt=purge.cutoff, file_name="")
    purge.delete("stats.export_jobs", old)
