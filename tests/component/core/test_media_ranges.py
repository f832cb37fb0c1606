"""The sandbox serves media with byte ranges, so players can seek and resume inside a file."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_file():
    folder = settings.MEDIA_ROOT / "range-test"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "课程.mp4"
    path.write_bytes(bytes(range(256)) * 4)  # 1024 bytes
    yield "range-test/课程.mp4"
    path.unlink()


def test_whole_file_advertises_ranges(client, media_file):
    response = client.get(f"/media/{media_file}")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert len(b"".join(response.streaming_content)) == 1024


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=100-5000", 100, 1023),
    ],
)
def test_ranges_return_206_with_exact_bytes(client, media_file, header, first, last):
    response = client.get(f"/media/{media_file}", HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response.content == (bytes(range(256)) * 4)[first : last + 1]


def test_unsatisfiable_range_is_416(client, media_file):
    response = client.get(f"/media/{media_file}", HTTP_RANGE="bytes=5000-6000")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


@pytest.mark.parametrize("path", ["../settings.py", "range-test/none.mp4"])
def test_missing_or_escaping_paths_are_404(client, path):
    assert client.get(f"/media/{path}").status_code == 404
