"""URLs of ``xueshi_media``, mounted at ``/xueshi/media/`` in the LMS and Studio."""

from django.urls import path, re_path

from . import delivery, previews, views

app_name = "xueshi_media"
HEX = r"(?P<{}>[0-9a-f]{{32}})"

urlpatterns = [
    path("uploads/", views.create_upload, name="create-upload"),
    re_path(rf"^uploads/{HEX.format('upload_id')}/$", views.upload, name="upload"),
    re_path(rf"^uploads/{HEX.format('upload_id')}/finish/$", views.finish_upload, name="finish-upload"),
    re_path(r"^courses/(?P<course_id>[^/]+)/videos/$", views.course_assets, name="course-videos"),
    re_path(rf"^videos/{HEX.format('asset_id')}/retry/$", views.retry, name="retry"),
    re_path(r"^library/(?P<course_id>[^/]+)/$", views.library, name="library"),
    re_path(r"^hls/(?P<asset>[0-9a-f]{32})/(?P<path>[0-9a-z_/.]{1,40})$", delivery.serve, name="hls"),
    re_path(r"^preview/(?P<asset>[0-9a-f]{32})/(?P<path>[0-9a-z_/.]{1,40})$", previews.serve, name="preview"),
    re_path(r"^files/(?P<asset>[0-9a-f]{32})/(?P<path>[0-9a-z_.]{1,40})$", delivery.serve_file, name="file"),
]
