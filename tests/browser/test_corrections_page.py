"""A corrected brief in Chromium at a phone's and a desktop's width: the correction at the top and
at its passage, its card, the change log; nothing overflows, no CSP violation, axe-core finds
nothing serious; screenshots in artifacts/screenshots."""

import pytest

from briefs.models import Brief
from corrections.publishing import publish_correction
from tests.browser.conftest import DEMO_URL
from tests.browser.test_reader_page import assert_clean
from tests.committing import as_committed
from tests.workflow_helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def corrected_demo(demo_brief):
    editor = make_user("admin")
    with as_committed():
        publish_correction(
            demo_brief,
            editor,
            was="An earlier version of this brief said Anthropic had been an AWS customer since 2020.",
            text="Anthropic has been an AWS customer since 2021.",
            passage="an AWS customer since 2021",
        )
        publish_correction(
            Brief.objects.get(pk=demo_brief.pk),
            editor,
            kind="update",
            text="Amazon completed its $4 billion investment in March 2024, with a further $2.75 billion.",
        )
    return Brief.objects.get(pk=demo_brief.pk)


@pytest.mark.parametrize("width", [375, 1366])
def test_a_corrected_brief_reads_well_at_phone_and_desktop_widths(new_page, corrected_demo, screenshot_dir, width):
    watched = new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    response = watched.goto(DEMO_URL)
    page = watched.page
    assert response.status == 200
    box = page.locator(".corrections-box")
    assert box.is_visible()
    assert box.locator(".correction-entry").count() == 2
    passage = page.locator('.brief-body a.anno-correction[data-ref="correction:correction-1"]')
    assert passage.inner_text() == "an AWS customer since 2021"
    page.locator("#changes .change-log-list li").first.wait_for()
    assert page.locator("#changes .change-log-list li").count() == 3
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2], f"scrolls sideways at {width} px: {widths}"
    page.screenshot(path=str(screenshot_dir / f"brief-corrected-{width}-first-screen.png"))
    page.screenshot(path=str(screenshot_dir / f"brief-corrected-{width}.png"), full_page=True)
    # The passage's card is the correction's entry.
    passage.scroll_into_view_if_needed()
    passage.hover()
    card = page.locator("#anno-card")
    card.wait_for(state="visible")
    assert "AWS customer since 2021" in card.inner_text() and "Go to the correction" in card.inner_text()
    page.screenshot(path=str(screenshot_dir / f"brief-corrected-{width}-card.png"))
    assert watched.axe() == []
    assert_clean(watched, f"the corrected brief at {width} px")


def test_the_corrections_page_and_policy_read_well(new_page, corrected_demo, screenshot_dir):
    for width in (375, 1366):
        watched = new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
        watched.goto("/corrections/")
        page = watched.page
        assert page.locator(".corrections-index .correction-entry").count() == 2
        page.screenshot(path=str(screenshot_dir / f"corrections-{width}.png"), full_page=True)
        assert watched.axe() == []
        watched.goto("/corrections/policy/")
        assert watched.axe() == []
        assert_clean(watched, f"the corrections pages at {width} px")
