"""The Nuonuo sandbox fixture of the component tests, for the live site."""

from tests.component.invoices.conftest import nuonuo  # noqa: F401 (a fixture)
