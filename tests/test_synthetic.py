"""The corpus generator: deterministic, and what it stores is exactly what render_brief() stores."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from briefs.models import (
    Annotation,
    Brief,
    BriefDeal,
    BriefSource,
    Deal,
    DealFigure,
    DealParticipant,
    DealStage,
    Party,
    Quote,
    Source,
)
from briefs.services.deals import refresh_deal
from briefs.services.rendering import render_brief
from search import search
from search.models import SearchEntry
from tests.committing import as_committed

pytestmark = pytest.mark.django_db

HEADLINE = (
    "headline_kind",
    "headline_amount",
    "headline_currency",
    "headline_usd",
    "headline_usd_rate",
    "reported_usd",
)
USD = ("amount_usd", "usd_rate", "usd_rate_on", "usd_unavailable")


def snapshot(brief):
    brief.refresh_from_db()
    annotations = [
        (
            a.ordinal,
            a.kind,
            a.party_id,
            a.source_id,
            a.quote_id,
            a.note_id,
            a.citation_number,
            a.exact,
            a.prefix,
            a.suffix,
            a.start,
            a.end,
        )
        for a in Annotation.objects.filter(brief=brief).order_by("ordinal")
    ]
    numbers = list(BriefSource.objects.filter(brief=brief).order_by("position").values_list("source_id", "number"))
    return brief.body_html, brief.body_text, annotations, numbers


def test_generated_briefs_store_exactly_what_render_brief_stores():
    call_command("generate_briefs", "--count", 60, "--seed", 7, "--no-progress", "--no-index")
    briefs = list(Brief.objects.order_by("pk"))
    assert len(briefs) == 60
    kinds = set()
    for brief in briefs:
        generated = snapshot(brief)
        render_brief(brief)
        assert snapshot(brief) == generated, brief.slug
        kinds |= {row[1] for row in generated[2]}
    assert kinds == {"party", "source", "quote", "note"}


def test_generation_is_deterministic_for_a_seed():
    call_command("generate_briefs", "--count", 40, "--seed", 3, "--no-progress")

    def content():
        briefs = list(
            Brief.objects.order_by("pk").values_list("title", "slug", "status", "body", "body_text", "published_at")
        )
        deals = list(
            Deal.objects.order_by("slug").values_list(
                "slug",
                "deal_type",
                "series",
                "status",
                "rumoured_on",
                "announced_on",
                "closed_on",
                "ended_on",
                "currency",
                "headline_usd",
            )
        )
        figures = list(
            DealFigure.objects.order_by("deal__slug", "position").values_list(
                "deal__slug", "kind", "basis", "amount", "currency", "source__key", "reported_by", "amount_usd"
            )
        )
        links = list(
            BriefDeal.objects.order_by("brief__slug").values_list("brief__slug", "deal__slug", "stage__position")
        )
        return briefs, deals, figures, links

    first = content()
    Brief.objects.all().delete()
    Deal.objects.all().delete()
    Quote.objects.all().delete()
    Source.objects.all().delete()
    Party.objects.all().delete()
    call_command("generate_briefs", "--count", 40, "--seed", 3, "--no-progress")
    assert content() == first
    assert len({row[1] for row in first[1]}) >= 4 and len({row[8] for row in first[1]}) >= 3


def test_generated_deals_are_records_with_stages_rounds_currencies_rumours_and_reported_figures():
    call_command("generate_briefs", "--count", 400, "--seed", 11, "--no-progress", "--no-index")
    assert BriefDeal.objects.count() == Brief.objects.count() == 400
    # Several briefs of one deal, in stage order: a later brief reports a later stage.
    multi = Deal.objects.annotate(n=Count("brief_links")).filter(n__gt=1)
    assert multi.count() >= 10
    for deal in multi:
        links = list(deal.brief_links.select_related("brief", "stage").order_by("stage__position"))
        assert [link.stage.position for link in links] == list(range(len(links)))
        assert links[-1].stage.status in ("completed", "terminated", "withdrawn")
    # Funding rounds: a series, several investors, exactly one lead.
    rounds = Deal.objects.filter(deal_type="funding_round").prefetch_related("participants")
    assert rounds.count() >= 50
    for deal in rounds:
        investors = [p for p in deal.participants.all() if p.role == "investor"]
        assert deal.series and len(investors) >= 2 and sum(p.is_lead for p in investors) == 1
    currencies = set(Deal.objects.exclude(currency="").values_list("currency", flat=True))
    assert {"USD", "EUR", "GBP", "JPY", "INR", "KRW", "SGD", "CHF"} <= currencies
    # Rumours that completed, and rumours that died, each with its dates.
    rumours = Deal.objects.filter(rumoured_on__isnull=False)
    completed = rumours.filter(status="completed")
    assert (
        completed.exists() and not completed.filter(Q(closed_on__isnull=True) | Q(announced_on__isnull=True)).exists()
    )
    ended = rumours.filter(status__in=("terminated", "withdrawn"))
    assert ended.exists() and not ended.filter(ended_on__isnull=True).exists()
    # Undisclosed deals with a reported figure naming who reported it.
    reported = DealFigure.objects.filter(deal__amount_disclosure="undisclosed", basis="reported", kind="amount")
    assert reported.exists() and not reported.filter(reported_by="").exists()
    assert not DealFigure.objects.filter(source__isnull=True).exists()


def test_bulk_usd_equivalents_and_headlines_are_what_refresh_deal_stores():
    call_command("generate_briefs", "--count", 120, "--seed", 13, "--no-progress", "--no-index")

    def derived():
        return (
            list(Deal.objects.order_by("pk").values_list("pk", *HEADLINE)),
            list(DealFigure.objects.order_by("pk").values_list("pk", *USD)),
            list(DealStage.objects.order_by("pk").values_list("pk", *USD)),
            list(DealParticipant.objects.order_by("pk").values_list("pk", *USD)),
        )

    generated = derived()
    assert any(row[4] is not None for row in generated[0])  # headline_usd worked out
    assert any(row[1] is not None for row in generated[1])  # figures in USD
    Deal.objects.update(headline_usd=None, headline_kind="", reported_usd=None)
    DealFigure.objects.update(amount_usd=None, usd_rate=None)
    for deal in Deal.objects.all():
        refresh_deal(deal)
    assert derived() == generated


def test_generated_briefs_are_indexed_and_searchable():
    with as_committed():  # the load is announced once it commits; search rebuilds then
        call_command("generate_briefs", "--count", 50, "--seed", 5, "--no-progress")
    live = Brief.objects.published().count()
    assert SearchEntry.objects.filter(published_at__isnull=False).count() >= live > 40
    brief = Brief.objects.published().order_by("pk").first()
    party = brief.party_links.first().party
    assert brief.pk in [hit.brief.pk for hit in search(f'"{party.name}"', per_page=50).hits]


def test_generated_briefs_have_current_page_parts_equal_to_what_render_page_parts_stores(monkeypatch):
    import json

    from briefs.services.page_parts import current_parts, store_parts
    from briefs.synthetic import generator

    # Small batches, so deals that later briefs complete are saved batches after their first brief.
    monkeypatch.setattr(generator, "BATCH", 25)
    call_command("generate_briefs", "--count", 150, "--seed", 9, "--no-progress", "--no-index")
    briefs = list(Brief.objects.order_by("pk"))
    assert len(briefs) == 150
    assert BriefDeal.objects.values("deal").annotate(n=Count("brief")).filter(n__gt=1).exists()
    for brief in briefs:
        stored = current_parts(brief)
        assert stored is not None, brief.slug
        assert stored == json.loads(store_parts(brief)), brief.slug


def test_generation_can_leave_page_parts_to_render_page_parts():
    call_command("generate_briefs", "--count", 20, "--seed", 4, "--no-progress", "--no-index", "--no-page-parts")
    assert not Brief.objects.exclude(page_parts="").exists()


@pytest.mark.django_db(transaction=True)  # committed as a real load is, so the index is rebuilt inside the command
def test_the_derived_data_step_shows_a_progress_bar_counting_the_briefs_it_indexed():
    from io import StringIO

    err = StringIO()
    call_command("generate_briefs", "--count", 30, "--seed", 6, "--no-page-parts", stderr=err)
    indexed = SearchEntry.objects.count()
    assert indexed > 20
    bars = err.getvalue().replace("\r", "\n")
    assert "Generating: 100%|" in bars and "| 30/30 " in bars
    assert f"Deriving data: {indexed}brief" in bars


def test_a_load_leaves_the_garbage_collector_as_it_found_it():
    import gc

    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    call_command("generate_briefs", "--count", 20, "--seed", 8, "--no-progress", "--no-index", "--no-page-parts")
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen
