"""A downloaded export is recorded in core's personal-data audit; its file expires, its record stays
(ADR 0158, 0159)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from xueshi_core.models import PersonalDataExport
from xueshi_stats import exports
from xueshi_stats.models import ExportJob
from xueshi_stats.tasks import expire_export_files

pytestmark = [pytest.mark.component, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_download_recorded_then_file_expires_and_record_stays(
    gulou_county: dict[str, Any], settings: Any
) -> None:
    client = gulou_county["client"]
    form = {"source": "figure", "figure": "enrolled", "format": "csv", "period": "year", "date": "2026-06-01"}
    job = client.post(reverse("xueshi_stats:export-start"), form, HTTP_ACCEPT="application/json").json()[
        "job"
    ]
    assert not PersonalDataExport.objects.exists(), "asking is not yet handing out"
    file_url = reverse("xueshi_stats:export-file", args=[job["token"]])
    assert client.get(file_url, REMOTE_ADDR="202.96.128.86").status_code == 200
    (row,) = PersonalDataExport.objects.all()
    assert (row.actor_id, row.rows, row.masked) == (gulou_county["supervisor"].id, 1, True)
    assert row.scope == "regions=350102" and row.what.startswith("statistics figure export")
    assert row.path == file_url

    kept = ExportJob.objects.get(token=job["token"])
    settings.XUESHI_STATS_EXPORT_FILE_DAYS = 30
    assert exports.expire_files(now=timezone.now() + timedelta(days=29)) == 0
    assert default_storage.exists(kept.file_name)
    ExportJob.objects.filter(pk=kept.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert expire_export_files.delay().get() == 1  # the beat task
    assert not default_storage.exists(kept.file_name)
    kept.refresh_from_db()
    assert (kept.state, kept.file_name, kept.written) == ("expired", "", 1)
    assert client.get(file_url).status_code == 404
    assert expire_export_files.delay().get() == 0
