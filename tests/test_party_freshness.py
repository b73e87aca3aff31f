"""A party page is keyed by the party's freshness: a write reaches the pages of the parties it
shows, by name, as a deal's participant, a co-investor, a quote's speaker or a related party, and
leaves every other party's cached page valid, whoever wrote it (ORM, bulk update, raw SQL)."""

import pytest
from django.db import connection

from briefs.models import Brief, DealParticipant, Party, Quote, Source
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db(transaction=True)

HIT, MISS = "dealsite; hit", "dealsite; fwd=miss; stored"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response["Cache-Status"], response.content.decode()


def page(client, slug):
    return served(client, f"/parties/{slug}/")[1]


def warm(client, *slugs):
    for slug in slugs:
        served(client, f"/parties/{slug}/")
        assert served(client, f"/parties/{slug}/")[0] == HIT, slug


@pytest.fixture
def market(db):
    """Two investors in one deal, a third party elsewhere, a brief of each."""
    alpha = make_party(name="Alpha Capital", slug="alpha")
    beta = make_party(name="Beta Ventures", slug="beta")
    target = make_party(name="Target Robotics", slug="target")
    elsewhere = make_party(name="Elsewhere Foods", slug="elsewhere")
    source = make_source(key="wire", title="Wire story")
    quote = make_quote(key="alpha-says", text="We like robots.", speaker=alpha, source=source)
    deal = deal_with(
        participants=[(alpha, "investor", {"is_lead": True}), (beta, "investor"), (target, "target")],
        amount="20000000",
        name="Target Robotics Series A",
    )
    about = brief_about(deal, title="Alpha leads Target round", slug="round", parties=[(alpha, "investor")])
    make_brief(
        "[“We like robots.”](quote:alpha-says)", title="Alpha speaks", slug="speaks", quotes=[quote], sources=[source]
    )
    other = make_brief("A story.", title="Elsewhere grows", slug="grows", parties=[(elsewhere, "target")])
    return {"alpha": alpha, "beta": beta, "target": target, "deal": deal, "about": about, "other": other}


def test_an_edit_to_one_brief_leaves_the_pages_of_parties_it_does_not_touch(client, market):
    warm(client, "alpha", "beta", "target", "elsewhere")
    market["other"].title = "Elsewhere grows fast"
    market["other"].save()
    for slug in ("alpha", "beta", "target"):
        assert served(client, f"/parties/{slug}/")[0] == HIT, slug
    status, body = served(client, "/parties/elsewhere/")
    assert status == MISS and "Elsewhere grows fast" in body


def test_a_brief_edited_by_raw_sql_reaches_every_party_of_its_deal(client, market):
    warm(client, "alpha", "beta", "target")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Brief._meta.db_table} SET title = %s WHERE id = %s", ["Retitled", market["about"].pk])
    assert "Retitled" in page(client, "alpha")  # it links the brief
    for slug in ("beta", "target"):  # deal participants: the brief decides whether the deal is public
        assert served(client, f"/parties/{slug}/")[0] == MISS, slug
    assert served(client, "/parties/elsewhere/")[0] == MISS  # first visit; then it stays valid
    assert served(client, "/parties/elsewhere/")[0] == HIT


def test_a_co_investor_renamed_shows_on_the_other_investors_page(client, market):
    assert "Beta Ventures" in page(client, "alpha")
    Party.objects.filter(pk=market["beta"].pk).update(name="Beta Partners")
    assert "Beta Partners" in page(client, "alpha")
    assert "Beta Partners" in page(client, "target")


def test_a_new_participant_reaches_every_page_of_the_deal(client, market):
    gamma = make_party(name="Gamma Fund", slug="gamma")
    for slug in ("alpha", "target"):
        assert "Gamma Fund" not in page(client, slug)
    DealParticipant.objects.create(deal=market["deal"], party=gamma, role="investor", position=9)
    for slug in ("alpha", "target"):
        assert "Gamma Fund" in page(client, slug), slug
    assert "Target Robotics" in page(client, "gamma")


def test_a_deal_figure_changed_reaches_its_participants_totals(client, market):
    assert "$20" in page(client, "beta")
    deal = market["deal"]
    type(deal).objects.filter(pk=deal.pk).update(headline_amount="35000000", headline_usd="35000000")
    assert "$35" in page(client, "beta")


def test_quotes_and_their_sources_edited_show_on_the_speakers_page(client, market):
    assert "We like robots." in page(client, "alpha")
    Quote.objects.filter(key="alpha-says").update(text="We love robots.")
    assert "We love robots." in page(client, "alpha")
    Source.objects.filter(key="wire").update(title="Wire story, updated")
    assert "Wire story, updated" in page(client, "alpha")


def test_a_subsidiary_appears_on_its_parents_page_when_it_becomes_public(client, market):
    sub = make_party(name="Alpha Labs", slug="alpha-labs", parent=market["alpha"])
    assert "Alpha Labs" not in page(client, "alpha")  # in no published brief yet: not public
    make_brief("Labs news.", title="Labs open", slug="labs", parties=[(sub, "target")])
    assert "Alpha Labs" in page(client, "alpha")
    assert "Alpha Capital" in page(client, "alpha-labs")


def test_a_withdrawn_brief_leaves_the_party_pages(client, market):
    assert "Alpha leads Target round" in page(client, "alpha")
    Brief.objects.filter(pk=market["about"].pk).update(status="draft")
    assert "Alpha leads Target round" not in page(client, "alpha")
    assert client.get("/parties/beta/").status_code == 404  # its only public appearance was that deal
