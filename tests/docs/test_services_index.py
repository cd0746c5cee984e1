"""docs/services/index.md lists every service and its tier, as the code has them."""

from .services_index import PAGE, render


def test_the_services_page_is_up_to_date() -> None:
    assert PAGE.read_text() == render(), "stale: run `python -m tests.docs.services_index`"
