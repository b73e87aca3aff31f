"""The deals table, a league table and a party's co-investors in Chromium at 375 and 1366 px: no
sideways scrolling, no CSP violation or script error, axe-core finds nothing serious, the table's
filters and sort links work without JavaScript; screenshots in artifacts/screenshots."""

import pytest

from tests.browser.test_reader_page import add_deal_history, assert_clean
from tests.deal_market import build_market

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (375, 1366)
PAGES = (
    ("deals", "/deals/"),
    ("league", "/deals/league/"),
    ("co-investors", "/parties/acme/"),
)


@pytest.fixture
def market(demo_brief):
    add_deal_history(demo_brief)
    return build_market()


def overflow(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    return max(widths[:2]) - widths[2]


@pytest.mark.parametrize("width", WIDTHS)
def test_deals_league_and_co_investors_fit_the_screen_and_pass_axe(new_page, market, screenshot_dir, width):
    watched = new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    for name, path in PAGES:
        assert watched.goto(path).status == 200, path
        page = watched.page
        assert overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
        if name == "deals":  # the first rows, as a reader scrolls to them
            top = page.locator(".table-head").bounding_box()["y"]
            clip = {"x": 0, "y": top, "width": width, "height": 900}
            page.screenshot(path=str(screenshot_dir / f"deals-rows-{width}.png"), full_page=True, clip=clip)
        assert watched.axe() == [], path
        assert_clean(watched, f"{path} at {width} px")
    watched.goto("/parties/acme/")
    assert watched.page.get_by_role("img", name="Acme Capital: co-investors").is_visible()
    assert watched.page.locator(".co-investor-table tbody tr").count() == 2


def test_filters_and_sorting_work_without_javascript(new_page, market, screenshot_dir):
    watched = new_page(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    watched.goto("/deals/")
    page = watched.page
    page.select_option("#f-type", "funding_round")
    page.click(".filter-actions button")
    page.wait_for_url("**/deals/?*deal_type=funding_round*")
    slugs = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.deal)")
    assert slugs == ["round-b", "anthropic-series-c", "round-a"]
    page.click("thead a:has-text('USD')")
    assert page.locator("th[aria-sort='descending'] a:has-text('USD')").count() == 1
    assert page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.deal)") == [
        "anthropic-series-c",
        "round-b",
        "round-a",
    ]
    page.screenshot(path=str(screenshot_dir / "deals-filtered-1366.png"), full_page=True)
    page.click("a:has-text('League tables')")
    assert page.locator("#league-investor").is_visible()
