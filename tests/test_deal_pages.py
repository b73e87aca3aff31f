"""What a reader sees of one deal: its page, its box on a brief, the briefs of one deal linking
each other, and the deal in the brief's JSON-LD."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from briefs.models import Brief, DealFigure
from briefs.services import page_parts
from briefs.services.rendering import render_brief
from tests.deal_builders import anthropic_deal, brief_about, money
from tests.factories import make_brief, make_deal, make_party, make_source
from tests.query_plans import statements_of, work_of

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def fact_box(html):
    found = re.search(r'<aside class="fact-box".*?</aside>', html, re.S)
    return text_of(found.group(0)) if found else None


def jsonld_of(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def anthropic(db):
    amazon = make_party(name="Amazon", slug="amazon")
    target = make_party(name="Anthropic", slug="anthropic")
    source = make_source(title="Amazon press release", publisher="Amazon", key="amazon-pr")
    return anthropic_deal(amazon, target, source=source)


# ---------------------------------------------------------------- the deal page


def test_deal_page_shows_type_status_dates_participants_story_and_briefs(client, anthropic):
    older = brief_about(
        anthropic, title="Amazon to invest up to $4 billion", published_at=timezone.now() - datetime.timedelta(days=9)
    )
    newer = brief_about(anthropic, title="Amazon completes its Anthropic investment")
    html = page(client, anthropic.get_absolute_url())
    text = text_of(html)
    assert '<h1 class="profile-title">Amazon’s investment in Anthropic</h1>' in html
    assert "Deal type Investment" in text
    assert "Status Completed Announced 25 Sep 2023 Completed Mar 2024" in text
    assert 'datetime="2024-03"' in html  # a month-precise date does not claim a day
    assert "Investor Amazon (lead)" in text and "Target Anthropic" in text
    story = text.index("The story so far")
    assert text.index("Announced $1.25 billion of up to $4 billion", story) < text.index(
        "Completed $4 billion in total", story
    )
    assert "Size $1.25 billion, up to $4 billion" in text
    assert html.index(newer.title) < html.index(older.title)  # newest brief first


def test_deal_page_names_each_figures_basis_source_and_reporter_and_shows_disagreeing_sources(client, db):
    bloomberg = make_source(title="Bloomberg scoop", publisher="Bloomberg", key="bloomberg")
    reuters = make_source(title="Reuters report", publisher="Reuters", key="reuters")
    deal = make_deal(
        amount_disclosure="undisclosed",
        participants=[(make_party(name="Buyer Co"), "acquirer"), (make_party(name="Bought Co"), "target")],
        deal_type="acquisition",
        figures=[
            money("amount", "10000000000", basis="reported", source=bloomberg),
            money("amount", "9000000000", basis="reported", source=reuters, reported_by="Financial Times"),
        ],
    )
    brief_about(deal)
    html = page(client, deal.get_absolute_url())
    text = text_of(html)
    assert "Undisclosed (reported: $10 billion, by Bloomberg; $9 billion, by Financial Times)" in text
    assert "Amount $10 billion Reported Bloomberg scoop , Bloomberg Reported by Bloomberg" in text
    assert "Amount $9 billion Reported Reuters report , Reuters Reported by Financial Times" in text
    assert f'href="{bloomberg.get_absolute_url()}"' in html and f'href="{reuters.get_absolute_url()}"' in html


def test_deal_page_gives_the_usd_equivalent_with_the_ecb_rate_and_its_date_or_why_there_is_none(client, db):
    deal = make_deal(
        currency="EUR",
        announced_on=datetime.date(2024, 1, 2),
        participants=[(make_party(name="Euro Fund"), "investor", {"amount": Decimal("50000000"), "currency": "EUR"})],
        figures=[
            money("amount", "100000000", "EUR"),
            money("valuation_post", "900000000", "EUR"),
            money("up_to", "200000000", "EUR", as_of=datetime.date(1990, 1, 2)),  # before the ECB's first rate
        ],
    )
    brief_about(deal)
    figure = DealFigure.objects.get(deal=deal, kind="amount")
    assert figure.usd_rate is not None  # the ECB published a EUR rate that week
    text = text_of(page(client, deal.get_absolute_url()))
    rate = f"{figure.usd_rate.normalize():f}"
    assert f"at the ECB rate of {figure.usd_rate_on.day} {figure.usd_rate_on:%b %Y} ({rate} USD per EUR)" in text
    assert "€100 million" in text and "Post-money valuation €900 million" in text
    assert "committed €50 million" in text
    assert "No USD equivalent" in text


def test_a_rumour_with_only_a_draft_brief_has_no_deal_page(client, db):
    deal = make_deal(status="rumoured", rumoured_on=datetime.date(2024, 5, 1), announced_on=None)
    page(client, deal.get_absolute_url(), status=404)
    brief_about(deal, published=False)
    page(client, deal.get_absolute_url(), status=404)
    page(client, "/deals/no-such-deal/", status=404)


def test_deal_page_is_cached_until_the_deal_changes(client, anthropic, settings):
    brief_about(anthropic)
    first = client.get(anthropic.get_absolute_url())
    again = client.get(anthropic.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    anthropic.name = "Amazon and Anthropic"
    anthropic.save()
    changed = client.get(anthropic.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Amazon and Anthropic" in changed.content.decode()


@pytest.mark.parametrize("size", [1, 30])
def test_deal_page_makes_a_fixed_number_of_queries(client, db, django_assert_max_num_queries, size):
    sources = [make_source() for _ in range(size)]
    deal = make_deal(
        participants=[(make_party(), "investor", {"amount": Decimal(n + 1), "currency": "GBP"}) for n in range(size)],
        stages=[{"description": f"Tranche {n}", "amount": Decimal(n + 1), "currency": "USD"} for n in range(size)],
        figures=[money("amount", n + 1, basis="reported", source=sources[n], stage=n) for n in range(size)],
    )
    for _ in range(size):
        brief_about(deal)
    # The content state, the deal, its participants, stages, figures, briefs and corrected figures.
    with django_assert_max_num_queries(1 + 6):
        html = page(client, deal.get_absolute_url())
    assert html.count('class="participant"') == size and html.count('class="deal-stage"') == size
    assert html.count('class="figure-row') == size and html.count('<li><a href="/briefs/') == size


# ---------------------------------------------------------------- the brief's fact box


def test_fact_box_shows_the_stage_the_brief_reports_the_story_so_far_and_the_deal(client, anthropic):
    completed = anthropic.stages.get(status="completed")
    brief = brief_about(anthropic, stage=completed)
    box = fact_box(page(client, brief.get_absolute_url()))
    assert "Amazon’s investment in Anthropic" in box
    assert "This brief Mar 2024 completed: $4 billion in total $2.75 billion" in box
    assert (
        "Story so far Sep 2023 announced: $1.25 billion of up to $4 billion Mar 2024 completed: $4 billion in total"
        in box
    )
    assert "Status Completed Announced 25 Sep 2023 Completed Mar 2024" in box
    assert "Investor Amazon (lead)" in box and "Target Anthropic" in box
    assert "Size $1.25 billion, up to $4 billion" in box
    assert "Stake minority stake" in box and "Valuation Not disclosed" in box
    assert f'href="{anthropic.get_absolute_url()}"' in page(client, brief.get_absolute_url())


def test_fact_box_types_valuations_and_is_honest_about_an_undisclosed_size(client, db):
    deal = make_deal(
        deal_type="funding_round",
        series="series_b",
        series_qualifier="extension",
        amount_disclosure="undisclosed",
        participants=[
            (make_party(name="Lead VC"), "investor", {"is_lead": True}),
            (make_party(name="Startup"), "target"),
        ],
        figures=[
            money("valuation_pre", "18000000000"),
            money("valuation_post", "20000000000"),
            money("amount", "2000000000", basis="reported", reported_by="The Information"),
            {"kind": "stake", "percent": Decimal("10.00")},
        ],
    )
    box = fact_box(page(client, brief_about(deal).get_absolute_url()))
    assert "Deal type Funding round, Series B extension" in box
    assert "Size Undisclosed (reported: $2 billion, by The Information)" in box
    assert "Pre-money valuation $18 billion" in box and "Post-money valuation $20 billion" in box
    assert "Stake 10%" in box


def test_a_brief_about_several_deals_has_a_box_for_each_and_an_analysis_has_none(client, anthropic, db):
    other = make_deal(name="Google’s investment in Anthropic", participants=[(make_party(name="Google"), "investor")])
    box = fact_box(page(client, brief_about(anthropic, other).get_absolute_url()))
    assert box.index("Amazon’s investment in Anthropic") < box.index("Google’s investment in Anthropic")
    analysis = make_brief(title="What the AI deals add up to")
    html = page(client, analysis.get_absolute_url())
    assert fact_box(html) is None and "Analysis" in html


def test_stored_fact_box_follows_a_deal_change_made_without_save_deal(client, anthropic, monkeypatch):
    monkeypatch.setattr("briefs.signals.schedule_rerender_for", lambda kind, pk: None)
    brief = brief_about(anthropic)
    assert page_parts.current_parts(Brief.objects.get(pk=brief.pk)) is not None
    DealFigure.objects.filter(deal=anthropic, kind="up_to").update(amount=Decimal("5000000000"))
    assert Brief.objects.get(pk=brief.pk).page_parts == ""  # emptied by the trigger, in the same transaction
    assert "up to $5 billion" in fact_box(page(client, brief.get_absolute_url()))


# ---------------------------------------------------------------- briefs of one deal link each other


def test_briefs_of_one_deal_link_each_other_both_ways_newest_first_published_only(client, anthropic):
    hour = datetime.timedelta(hours=1)
    first = brief_about(anthropic, title="First on the deal", published_at=timezone.now() - 30 * hour)
    second = brief_about(anthropic, title="Second on the deal", published_at=timezone.now() - 20 * hour)
    third = brief_about(anthropic, title="Third on the deal", published_at=timezone.now() - 10 * hour)
    draft = brief_about(anthropic, title="Draft on the deal", published=False)
    unrelated = make_brief(title="Not about the deal")
    first.related.add(unrelated)
    html = page(client, first.get_absolute_url())
    more = text_of(re.search(r'<section id="same-deal".*?</section>', html, re.S).group(0))
    assert more.index(third.title) < more.index(second.title)
    assert first.title not in more and draft.title not in more and unrelated.title not in more
    related = text_of(re.search(r'<section id="related".*?</section>', html, re.S).group(0))
    assert unrelated.title in related and second.title not in related
    assert first.title in page(client, third.get_absolute_url())  # the other way, with nobody listing it
    assert 'id="same-deal"' not in page(client, unrelated.get_absolute_url())


def test_the_linked_briefs_query_reads_no_more_as_other_briefs_are_published(anthropic):
    """The brief page's one query for its related and same-deal briefs costs the same whatever the
    archive holds besides them."""
    from briefs.views.pages import others_of

    brief, other = brief_about(anthropic), brief_about(anthropic)
    brief.related.add(make_brief(title="Related"))
    parts = page_parts.parts_for(brief, fresh=True)

    def work():
        (statement,) = statements_of(lambda: others_of(brief, parts["related_ids"], parts["deal_ids"]))
        return work_of(*statement)

    few = work()
    # Enough that PostgreSQL's planner, too, stops reading the published briefs whole.
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Brief.objects.bulk_create(
        Brief(title=f"Elsewhere {n}", slug=f"elsewhere-{n}", status="published", published_at=hour_ago)
        for n in range(3000)
    )
    assert work() <= few
    related, same_deal = others_of(brief, parts["related_ids"], parts["deal_ids"])
    assert [b.title for b in related] == ["Related"] and same_deal == [other]


@pytest.mark.parametrize("size", [1, 30])
def test_brief_page_with_deals_and_briefs_of_them_makes_fixed_queries_whatever_their_number(
    client, db, django_assert_max_num_queries, size
):
    deals = [
        make_deal(
            participants=[(make_party(), "investor"), *[(make_party(), "target") for _ in range(size)]],
            stages=[{"description": f"Stage {n}"} for n in range(size)],
            figures=[money("amount", n + 1, basis="reported", reported_by="Wire") for n in range(size)],
        )
        for _ in range(size)
    ]
    brief = brief_about(*deals)
    for n in range(size):
        brief_about(deals[n])
    brief.related.add(*[make_brief() for _ in range(size)])
    render_brief(brief)  # adding related briefs emptied the stored parts
    # The content state, the brief, its related briefs and the other briefs of its deals that are published,
    # and its corrections.
    with django_assert_max_num_queries(1 + 3):
        html = page(client, brief.get_absolute_url())
    assert html.count('class="fact-deal"') == size
    same = re.search(r'<section id="same-deal".*?</section>', html, re.S).group(0)
    assert same.count("<li>") == size


# ---------------------------------------------------------------- JSON-LD


def test_jsonld_describes_an_investment_as_an_invest_action_with_its_amount_and_parties(client, anthropic):
    brief = brief_about(anthropic)
    data = jsonld_of(page(client, brief.get_absolute_url()))
    (action,) = [node for node in data["about"] if node["@type"] == "InvestOrDonateAction"]
    assert action["name"] == "Amazon’s investment in Anthropic"
    assert action["url"] == f"http://127.0.0.1:8000{anthropic.get_absolute_url()}"
    assert action["actionStatus"] == "https://schema.org/CompletedActionStatus"
    assert action["startTime"] == "2023-09-25" and action["endTime"] == "2024-03"
    assert action["amount"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": "1250000000.00",
        "minValue": "1250000000.00",
        "maxValue": "4000000000.00",
    }
    assert [(p["@type"], p["name"], p["url"]) for p in action["agent"]] == [
        ("Organization", "Amazon", "http://127.0.0.1:8000/parties/amazon/")
    ]
    assert [p["name"] for p in action["participant"]] == ["Anthropic"]


def test_jsonld_describes_an_acquisition_as_a_buy_action_and_gives_no_amount_for_an_undisclosed_one(client, db):
    deal = make_deal(
        deal_type="acquisition",
        status="rumoured",
        rumoured_on=datetime.date(2024, 5, 1),
        amount_disclosure="undisclosed",
        participants=[
            (make_party(name="Buyer"), "acquirer"),
            (make_party(name="Bought"), "target"),
            (make_party(name="Parent"), "seller"),
            (make_party(name="Bank"), "advisor"),
        ],
        figures=[money("amount", "500000000", basis="reported", reported_by="Reuters")],
    )
    data = jsonld_of(page(client, brief_about(deal).get_absolute_url()))
    (action,) = [node for node in data["about"] if node["@type"] == "BuyAction"]
    assert action["actionStatus"] == "https://schema.org/PotentialActionStatus"
    assert [p["name"] for p in action["agent"]] == ["Buyer"]
    assert [p["name"] for p in action["object"]] == ["Bought"]
    assert [p["name"] for p in action["seller"]] == ["Parent"]
    assert [p["name"] for p in action["participant"]] == ["Bank"]
    assert "price" not in action and "amount" not in action
    assert not [node for node in data["about"] if node["@type"] == "MonetaryAmount"]


def test_jsonld_of_an_analysis_has_no_deal(client, db):
    data = jsonld_of(page(client, make_brief().get_absolute_url()))
    assert not [node for node in data.get("about", []) if "Action" in node["@type"]]
