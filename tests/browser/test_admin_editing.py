"""The brief form in Chromium, as an editor uses it: a workflow button keeps what was typed, leaving
with unsaved changes asks first, the source key fills itself until the editor types one, the body
shows line numbers as the errors count them, long diff lines wrap; screenshots at 1366 px."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model

from briefs.models import Brief, BriefRevision
from briefs.services.saving import save_brief
from tests.committing import as_committed
from tests.factories import make_brief

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-9417"
DESKTOP = {"width": 1366, "height": 900}


def assert_clean(watched, where):
    assert watched.csp_violations() == [], f"CSP violations on {where}"
    assert watched.page_errors == [], f"uncaught errors on {where}"
    assert watched.console_errors == [], f"console errors on {where}"


@pytest.fixture
def editor_page(new_page):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    watched = new_page(viewport=DESKTOP)
    watched.goto("/admin/login/")
    watched.page.fill("#id_username", user.username)
    watched.page.fill("#id_password", PASSWORD)
    watched.page.click("input[type=submit]")
    watched.page.wait_for_url(re.compile(r"/admin/$"))
    return watched


def open_brief(watched, brief):
    response = watched.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    assert response.status == 200
    watched.page.locator("#id_body").wait_for()
    return watched.page


def type_at_end_of_body(page, text):
    body = page.locator("#id_body")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)  # real key presses: the page has had a user's input


def test_submit_for_review_keeps_the_text_just_typed(editor_page):
    brief = make_brief("The first paragraph.", published=False, title="A draft about a deal")
    page = open_brief(editor_page, brief)
    type_at_end_of_body(page, " Typed just before submitting.")
    page.locator('button[name="transition"][value="submit"]').click()
    page.wait_for_load_state("load")
    page.locator(".messagelist").wait_for()
    assert "is now in review" in page.locator(".messagelist").inner_text()
    assert editor_page.dialogs == []  # the form's own submit never asks
    saved = Brief.objects.get(pk=brief.pk)
    assert saved.status == "in_review"
    assert saved.body == "The first paragraph. Typed just before submitting."
    assert page.locator("#id_body").input_value() == saved.body
    assert_clean(editor_page, "the brief form after submitting")


def test_a_workflow_button_with_a_broken_body_keeps_the_text_and_moves_nothing(editor_page):
    brief = make_brief("The first paragraph.", published=False)
    page = open_brief(editor_page, brief)
    type_at_end_of_body(page, " [Zoom](party:zoom) too.")
    page.locator('button[name="transition"][value="submit"]').click()
    page.locator(".errornote").wait_for()
    assert "party:zoom: no party has the slug zoom" in page.locator(".field-body .errorlist").inner_text()
    assert page.locator("#id_body").input_value().endswith("[Zoom](party:zoom) too.")
    assert "Not done: “Submit for review” saves your changes first" in page.locator(".messagelist").inner_text()
    assert Brief.objects.get(pk=brief.pk).status == "draft"


def test_leaving_with_unsaved_changes_asks_first(editor_page):
    brief = make_brief("The first paragraph.", published=False)
    page = open_brief(editor_page, brief)
    change_url = page.url
    type_at_end_of_body(page, " An edit not saved yet.")
    page.locator("div.breadcrumbs a").first.click()  # the editor wanders off; the dialog is dismissed
    page.wait_for_timeout(300)
    assert [d for d in editor_page.dialogs if d.startswith("beforeunload")], editor_page.dialogs
    assert page.url == change_url and page.locator("#id_body").input_value().endswith("An edit not saved yet.")

    # Undoing the edit by hand leaves nothing unsaved: no question.
    editor_page.dialogs.clear()
    page.locator("#id_body").click()
    page.keyboard.press("Control+End")
    for _ in " An edit not saved yet.":
        page.keyboard.press("Backspace")
    assert page.locator("#id_body").input_value() == "The first paragraph."
    page.locator("div.breadcrumbs a").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert editor_page.dialogs == []


def test_an_untouched_form_leaves_without_a_question(editor_page):
    brief = make_brief("The first paragraph.", published=False)
    page = open_brief(editor_page, brief)
    page.locator("#id_body").click()  # focus is not a change
    page.locator("div.breadcrumbs a").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert editor_page.dialogs == []


def test_the_source_key_fills_itself_until_the_editor_types_one(editor_page):
    page = editor_page.page
    editor_page.goto("/admin/briefs/source/add/")
    key = page.locator("#id_key")
    page.locator("#id_title").type("Amazon and Anthropic deepen their shared commitment to advancing generative AI")
    assert key.input_value() == "amazon-and-anthropic-deepen"
    page.locator("#id_publisher").type("About Amazon")
    page.locator("#id_published_on").fill("")
    page.locator("#id_published_on").type("2024-03-27")
    assert key.input_value() == "about-amazon-2024-03-27"
    # The editor's own key is never rewritten, whatever they type elsewhere afterwards.
    key.click()
    page.keyboard.press("End")
    page.keyboard.type("-deal")
    page.locator("#id_title").click()
    page.keyboard.type(" again")
    assert key.input_value() == "about-amazon-2024-03-27-deal"
    offer = page.locator(".briefs-key-suggestion")
    assert offer.is_visible() and offer.inner_text() == "Use the short key about-amazon-2024-03-27"
    offer.click()
    assert key.input_value() == "about-amazon-2024-03-27"
    assert_clean(editor_page, "the source form")


def test_the_body_shows_line_numbers_level_with_the_lines_the_errors_count(editor_page, screenshot_dir):
    long_line = "A long first paragraph that wraps over several rows of the editor. " * 8
    brief = make_brief(f"{long_line}\nSecond line.\n\nFourth line.", published=False)
    page = open_brief(editor_page, brief)
    gutter = page.locator(".briefs-gutter span")
    assert gutter.all_inner_texts() == ["1", "2", "3", "4"]
    line_height = float(page.locator("#id_body").evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    tops = [box["y"] for box in (gutter.nth(i).bounding_box() for i in range(4))]
    assert tops[1] - tops[0] > 2.5 * line_height  # line 1 wraps: line 2's number waits for it
    assert abs((tops[3] - tops[2]) - line_height) < 1  # unwrapped lines: one row each
    # The first row of the text and number 1 are level.
    text_top = page.locator("#id_body").evaluate(
        "el => el.getBoundingClientRect().top + el.clientTop + parseFloat(getComputedStyle(el).paddingTop)"
    )
    assert abs(tops[0] - text_top) < 1
    type_at_end_of_body(page, "\nFifth line.")
    page.wait_for_timeout(100)
    assert gutter.all_inner_texts() == ["1", "2", "3", "4", "5"]
    assert page.locator("#briefs-presence").is_hidden()  # nobody else here: no empty bar
    page.locator(".briefs-workflow").screenshot(path=str(screenshot_dir / "admin-brief-draft-workflow-1366.png"))
    assert_clean(editor_page, "the brief form")
    assert editor_page.axe() == []


def test_a_long_line_in_a_revision_diff_wraps(editor_page):
    brief = make_brief("Short.", published=False)
    with as_committed():
        brief.body = "Now a very long line " + "with-an-unbreakable-url-like-token-" * 12 + " and more words " * 30
        save_brief(brief, comment="Longer.")
    meta = BriefRevision.objects.filter(brief=brief).order_by("-pk").first()
    response = editor_page.goto(f"/admin/briefs/brief/{brief.pk}/revisions/{meta.pk}/")
    assert response.status == 200
    page = editor_page.page
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    box = page.locator(".briefs-diff-body").first.bounding_box()
    assert box["width"] <= page.viewport_size["width"]


def test_the_preview_has_a_way_back_to_editing(editor_page):
    brief = make_brief("Draft words.", published=False)
    page = open_brief(editor_page, brief)
    type_at_end_of_body(page, " And more.")
    page.locator('input[name="_preview"]').first.click()
    page.wait_for_url(re.compile(r"/preview/$"))
    page.locator("a.preview-edit").click()
    page.wait_for_url(re.compile(rf"/admin/briefs/brief/{brief.pk}/change/$"))
    assert page.locator("#id_body").input_value() == "Draft words. And more."
    assert editor_page.dialogs == []


def test_screenshots_of_the_brief_form_at_1366(editor_page, demo_brief, screenshot_dir):
    page = open_brief(editor_page, demo_brief)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(screenshot_dir / "admin-brief-form-1366.png"), full_page=False)
    page.screenshot(path=str(screenshot_dir / "admin-brief-form-1366-full.png"), full_page=True)
    page.locator(".briefs-workflow").screenshot(path=str(screenshot_dir / "admin-brief-workflow-1366.png"))
    page.locator(".field-body").screenshot(path=str(screenshot_dir / "admin-brief-body-1366.png"))
    assert_clean(editor_page, "the demo brief's form")


def test_screenshot_of_a_source_form(editor_page, screenshot_dir):
    editor_page.goto("/admin/briefs/source/add/")
    page = editor_page.page
    page.locator("#id_title").type("Amazon to invest up to $4B in Anthropic")
    page.locator("#id_publisher").type("TechCrunch")
    page.locator("#id_published_on").type(datetime.date(2023, 9, 25).isoformat())
    page.screenshot(path=str(screenshot_dir / "admin-source-form-1366.png"))
