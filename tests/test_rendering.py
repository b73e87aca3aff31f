"""Save-time rendering: what render_brief stores, and background re-rendering on linked changes."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from briefs.models import Annotation, Brief, BriefParty, Deal, DealFigure, DealParticipant
from briefs.services.rendering import BriefMarkupInvalid, render_brief

from .factories import make_brief, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db


def test_render_stores_html_text_and_annotations_that_agree():
    amazon, anthropic = make_party(name="Amazon", slug="amazon"), make_party(name="Anthropic", slug="anthropic")
    tc = make_source(key="tc")
    brief = make_brief(
        "[Amazon](party:amazon) will invest [up to $4 billion](source:tc) in [Anthropic](party:anthropic).",
        parties=[(amazon, "investor"), (anthropic, "target")],
        sources=[tc],
    )
    assert 'href="/parties/amazon/"' in brief.body_html
    assert brief.body_text == "Amazon will invest up to $4 billion in Anthropic."
    rows = list(brief.annotations.all())
    assert [(a.kind, a.exact) for a in rows] == [
        ("party", "Amazon"),
        ("source", "up to $4 billion"),
        ("party", "Anthropic"),
    ]
    for row in rows:
        assert brief.body_text[row.start : row.end] == row.exact
    assert rows[1].source == tc and rows[1].citation_number == 1


def test_footnote_numbers_follow_first_citation_then_uncited_sources():
    first, second, uncited = make_source(key="first"), make_source(key="second"), make_source(key="uncited")
    brief = make_brief("[a](source:second) [b](source:first) [c](source:second)", sources=[uncited, first, second])
    numbers = dict(brief.source_links.values_list("source__key", "number"))
    assert numbers == {"second": 1, "first": 2, "uncited": 3}


def test_render_rejects_unlinked_reference_and_keeps_previous_output():
    amazon = make_party(slug="amazon")
    brief = make_brief("[Amazon](party:amazon)", parties=[(amazon, "investor")])
    html = brief.body_html
    Brief.objects.filter(pk=brief.pk).update(body="Line\n[Zoom](party:zoom)")
    with pytest.raises(BriefMarkupInvalid) as raised:
        render_brief(brief)
    assert raised.value.messages == [
        "party:zoom: no party has the slug zoom; create it, then link it under Parties in this deal, line 2"
    ]
    assert Brief.objects.get(pk=brief.pk).body_html == html


def test_annotations_keep_identity_and_creation_time_across_edits():
    amazon = make_party(slug="amazon")
    brief = make_brief("[Amazon](party:amazon) invests.", parties=[(amazon, "investor")])
    before = brief.annotations.get()
    Brief.objects.filter(pk=brief.pk).update(body="Today [Amazon](party:amazon) invests more.")
    render_brief(brief)
    after = brief.annotations.get()
    assert (after.pk, after.created_at) == (before.pk, before.created_at)
    assert after.start == len("Today ")


def test_renaming_a_party_rerenders_the_briefs_that_link_it(django_capture_on_commit_callbacks):
    party = make_party(name="Facebook", slug="facebook")
    brief = make_brief("[Facebook](party:facebook) buys.", parties=[(party, "acquirer")])
    with django_capture_on_commit_callbacks(execute=True):
        party.slug = "meta"
        party.save()
    brief.refresh_from_db()
    assert 'href="/parties/meta/"' in brief.body_html


def test_editing_a_quote_or_source_rerenders_briefs_using_it(django_capture_on_commit_callbacks):
    source = make_source(key="ft")
    quote = make_quote(key="q")
    brief = make_brief("[said](quote:q) per [FT](source:ft)", sources=[source], quotes=[quote])
    rendered_at = brief.rendered_at
    with django_capture_on_commit_callbacks(execute=True):
        quote.text = "New verbatim words."
        quote.save()
    brief.refresh_from_db()
    assert brief.rendered_at > rendered_at


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "completed", "closed_on": None},
        {"status": "terminated", "ended_on": None},
        {"deal_type": "investment", "series": "series_a"},
        {"deal_type": "bribe"},
        {"status": "merged-ish"},
    ],
)
def test_database_refuses_an_inconsistent_deal(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.create(**{"name": "D", "slug": "d", **fields})


@pytest.mark.parametrize(
    "row",
    [
        {"kind": "amount", "amount": Decimal("-1"), "currency": "USD"},
        {"kind": "amount", "amount": Decimal("10"), "currency": ""},
        {"kind": "amount", "amount": None, "currency": "USD"},
        {"kind": "stake", "percent": Decimal("120")},
        {"kind": "stake", "percent": Decimal("10"), "amount": Decimal("5"), "currency": "USD"},
        {"kind": "bribe", "amount": Decimal("1"), "currency": "USD"},
    ],
)
def test_database_refuses_a_figure_whose_value_does_not_fit_its_kind(row):
    deal = Deal.objects.create(name="D", slug="d")
    with pytest.raises(IntegrityError), transaction.atomic():
        DealFigure.objects.create(deal=deal, **row)


def test_database_refuses_a_lead_who_is_not_an_investor():
    deal = Deal.objects.create(name="D", slug="d")
    with pytest.raises(IntegrityError), transaction.atomic():
        DealParticipant.objects.create(deal=deal, party=make_party(), role="target", is_lead=True)


def test_database_refuses_a_live_brief_without_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.create(title="T", slug="t", dek="D", body="b", status="published", published_at=None)


def test_database_refuses_an_unknown_party_role():
    brief = make_brief()
    with pytest.raises(IntegrityError), transaction.atomic():
        BriefParty.objects.create(brief=brief, party=make_party(), role="overlord")


def test_annotation_must_point_at_a_target_of_its_kind():
    brief = make_brief()
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(brief=brief, ordinal=1, kind="party", source=make_source(), exact="x", start=0, end=1)


def test_deal_rules_name_the_field_at_fault():
    from briefs.services.deals import deal_problems

    deal = Deal(name="D", slug="d", status="completed", deal_type="investment", series="seed")
    fields = {problem.field for problem in deal_problems(deal)}
    assert fields == {"closed_on", "series"}


def test_changing_a_source_key_or_quote_key_rewrites_the_references(django_capture_on_commit_callbacks):
    source, quote = make_source(key="old-src"), make_quote(key="old-q")
    brief = make_brief(
        "[a](source:old-src) [b](quote:old-q)\n\n[c][d]\n\n[d]: source:old-src", sources=[source], quotes=[quote]
    )
    with django_capture_on_commit_callbacks(execute=True):
        source.key = "new-src"
        source.save()
        quote.key = "new-q"
        quote.save()
    brief.refresh_from_db()
    assert brief.body == "[a](source:new-src) [b](quote:new-q)\n\n[c][d]\n\n[d]: source:new-src"
    assert [a.reference for a in brief.annotations.all()] == ["source:new-src", "quote:new-q", "source:new-src"]


def test_saving_the_same_instance_after_rendering_keeps_the_rendered_html():
    amazon = make_party(slug="amazon")
    brief = make_brief("Plain.", parties=[(amazon, "investor")])
    Brief.objects.filter(pk=brief.pk).update(body="[Amazon](party:amazon) now.")
    brief.body = "[Amazon](party:amazon) now."
    render_brief(brief)
    brief.title = "Retitled"
    brief.save()
    assert 'href="/parties/amazon/"' in Brief.objects.get(pk=brief.pk).body_html
