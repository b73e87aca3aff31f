import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from briefs.deal_wording import describe_size
from briefs.demo import content
from briefs.demo.loader import load_demo
from briefs.models import (
    Annotation,
    Brief,
    BriefDeal,
    Deal,
    DealFigure,
    DealParticipant,
    DealStage,
    Party,
    Quote,
    Source,
)
from briefs.services.citations import check_citations

pytestmark = pytest.mark.django_db

BILLION = Decimal(10) ** 9
SEQUEL_QUOTES = ("sivasubramanian-next", "nadella-shared-ambition", "altman-partnership")


def figures(deal):
    return [
        (f.stage.position if f.stage else None, f.kind, f.basis, f.amount, f.currency, f.source.key, f.reporter)
        for f in deal.figures.select_related("stage", "source")
    ]


def test_load_demo_creates_the_anthropic_brief_with_every_party_quote_and_source(demo_brief):
    linked = list(demo_brief.party_links.values_list("party__slug", "role"))
    assert linked == content.BRIEF_PARTIES
    assert Party.objects.get(slug="aws").parent.slug == "amazon"
    assert Party.objects.get(slug="andy-jassy").affiliation.slug == "amazon"
    assert Party.objects.get(slug="salesforce-ventures").parent.slug == "salesforce"
    assert list(demo_brief.quote_links.values_list("quote__key", flat=True)) == content.BRIEF_QUOTES
    assert set(demo_brief.source_links.values_list("source__key", flat=True)) == set(content.BRIEF_SOURCES)
    kinds = set(demo_brief.annotations.values_list("kind", flat=True))
    assert kinds == {"party", "source", "quote", "note"}


def test_the_demo_tells_the_story_in_four_published_briefs():
    load_demo()
    briefs = list(Brief.objects.published().order_by("published_at").values_list("slug", "published_at"))
    assert [slug for slug, _ in briefs] == [
        "microsoft-multibillion-dollar-investment-in-openai",
        "anthropic-raises-450-million-series-c",
        content.BRIEF_SLUG,
        "amazon-completes-4-billion-anthropic-investment",
    ]
    assert [when.date() for _, when in briefs] == [
        datetime.date(2023, 1, 23),
        datetime.date(2023, 5, 23),
        datetime.date(2023, 9, 25),
        datetime.date(2024, 3, 27),
    ]
    assert Deal.objects.public().count() == 3


def test_the_announcement_and_the_completion_report_two_stages_of_one_deal():
    load_demo()
    links = BriefDeal.objects.filter(deal__slug="amazon-anthropic").select_related("brief", "stage")
    by_brief = {link.brief.slug: (link.stage.position, link.stage.status, link.stage.occurred_on) for link in links}
    assert by_brief == {
        content.BRIEF_SLUG: (0, "announced", datetime.date(2023, 9, 25)),
        "amazon-completes-4-billion-anthropic-investment": (1, "completed", datetime.date(2024, 3, 27)),
    }
    deal = Deal.objects.get(slug="amazon-anthropic")
    assert (deal.status, deal.announced_on, deal.closed_on, deal.stake_description) == (
        "completed",
        datetime.date(2023, 9, 25),
        datetime.date(2024, 3, 27),
        "Minority stake",
    )
    assert figures(deal) == [
        (0, "amount", "official", Decimal("1.25") * BILLION, "USD", "techcrunch-2023-09-25", "TechCrunch"),
        (0, "up_to", "official", 4 * BILLION, "USD", "techcrunch-2023-09-25", "TechCrunch"),
        (1, "amount", "official", Decimal("2.75") * BILLION, "USD", "datacenterdynamics-2024-03", "DatacenterDynamics"),
        (1, "total_to_date", "official", 4 * BILLION, "USD", "datacenterdynamics-2024-03", "DatacenterDynamics"),
    ]
    assert (deal.headline_amount, deal.headline_usd) == (4 * BILLION, 4 * BILLION)
    amazon = DealParticipant.objects.get(deal=deal, party__slug="amazon")
    assert (amazon.role, amazon.amount, amazon.is_lead) == ("investor", 4 * BILLION, False)


