"""REST API of the study-time ledger (filled in by the ledger work)."""

app_name = "xueshi_studytime"
urlpatterns: list = []
