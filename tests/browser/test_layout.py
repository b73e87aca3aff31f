"""Layout seen in Chromium: every public page type and the admin brief form at a phone's, a tablet's
and a desktop's width — no sideways scrolling, no stretched text controls, nothing over the header,
the content in the masthead's column and the fact box where the design puts it."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.browser import baselines, layout
from tests.browser.conftest import DEMO_URL

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


FROZEN_AT = datetime.datetime(2024, 6, 3, 9, 0, tzinfo=datetime.UTC)

# The page types (path or how to find it) and the element that holds the page's own content.
PAGES = {
    "home": ("/", ".section-head"),
    "brief": (DEMO_URL, ".brief-head"),
    "deal": ("deal", ".wrap"),
    "party": ("/parties/amazon/", ".profile-head"),
    "source": ("/sources/techcrunch-2023-09-25/", ".profile-head"),
    "search-results": ("/search/?q=amazon", "#search-heading"),
    "search-none": ("/search/?q=%22no+such+thing%22", "#search-heading"),
    "search-did-you-mean": ("/search/?q=antropic", "#search-heading"),
    "api-docs": ("/api/schema/redoc/", None),
}


@pytest.fixture
def frozen_demo(db):
    """The demo content made at a fixed moment, and the clock held there while pages render, so
    every date a page shows is the same on every run."""
    with time_machine.travel(FROZEN_AT, tick=False):
        from briefs.demo.loader import load_demo
        from tests.committing import as_committed

        with as_committed():
            brief, _ = load_demo()
        yield brief


def settle(page):
    """Fonts loaded and nothing moving: the page as it will stay (the screenshots also stop
    animations and hide the caret)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    page.mouse.move(0, 0)
    page.wait_for_timeout(100)


def layout_problems(page, width, content_selector):
    problems = layout.overflow_problems(page) + layout.tall_control_problems(page)
    if content_selector is not None:
        problems += layout.header_overlap_problems(page) + layout.column_problems(page, content_selector)
    return problems


def fact_box_problems(page, width):
    """Beside the text on a wide screen (right column, level with it); below the story's first
    paragraph on a narrower one."""
    facts = layout.box(page, ".fact-box")
    first_paragraph = layout.box(page, ".brief-body p")
    main = layout.box(page, ".brief-body")
    if width >= 960:
        if not (facts["x"] >= main["x"] + main["width"] and abs(facts["y"] - main["y"]) < 40):
            return [f"fact box at {facts}, the text at {main}: not beside it"]
    elif facts["y"] < first_paragraph["y"] + first_paragraph["height"]:
        return [f"fact box at y={facts['y']:.0f} comes before the first paragraph (y={first_paragraph['y']:.0f})"]
    return []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_public_pages_lay_out_as_designed_and_match_their_screenshots(new_page, frozen_demo, name, width):
    path, content = PAGES[name]
    if path == "deal":
        path = frozen_demo.deal_link.deal.get_absolute_url()
    watched = open_at(new_page, width, path)
    page = watched.page
    if name == "api-docs":
        page.wait_for_load_state("networkidle")
    settle(page)
    problems = layout_problems(page, width, content)
    if name == "brief":
        problems += fact_box_problems(page, width)
    assert problems == [], f"{name} at {width} px"
    if name != "api-docs":  # Redoc draws itself with scripts and timers of its own
        difference = baselines.compare(
            f"{name}-{width}", page.screenshot(full_page=True, animations="disabled", caret="hide")
        )
        assert difference is None, difference


@pytest.fixture
def editor_page(new_page, frozen_demo):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-test-password-9417")
    watched = new_page()
    watched.goto("/admin/login/")
    watched.page.fill("#id_username", user.username)
    watched.page.fill("#id_password", "a-long-test-password-9417")
    watched.page.click("input[type=submit]")
    watched.page.wait_for_url(re.compile(r"/admin/$"))
    return watched


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_brief_form_lays_out_at_every_width(editor_page, frozen_demo, width):
    page = editor_page.page
    page.set_viewport_size({"width": width, "height": 900})
    assert editor_page.goto(f"/admin/briefs/brief/{frozen_demo.pk}/change/").status == 200
    page.locator("#id_title").wait_for()
    settle(page)
    problems = layout.overflow_problems(page) + layout.tall_control_problems(page)
    assert problems == [], f"admin brief form at {width} px: {problems}"


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 375, "height": 740}])
def test_an_open_card_covers_none_of_the_highlights_after_it(new_page, demo_brief, viewport):
    watched = new_page(viewport=viewport)
    watched.goto(DEMO_URL)
    page = watched.page
    highlights = page.locator(".brief-body a.anno")
    covered = []
    for index in range(min(highlights.count(), 12)):
        anno = highlights.nth(index)
        anno.evaluate("el => el.scrollIntoView({block: 'center'})")
        anno.hover()
        card = page.locator("#anno-card")
        card.wait_for(state="visible")
        covered += page.evaluate(
            """(index) => {
                const card = document.querySelector('#anno-card').getBoundingClientRect();
                const overlaps = r => r.left < card.right && r.right > card.left && r.top < card.bottom && r.bottom > card.top;
                return Array.from(document.querySelectorAll('.brief-body a.anno'))
                    .filter((el, i) => i > index && Array.from(el.getClientRects()).some(overlaps))
                    .map(el => `card of #${index} covers ${el.getAttribute('data-ref')}`);
            }""",
            index,
        )
        page.keyboard.press("Escape")
        card.wait_for(state="hidden")
    assert covered == []
