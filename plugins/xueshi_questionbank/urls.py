"""URLs of the question bank, mounted at the site root by ``plugin_app``.

Two prefixes: the staff page under ``xueshi/questionbank/`` and the REST API under
``api/xueshi/questionbank/v1/``.
"""

app_name = "xueshi_questionbank"
urlpatterns: list = []
