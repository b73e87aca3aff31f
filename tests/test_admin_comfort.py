"""Editing comfort in the admin: lookups find what they display, quote labels end on a word, a
default currency, the body's line numbers, diffs that wrap, a preview with a way back, and the
Workflow box's History link."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from briefs.labels import shorten
from briefs.models import Deal

from .factories import make_brief, make_party, make_quote, make_source
from .test_admin_briefs import change_url

pytestmark = pytest.mark.django_db


def autocomplete(client, model, field, term):
    """What the brief form's autocomplete for `model`.`field` offers for `term`."""
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "briefs", "model_name": model, "field_name": field},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_source_lookup_finds_a_source_by_the_label_it_shows(admin_client):
    make_source(title="Amazon to invest up to $4B in Anthropic", publisher="TechCrunch", key="techcrunch-2023-09-25")
    make_source(title="Amazon and Anthropic", publisher="Reuters", key="reuters-2023-09-25")
    assert autocomplete(admin_client, "briefsource", "source", "TechCrunch: Amazon") == [
        "TechCrunch: Amazon to invest up to $4B in Anthropic"
    ]
    # Words typed in any order still work as before.
    assert autocomplete(admin_client, "briefsource", "source", "anthropic reuters") == ["Reuters: Amazon and Anthropic"]


def test_the_quote_lookup_finds_a_quote_by_its_shortened_label(admin_client):
    jassy = make_party(name="Andy Jassy", slug="andy-jassy", kind="person")
    quote = make_quote(
        key="jassy-bedrock",
        speaker=jassy,
        text="Customers are quite excited about Amazon Bedrock, our new managed service that enables companies",
    )
    label = str(quote)
    assert autocomplete(admin_client, "briefquote", "quote", label) == [label]
    assert autocomplete(admin_client, "briefquote", "quote", "Andy Jassy: Customers are") == [label]


def test_the_source_change_list_search_finds_the_displayed_label(admin_client):
    make_source(title="Amazon to invest up to $4B in Anthropic", publisher="TechCrunch")
    page = admin_client.get(reverse("admin:briefs_source_changelist"), {"q": "TechCrunch: Amazon to"})
    assert page.context["cl"].result_count == 1


def test_a_quote_label_is_not_cut_mid_word():
    jassy = make_party(name="Andy Jassy", slug="andy-jassy", kind="person")
    quote = make_quote(
        speaker=jassy,
        text="Customers are quite excited about Amazon Bedrock, our new managed service that enables companies",
    )
    assert str(quote) == "Andy Jassy: Customers are quite excited about Amazon Bedrock, our new…"


@given(st.text(max_size=400), st.integers(min_value=2, max_value=120))
def test_shorten_keeps_whole_words_within_the_limit(text, limit):
    short = shorten(text, limit)
    assert len(short) <= limit
    words = text.split()
    if len(" ".join(words)) <= limit:
        assert short == " ".join(words)
    elif short.endswith("…") and " " in short:
        kept = short[:-1].split()
        # Every kept word but the last is whole; the last is whole unless it is a single over-long word.
        assert kept[:-1] == words[: len(kept) - 1]
        assert words[len(kept) - 1].startswith(kept[-1])
        assert words[len(kept) - 1].rstrip(" ,;:.-–—") == kept[-1] or len(kept) == 1


@override_settings(DEFAULT_CURRENCY="USD")
def test_deal_forms_start_with_the_default_currency_and_an_untouched_row_saves_nothing(admin_client):
    page = admin_client.get(reverse("admin:briefs_deal_add")).content.decode()
    for name in ("currency", "participants-0-currency", "stages-0-currency", "figures-0-currency"):
        select = re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.S).group(0)
        assert '<option value="USD" selected>' in select, name


@override_settings(DEFAULT_CURRENCY="EUR")
def test_the_default_currency_is_a_setting(admin_client):
    page = admin_client.get(reverse("admin:briefs_deal_add")).content.decode()
    select = re.search(r'<select name="figures-0-currency"[^>]*>.*?</select>', page, re.S).group(0)
    assert '<option value="EUR" selected>' in select


def test_an_untouched_extra_row_with_the_default_currency_is_not_saved(admin_client):
    from .test_admin_deals import deal_data

    response = admin_client.post(
        reverse("admin:briefs_deal_add"),
        {
            **deal_data(),
            "participants-TOTAL_FORMS": "1",
            "participants-0-currency": "USD",
            "participants-0-role": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not Deal.objects.get().participants.exists()


def test_the_body_editor_loads_its_line_numbers_and_the_leave_guard(admin_client):
    brief = make_brief("One.\nTwo.", published=False)
    page = admin_client.get(change_url(brief)).content.decode()
    assert "briefs_admin/line_numbers.js" in page and "briefs_admin/unsaved_guard.js" in page
    assert "<script>" not in page.split("</head>")[0]  # no inline script: the CSP stays strict


def test_the_revision_pages_style_their_diffs_so_long_lines_wrap(admin_client):
    brief = make_brief("Text.", published=False)
    for url in (reverse("admin:briefs_brief_history", args=[brief.pk]),):
        page = admin_client.get(url).content.decode()
        assert "briefs_admin/brief_admin.css" in page
    from briefs.models import BriefRevision

    meta = BriefRevision.objects.filter(brief=brief).first()
    page = admin_client.get(reverse("admin:briefs_brief_revision", args=[brief.pk, meta.pk])).content.decode()
    assert "briefs_admin/brief_admin.css" in page


def test_the_staff_preview_links_back_to_editing(admin_client):
    brief = make_brief("Draft text.", published=False)
    page = admin_client.get(reverse("briefs:preview", kwargs={"pk": brief.pk})).content.decode()
    assert f'<a class="preview-edit" href="{change_url(brief)}">Back to editing</a>' in page


def test_the_shared_preview_has_no_way_into_the_admin(client):
    from briefs.services import previews

    brief = make_brief("Draft text.", published=False)
    page = client.get(previews.preview_path(brief)).content.decode()
    assert "Back to editing" not in page and "/admin/" not in page


def test_the_workflow_box_links_history_before_any_transition(admin_client):
    brief = make_brief("Text.", published=False)
    assert not brief.transitions.exists()
    page = admin_client.get(change_url(brief)).content.decode()
    box = re.search(r'<div class="module briefs-workflow".*?</div>\s*</div>', page, re.S).group(0)
    assert f'href="{reverse("admin:briefs_brief_history", args=[brief.pk])}"' in box
