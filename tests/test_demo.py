from decimal import Decimal

import pytest
from django.core.management import call_command

from briefs.demo import content
from briefs.models import Annotation, Brief, Party, Quote, Source

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_anthropic_brief_with_every_party_quote_and_source(demo_brief):
    assert demo_brief.amount == Decimal("1250000000.00")
    assert demo_brief.amount_up_to == Decimal("4000000000.00")
    assert demo_brief.currency == "USD"
    linked = set(demo_brief.party_links.values_list("party__slug", flat=True))
    assert {slug for slug, *_ in content.PARTIES} == linked
    assert Party.objects.get(slug="aws").parent.slug == "amazon"
    assert Party.objects.get(slug="andy-jassy").affiliation.slug == "amazon"
    assert demo_brief.quote_links.count() == len(content.QUOTES)
    assert demo_brief.source_links.count() == len(content.SOURCES)
    kinds = set(demo_brief.annotations.values_list("kind", flat=True))
    assert kinds == {"party", "source", "quote", "note"}


def test_demo_quotes_are_verbatim_from_the_seed_article(demo_brief, settings):
    seed = settings.BASE_DIR.parent / "shared" / "seed" / "amazon-anthropic-article.txt"
    if not seed.exists():
        pytest.skip("shared/seed is not beside this checkout")
    article = seed.read_text()
    for quote in Quote.objects.exclude(key="amodei-scaling").exclude(key="anthropic-statement"):
        assert quote.text in article
    # Quotes the article splits in two are stored whole; each part is verbatim.
    for key, joiner in (("amodei-scaling", " That’s"), ("anthropic-statement", " We look")):
        first, second = Quote.objects.get(key=key).text.split(joiner, 1)
        assert first.rstrip(".") in article
        assert (joiner.strip() + second) in article


def test_load_demo_twice_changes_nothing(demo_brief, capsys):
    def snapshot():
        brief = Brief.objects.get(pk=demo_brief.pk)
        return (
            brief.updated_at,
            brief.body_html,
            brief.rendered_at,
            list(Annotation.objects.values_list("pk", "start", "end", "exact")),
            list(Party.objects.values_list("pk", "updated_at")),
            list(Source.objects.values_list("pk", "updated_at")),
            list(Quote.objects.values_list("pk", "updated_at")),
        )

    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before
    assert "already up to date" in capsys.readouterr().out
