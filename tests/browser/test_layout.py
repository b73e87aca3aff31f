"""Layout seen in Chromium: every public page type and the admin brief form at a phone's, a tablet's
and a desktop's width — no sideways scrolling, no stretched text controls, nothing over the header,
the content in the masthead's column and the fact box where the design puts it."""

import pytest

from tests.browser import layout

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (375, 768, 1366)


def open_at(new_page, width, path):
    watched = new_page(viewport={"width": width, "height": 900})
    response = watched.goto(path)
    assert response.status == 200, path
    return watched


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_results_page_lays_out_in_the_site_column(new_page, demo_brief, width):
    page = open_at(new_page, width, "/search/?q=amazon").page
    problems = (
        layout.overflow_problems(page)
        + layout.tall_control_problems(page)
        + layout.header_overlap_problems(page)
        + layout.column_problems(page, "#search-heading")
    )
    assert problems == []
    # The result count and the sort links read across the column, not squeezed into a sliver of it.
    heading = layout.box(page, "#search-heading")
    for selector in (".search-summary", ".search-sort", "#search-q"):
        assert layout.box(page, selector)["width"] >= 0.5 * (width - 2 * heading["x"]), selector