def test_the_series_c_has_its_lead_its_investors_and_a_reported_valuation():
    load_demo()
    deal = Deal.objects.get(slug="anthropic-series-c")
    assert (deal.deal_type, deal.series, deal.announced_on) == ("funding_round", "series_c", datetime.date(2023, 5, 23))
    investors = list(deal.participants.filter(role="investor").values_list("party__slug", "is_lead"))
    assert investors == [
        ("spark-capital", True),
        ("google", False),
        ("salesforce-ventures", False),
        ("sound-ventures", False),
        ("zoom-ventures", False),
    ]
    assert figures(deal) == [
        (0, "amount", "official", Decimal("450000000"), "USD", "anthropic-series-c-2023-05-23", "Anthropic"),
        (None, "valuation_post", "reported", 5 * BILLION, "USD", "techcrunch-2023-09-25", "TechCrunch"),
    ]


def test_the_openai_deal_is_undisclosed_with_the_reported_figures_and_who_reported_them():
    load_demo()
    deal = Deal.objects.prefetch_related("figures__source").get(slug="microsoft-openai-2023")
    assert (deal.amount_disclosure, deal.status, deal.announced_on) == (
        "undisclosed",
        "announced",
        datetime.date(2023, 1, 23),
    )
    assert figures(deal) == [
        (None, "amount", "reported", 10 * BILLION, "USD", "the-national-2023-01-23", "Semafor"),
        (None, "amount", "reported", 10 * BILLION, "USD", "zdnet-2023-01-23", "Bloomberg"),
    ]
    assert deal.headline_usd is None and deal.reported_usd == 10 * BILLION
    assert describe_size(deal) == "Undisclosed (reported: $10 billion, by Semafor; $10 billion, by Bloomberg)"


def test_every_demo_figure_names_its_source_and_every_body_cites_its_money_figures():
    load_demo()
    assert DealFigure.objects.count() == 8
    assert not DealFigure.objects.filter(source__isnull=True).exists()
    for brief in Brief.objects.all():
        check_citations(brief)


def test_demo_quotes_are_verbatim_from_the_seed(demo_brief, settings):
    seed = settings.BASE_DIR.parent / "shared" / "seed"
    if not seed.exists():
        pytest.skip("shared/seed is not beside this checkout")
    article = (seed / "amazon-anthropic-article.txt").read_text()
    sequels = re.sub(r"\s+", " ", (seed / "sequels.md").read_text())
    for quote in Quote.objects.exclude(key__in=("amodei-scaling", "anthropic-statement", *SEQUEL_QUOTES)):
        assert quote.text in article
    # Quotes the article splits in two are stored whole; each part is verbatim.
    for key, joiner in (("amodei-scaling", " That’s"), ("anthropic-statement", " We look")):
        first, second = Quote.objects.get(key=key).text.split(joiner, 1)
        assert first.rstrip(".") in article
        assert (joiner.strip() + second) in article
    for key in SEQUEL_QUOTES:
        assert f'"{Quote.objects.get(key=key).text}"' in sequels


def snapshot():
    return (
        list(Brief.objects.order_by("pk").values_list("pk", "updated_at", "body_html", "rendered_at", "version")),
        list(Annotation.objects.values_list("pk", "start", "end", "exact")),
        list(Party.objects.values_list("pk", "updated_at")),
        list(Source.objects.values_list("pk", "updated_at")),
        list(Quote.objects.values_list("pk", "updated_at")),
        list(Deal.objects.values_list("pk", "updated_at")),
        list(DealStage.objects.values_list("pk", "description")),
        list(DealFigure.objects.values_list("pk", "amount", "amount_usd")),
        list(DealParticipant.objects.values_list("pk", "party_id")),
        list(BriefDeal.objects.values_list("pk", "brief_id", "deal_id", "stage_id")),
    )


def test_load_demo_twice_changes_nothing(demo_brief, capsys):
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before
    assert "already up to date" in capsys.readouterr().out


def test_load_demo_puts_back_a_deal_figure_changed_since():
    load_demo()
    DealFigure.objects.filter(deal__slug="anthropic-series-c", kind="amount").update(amount=Decimal("1"))
    _, changes = load_demo()
    assert changes == 2  # the deal, and its brief's link to the deal's stage (made again)
    figure = DealFigure.objects.get(deal__slug="anthropic-series-c", kind="amount")
    assert (figure.amount, figure.amount_usd) == (Decimal("450000000"), Decimal("450000000"))
    assert BriefDeal.objects.get(brief__slug="anthropic-raises-450-million-series-c").stage.position == 0
    _, changes = load_demo()
    assert changes == 0
