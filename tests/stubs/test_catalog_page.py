"""docs/services/catalog.md lists every catalog entry as the entries have it."""

from .catalog_page import PAGE, render


def test_the_catalog_page_is_up_to_date() -> None:
    assert PAGE.read_text() == render(), "stale: run `python -m tests.stubs.catalog_page`"
