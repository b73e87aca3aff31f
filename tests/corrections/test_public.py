"""Where a correction appears for readers: the brief page (at the passage and at the top, with the
change log and the policy link), the deal page (old and new figure), the corrections page and its
feeds, the JSON-LD; and what a withdrawal leaves: 410 with when and why, while a draft's slug is 404."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from briefs.models import Brief
from briefs.services import workflow
from tests.committing import as_committed
from tests.deal_builders import brief_about, sourced_deal
from tests.workflow_helpers import make_user

from .helpers import corrected_brief

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def jsonld_of(response):
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S)
    return json.loads(match.group(1))


def test_the_brief_page_shows_the_correction_at_the_top_and_at_its_passage(client):
    brief, correction, _ = corrected_brief()
    html = client.get(brief.get_absolute_url()).content.decode()
    top = html.index('class="corrections-box"')
    body = html.index('id="brief-body"')
    assert top < body
    assert 'id="correction-correction-1"' in html and "It hired 140 people, not 160." in html
    tag = re.search(r'<a class="anno anno-correction"[^>]*data-ref="correction:correction-1"[^>]*>160 people</a>', html)
    assert tag and 'href="#correction-correction-1"' in tag.group(0)
    passage_id = re.search(r'id="(anno-\d+)"', tag.group(0)).group(1)
    assert f'href="#{passage_id}"' in html  # the top box leads to the passage
    assert 'id="changes"' in html and "Correction" in html[html.index('id="changes"') :]
    assert reverse("corrections:policy") in html


def test_every_brief_links_the_corrections_policy_and_names_it_in_its_jsonld(client):
    brief = brief_about(sourced_deal(), body="A brief with nothing to correct.")
    response = client.get(brief.get_absolute_url())
    assert reverse("corrections:policy").encode() in response.content
    data = jsonld_of(response)
    assert data["publishingPrinciples"].endswith(reverse("corrections:policy"))
    assert data["correctionsPolicy"].endswith(reverse("corrections:policy") + "#corrections")
    assert "correction" not in data


def test_the_jsonld_carries_the_correction_as_a_correction_comment(client):
    brief, correction, _ = corrected_brief()
    data = jsonld_of(client.get(brief.get_absolute_url()))
    (comment,) = data["correction"]
    assert comment["@type"] == "CorrectionComment"
    assert comment["text"] == correction.text
    assert comment["datePublished"] == correction.published_at.isoformat() == data["dateModified"]
    assert comment["url"].endswith(f"{brief.get_absolute_url()}#correction-correction-1")


def test_a_corrected_deal_figure_shows_the_old_and_the_new_figure_on_the_deal(client):
    brief, correction, _ = corrected_brief(figure_amount=Decimal("1500000000.00"))
    deal_html = client.get(correction.deal.get_absolute_url()).content.decode()
    row = deal_html[deal_html.index("deal-figures") :]
    assert "$1.5 billion" in row and "<del>" in row and "$1.25 billion" in row
    brief_html = client.get(brief.get_absolute_url()).content.decode()
    assert "$1.25 billion</del>" in brief_html and "$1.5 billion</ins>" in brief_html


def test_the_corrections_page_and_feeds_list_corrections_newest_first(client):
    brief, first, editor = corrected_brief()
    from corrections.publishing import publish_correction

    with as_committed():
        second = publish_correction(brief, editor, kind="update", text="The round closed in June.")
    html = client.get(reverse("corrections:list")).content.decode()
    assert html.index(second.text) < html.index(first.text)
    rss = ET.fromstring(client.get(reverse("corrections:feed-rss")).content)
    items = rss.findall("./channel/item")
    assert [item.findtext("title") for item in items] == [f"Update: {brief.title}", f"Correction: {brief.title}"]
    assert items[1].findtext("link").endswith(f"{brief.get_absolute_url()}#correction-correction-1")
    atom = ET.fromstring(client.get(reverse("corrections:feed-atom")).content)
    assert len(atom.findall(f"{ATOM}entry")) == 2


def test_a_withdrawn_brief_leaves_the_corrections_page_and_feeds(client):
    brief, correction, editor = corrected_brief()
    with as_committed():
        workflow.withdraw(brief, make_user("Editor"), comment="The deal was never agreed.")
    assert correction.text.encode() not in client.get(reverse("corrections:list")).content
    assert correction.text.encode() not in client.get(reverse("corrections:feed-rss")).content


def test_a_withdrawn_once_published_brief_is_gone_with_when_and_why(client):
    brief = brief_about(sourced_deal(), body="A brief.", slug="was-public")
    with as_committed():
        workflow.withdraw(brief, make_user("Editor"), comment="The deal was never agreed.")
    response = client.get("/briefs/was-public/")
    assert response.status_code == 410
    assert b"The deal was never agreed." in response.content
    assert Brief.objects.get(pk=brief.pk).withdrawn_at.strftime("%-d %B %Y").encode() in response.content
    rss = client.get(reverse("briefs:feed-rss")).content
    assert b"was-public" not in rss


def test_a_slug_that_was_never_public_is_404(client):
    brief_about(sourced_deal(), body="A draft.", slug="a-draft", published=False)
    assert client.get("/briefs/a-draft/").status_code == 404
    assert client.get("/briefs/never-used/").status_code == 404


def test_a_brief_withdrawn_before_it_went_live_or_redrafted_since_is_404(client):
    editor = make_user("Editor")
    brief = brief_about(sourced_deal(), body="A brief.", slug="redrafted")
    with as_committed():
        workflow.withdraw(brief, editor, comment="Wrong.")
        workflow.redraft(Brief.objects.get(pk=brief.pk), editor)
    assert client.get("/briefs/redrafted/").status_code == 404
    assert not Brief.objects.gone().exists()


@pytest.mark.parametrize("corrections", [1, 6])
def test_the_brief_page_reads_its_corrections_in_constant_queries(client, corrections, django_assert_max_num_queries):
    brief, _, editor = corrected_brief()
    from corrections.publishing import publish_correction

    for n in range(corrections - 1):
        publish_correction(brief, editor, kind="update", text=f"Update {n}.")
    client.get(brief.get_absolute_url())  # page parts made again after the correction's save
    with django_assert_max_num_queries(4):
        assert client.get(brief.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("corrections:list")).status_code == 200


def test_a_correction_write_bumps_the_content_version_the_page_caches_key_on():
    from briefs.models import ContentVersion
    from corrections.models import Correction

    brief, correction, _ = corrected_brief()
    before = ContentVersion.objects.get(pk=1).counter
    Correction.objects.filter(pk=correction.pk).update(text="Reworded by raw update.")
    assert ContentVersion.objects.get(pk=1).counter > before
