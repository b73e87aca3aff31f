"""The corpus generator: deterministic, and what it stores is exactly what render_brief() stores."""

import pytest
from django.core.management import call_command

from briefs.models import Annotation, Brief, BriefSource
from briefs.services.rendering import render_brief
from search import search
from search.models import SearchEntry
from tests.committing import as_committed

pytestmark = pytest.mark.django_db


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
        return list(
            Brief.objects.order_by("pk").values_list(
                "title",
                "slug",
                "status",
                "deal_type",
                "amount",
                "amount_up_to",
                "currency",
                "body",
                "body_text",
                "published_at",
            )
        )

    first = content()
    Brief.objects.all().delete()
    from briefs.models import Party, Quote, Source

    Quote.objects.all().delete()
    Source.objects.all().delete()
    Party.objects.all().delete()
    call_command("generate_briefs", "--count", 40, "--seed", 3, "--no-progress")
    assert content() == first
    assert len({row[3] for row in first}) >= 4 and len({row[6] for row in first}) >= 3


def test_generated_briefs_are_indexed_and_searchable():
    with as_committed():  # the load is announced once it commits; search rebuilds then
        call_command("generate_briefs", "--count", 50, "--seed", 5, "--no-progress")
    live = Brief.objects.published().count()
    assert SearchEntry.objects.filter(published_at__isnull=False).count() >= live > 40
    brief = Brief.objects.published().order_by("pk").first()
    party = brief.party_links.first().party
    assert brief.pk in [hit.brief.pk for hit in search(f'"{party.name}"', per_page=50).hits]
