"""The reader's page in Chromium: cards by hover, keyboard and touch; footnotes without JavaScript;
the search box; a 375-px screen; no CSP violation; axe-core finds nothing serious; screenshots."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.browser.conftest import DEMO_URL

pytestmark = pytest.mark.django_db(transaction=True)

CARD = "#anno-card"


@pytest.fixture
def demo_deal(demo_brief):
    """The deal the demo brief is about; the demo's completion brief is its second brief, so the page
    shows its fact box and "More on this deal"."""
    return demo_brief.deal_link.deal


def assert_clean(watched, where):
    assert watched.csp_violations() == [], f"CSP violations on {where}"
    assert watched.page_errors == [], f"uncaught errors on {where}"
    assert watched.console_errors == [], f"console errors on {where}"


def test_the_demo_brief_renders(new_page, demo_brief, demo_deal):
    watched = new_page()
    response = watched.goto(DEMO_URL)
    page = watched.page
    assert response.status == 200
    assert page.locator("h1#brief-title").inner_text() == demo_brief.title
    assert page.locator(".fact-box").is_visible()
    assert page.locator(f'.fact-deal a[href="{demo_deal.get_absolute_url()}"]').count() >= 1
    assert page.locator("#same-deal li").count() == 1
    assert page.locator(".brief-body a.anno").count() >= 10
    assert page.locator("#sources .source-entry").count() >= 3
    # The stylesheet loaded and applied (the highlights are tinted, not plain links).
    background = page.locator(".brief-body a.anno-party").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert_clean(watched, "the brief page")


def test_hovering_a_highlight_shows_its_card_and_escape_closes_it(new_page, demo_brief):
    watched = new_page()
    watched.goto(DEMO_URL)
    page = watched.page
    anno = page.locator('.brief-body a.anno[data-ref="party:anthropic"]').first
    anno.hover()
    card = page.locator(CARD)
    card.wait_for(state="visible")
    assert "Anthropic" in card.inner_text() and "Party profile" in card.inner_text()
    assert anno.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert anno.get_attribute("aria-expanded") == "false"
    # A source highlight shows the citation with its link.
    page.locator(".brief-body a.anno-source").first.hover()
    card.wait_for(state="visible")
    assert card.locator("cite a").count() == 1 and "Go to footnote" in card.inner_text()
    # Moving the mouse away closes it.
    page.mouse.move(5, 5)
    card.wait_for(state="hidden")
    assert_clean(watched, "the brief page (hover)")


def test_tabbing_to_a_highlight_shows_its_card_and_escape_returns_focus(new_page, demo_brief):
    watched = new_page()
    watched.goto(DEMO_URL)
    page = watched.page
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.brief-body a.anno')"):
            break
    else:
        pytest.fail("Tab never reached a highlight in the brief body")
    ref = page.evaluate("document.activeElement.getAttribute('data-ref')")
    card = page.locator(CARD)
    card.wait_for(state="visible")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    # The card follows the highlight in the tab order: Tab moves into its links.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('anno-card').contains(document.activeElement)")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('data-ref')") == ref
    assert_clean(watched, "the brief page (keyboard)")


def test_tapping_a_highlight_shows_its_card_and_a_second_tap_follows_it(new_page, demo_brief):
    watched = new_page(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, device_scale_factor=2)
    watched.goto(DEMO_URL)
    page = watched.page
    anno = page.locator('.brief-body a.anno[data-ref="party:amazon"]').first
    anno.tap()
    card = page.locator(CARD)
    card.wait_for(state="visible")
    assert "Amazon" in card.inner_text()
    assert page.url.endswith(DEMO_URL), "the first tap must not navigate"
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, "the card stays on a narrow screen"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    anno.tap()
    card.wait_for(state="visible")
    anno.tap()
    page.wait_for_url(re.compile(r"/parties/amazon/$"))
    assert_clean(watched, "the brief page (touch)")


def test_without_javascript_citations_are_footnotes(new_page, demo_brief):
    watched = new_page(java_script_enabled=False)
    watched.goto(DEMO_URL)
    page = watched.page
    citation = page.locator(".brief-body a.anno-source").first
    marker = citation.locator("sup.cite-ref").inner_text()
    number = marker.strip("[]")
    assert citation.get_attribute("href") == f"#source-{number}"
    citation.click()
    assert page.url.endswith(f"#source-{number}")
    note = page.locator(f"#source-{number}")
    assert note.is_visible() and note.evaluate("el => el.closest('ol.source-list') !== null")
    assert note.get_attribute("value") == number
    assert page.locator(CARD).count() == 0
    # Party highlights are plain links to the party page.
    assert page.locator('.brief-body a.anno[data-ref="party:amazon"]').first.get_attribute("href") == "/parties/amazon/"


def test_the_search_box_submits_to_the_search_page(new_page, demo_brief):
    watched = new_page()
    watched.goto("/")
    page = watched.page
    page.get_by_role("searchbox", name="Search briefs").fill("anthropic")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=anthropic$"))
    # The search page finds the demo brief and keeps the query in the box.
    assert page.get_by_role("link", name=demo_brief.title).first.is_visible()
    assert page.locator("#site-search").input_value() == "anthropic"
    assert watched.axe() == []
    assert_clean(watched, "the search page")


def test_nothing_overflows_a_375_pixel_screen(new_page, demo_brief, demo_deal, screenshot_dir):
    watched = new_page(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    for name, path in (
        ("home", "/"),
        ("brief", DEMO_URL),
        ("deal", demo_deal.get_absolute_url()),
        ("party", "/parties/amazon/"),
        ("person", "/parties/andy-jassy/"),
        ("source", "/sources/techcrunch-2023-09-25/"),
    ):
        assert watched.goto(path).status == 200, path
        page = watched.page
        widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert max(widths[:2]) <= widths[2], f"{path} scrolls sideways at 375 px: {widths}"
        sticking_out = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(el => { const r = el.getBoundingClientRect(); return r.width && (r.right > window.innerWidth + 1 || r.left < -1); })
            .filter(el => !el.closest('.visually-hidden, .skip-link'))
            .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))
            .slice(0, 10)""")
        assert sticking_out == [], f"{path}: elements past the right edge at 375 px"
        if name == "brief":
            page.screenshot(path=str(screenshot_dir / "brief-375.png"), full_page=True)
            page.screenshot(path=str(screenshot_dir / "brief-375-first-screen.png"))
        assert_clean(watched, path)


def add_deal_history(demo_brief):
    """A year of other deals around the demo parties, so the charts have something to show."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from briefs.models import Party
    from tests.factories import make_brief, make_party

    amazon = Party.objects.get(slug="amazon")
    for n in range(14):
        day = datetime.date(2022, 10, 1) + datetime.timedelta(days=27 * n)
        other = make_party(name=f"Example Robotics {n + 1}", slug=f"example-robotics-{n + 1}")
        amount = None if n % 5 == 3 else Decimal(10 ** (6 + n % 4)) * (n % 3 + 1)
        make_brief(
            title=f"Amazon {'acquires' if n % 4 == 1 else 'backs'} Example Robotics {n + 1}",
            slug=f"history-{n}",
            announced_on=day,
            published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
            amount=amount,
            amount_disclosure="disclosed" if amount else "undisclosed",
            currency="USD" if amount else "",
            deal_type="acquisition" if n % 4 == 1 else "investment",
            parties=[(amazon, "acquirer" if n % 4 == 1 else "investor"), (other, "target")]
            if n % 6 != 5
            else [(other, "investor"), (amazon, "target")],
        )


def test_screenshots_of_home_brief_and_party(new_page, demo_brief, screenshot_dir):
    add_deal_history(demo_brief)
    watched = new_page()
    for name, path in (("home", "/"), ("brief-desktop", DEMO_URL), ("party", "/parties/amazon/")):
        assert watched.goto(path).status == 200
        watched.page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
        assert_clean(watched, path)
    for name in ("home", "brief-desktop", "party"):
        assert (screenshot_dir / f"{name}.png").stat().st_size > 10_000
    # The charts are there, with their text alternatives.
    watched.goto("/parties/amazon/")
    assert watched.page.locator("figure.chart svg[role=img] circle.point").count() >= 10
    assert watched.page.get_by_role("img", name="Amazon: deals over time").is_visible()
    assert watched.axe() == []
    watched.goto("/")
    assert watched.page.locator("figure.chart svg[role=img] rect.bar").count() >= 10
    assert watched.axe() == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        DEMO_URL,
        "/parties/amazon/",
        "/parties/andy-jassy/",
        "/sources/techcrunch-2023-09-25/",
        "/search/?q=amazon",
        "/search/?q=antropic",
        "/search/?q=%22no+such+thing%22",
        "deal page",
    ],
)
def test_public_pages_have_no_serious_accessibility_violation_or_csp_report(new_page, demo_brief, demo_deal, path):
    path = demo_deal.get_absolute_url() if path == "deal page" else path
    watched = new_page()
    assert watched.goto(path).status == 200
    assert watched.axe() == []
    assert_clean(watched, path)


def test_an_open_card_has_no_serious_accessibility_violation(new_page, demo_brief):
    watched = new_page()
    watched.goto(DEMO_URL)
    watched.page.locator(".brief-body a.anno-quote").first.hover()
    watched.page.locator(CARD).wait_for(state="visible")
    assert watched.axe() == []


@pytest.fixture
def admin_page(new_page, demo_brief):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-test-password-9417")
    watched = new_page()
    response = watched.goto("/admin/login/")
    assert response.status == 200
    assert_clean(watched, "the admin login page")
    assert watched.axe() == []
    watched.page.fill("#id_username", user.username)
    watched.page.fill("#id_password", "a-long-test-password-9417")
    watched.page.click("input[type=submit]")
    watched.page.wait_for_url(re.compile(r"/admin/$"))
    return watched


def test_the_admin_brief_form_satisfies_the_csp_and_axe(admin_page, demo_brief):
    response = admin_page.goto(f"/admin/briefs/brief/{demo_brief.pk}/change/")
    assert response.status == 200 and "script-src 'self'" in response.headers["content-security-policy"]
    page = admin_page.page
    page.locator("#id_title").wait_for()
    # Exercise the scripts that build markup at run time: an autocomplete and a new inline row.
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").first.wait_for()
    page.keyboard.press("Escape")
    add_row = page.locator(".add-row a").first
    if add_row.count():
        add_row.click()
    assert_clean(admin_page, "the admin brief change form")
    assert admin_page.axe() == []


@pytest.mark.parametrize("path", ["/api/schema/swagger-ui/", "/api/schema/redoc/", "/api/v1/briefs/"])
def test_api_documentation_pages_satisfy_the_csp(new_page, demo_brief, path):
    watched = new_page()
    response = watched.goto(path)
    assert response.status == 200
    watched.page.wait_for_load_state("networkidle")
    # Redoc's sidebar credit loads its logo from Redocly's CDN: the policy blocks that fetch (no
    # third-party requests), which is the policy working; nothing else may be reported.
    cdn_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    violations = [v for v in watched.csp_violations() if cdn_logo not in v]
    errors = [e for e in watched.console_errors if cdn_logo not in e]
    assert violations == [] and errors == [] and watched.page_errors == [], (violations, errors, watched.page_errors)
    assert "script-src 'self';" in response.headers["content-security-policy"]
