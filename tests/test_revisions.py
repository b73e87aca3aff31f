"""Revisions of a brief with its links: recorded on save, readable diffs, exact restore; edit conflicts."""

import datetime

import pytest
from django.utils import timezone

from briefs.models import Brief, BriefDeal, BriefParty, BriefQuote, BriefSource, Note
from briefs.services import locking, restoring, revisions
from briefs.services.rendering import render_brief

from .deal_builders import sourced_deal
from .factories import make_brief, make_party, make_quote, make_source
from .workflow_helpers import EventRecorder, make_user

pytestmark = pytest.mark.django_db


def state_of(brief):
    """Everything a restore must give back, in comparable form."""
    brief = Brief.objects.get(pk=brief.pk)
    facts = {name: getattr(brief, name) for name in ("title", "slug", "dek", "body")}
    return {
        "facts": facts,
        "authors": sorted(brief.authors.values_list("pk", flat=True)),
        "related": sorted(brief.related.values_list("pk", flat=True)),
        "parties": list(
            BriefParty.objects.filter(brief=brief)
            .order_by("position", "pk")
            .values_list("party_id", "role", "position")
        ),
        "sources": list(
            BriefSource.objects.filter(brief=brief).order_by("position", "pk").values_list("source_id", "position")
        ),
        "quotes": list(
            BriefQuote.objects.filter(brief=brief).order_by("position", "pk").values_list("quote_id", "position")
        ),
        "notes": list(
            Note.objects.filter(brief=brief).order_by("position", "pk").values_list("key", "text", "position")
        ),
        "deals": list(
            BriefDeal.objects.filter(brief=brief)
            .order_by("position", "pk")
            .values_list("deal_id", "stage_id", "position")
        ),
        "html": brief.body_html,
        "annotations": list(brief.annotations.order_by("ordinal").values_list("kind", "exact", "start", "end")),
    }


@pytest.fixture
def rich_brief():
    amazon, anthropic = make_party(name="Amazon", slug="amazon"), make_party(name="Anthropic", slug="anthropic")
    tc, deck = make_source(key="tc"), make_source(key="deck")
    jassy = make_quote(key="jassy", text="Customers are excited.", source=tc)
    author = make_user("Writer")
    other = make_brief("Another deal.")
    brief = make_brief(
        "[Amazon](party:amazon) will invest [up to $4 billion](source:tc) in [Anthropic](party:anthropic).\n\n"
        "[“Customers are excited.”](quote:jassy) See [the deck](source:deck) and [Claude-Next](note:next).",
        parties=[(amazon, "investor"), (anthropic, "target")],
        sources=[tc, deck],
        quotes=[jassy],
        notes=[("next", "A planned model.")],
        published=False,
    )
    deal = sourced_deal(name="Amazon’s investment in Anthropic", stages=[{"description": "First tranche"}])
    BriefDeal.objects.create(brief=brief, deal=deal, stage=deal.stages.get(), position=0)
    BriefDeal.objects.create(brief=brief, deal=sourced_deal(name="Google’s investment in Anthropic"), position=1)
    brief.authors.add(author)
    brief.related.add(other)
    return brief


def test_restore_round_trip_gives_back_exact_body_facts_and_links(rich_brief):
    editor = make_user("Editor")
    first = revisions.record_revision(rich_brief, editor, "First version.")
    before = state_of(rich_brief)

    # A thorough edit: body, facts, every kind of link, authors and related.
    brief = Brief.objects.get(pk=rich_brief.pk)
    brief.body = "Rewritten: [Amazon](party:amazon) and [Zoom](party:zoom) at [$9 billion](source:new)."
    brief.title = "New title"
    brief.version += 1
    brief.save()
    BriefParty.objects.filter(brief=brief, role="target").delete()
    BriefParty.objects.filter(brief=brief, role="investor").update(role="acquirer", position=5)
    BriefParty.objects.create(brief=brief, party=make_party(name="Zoom", slug="zoom"), role="mentioned")
    BriefSource.objects.filter(brief=brief).delete()
    BriefSource.objects.create(brief=brief, source=make_source(key="new"))
    BriefQuote.objects.filter(brief=brief).delete()
    BriefDeal.objects.filter(brief=brief, position=1).delete()
    BriefDeal.objects.filter(brief=brief).update(stage=None, position=3)
    BriefDeal.objects.create(brief=brief, deal=sourced_deal(name="A third deal"), position=0)
    Note.objects.filter(brief=brief).update(text="Changed note.")
    brief.authors.clear()
    brief.related.clear()
    render_brief(brief)
    revisions.record_revision(brief, editor, "Second version.")
    assert state_of(brief) != before

    with EventRecorder() as recorder:
        restored = restoring.restore_revision(brief, first, editor)
    after = state_of(restored)
    assert after == before
    assert restored.version == brief.version + 1
    assert recorder.calls == [("changed", brief.pk, None)]  # receivers see a draft is not public
    latest = revisions.revisions_of(brief).first()
    assert "Restored" in latest.revision.comment and latest.revision.user == editor
    assert revisions.revisions_of(brief).count() == 4  # made by make_brief, first, second, restored


def test_restore_keeps_status_and_publication_time(rich_brief):
    first = revisions.record_revision(rich_brief)
    when = timezone.now() - datetime.timedelta(days=1)
    Brief.objects.filter(pk=rich_brief.pk).update(status="published", published_at=when, body="Changed.")
    with EventRecorder() as recorder:
        restored = restoring.restore_revision(Brief.objects.get(pk=rich_brief.pk), first)
    assert (restored.status, restored.published_at) == ("published", when)
    assert restored.body == rich_brief.body
    assert [c[0] for c in recorder.calls] == ["changed"]  # live: caches and index refresh


def test_diff_is_readable_for_body_deals_and_links(rich_brief):
    first = revisions.record_revision(rich_brief)
    Brief.objects.filter(pk=rich_brief.pk).update(body=rich_brief.body.replace("will invest", "has invested"))
    BriefParty.objects.filter(brief=rich_brief, role="target").delete()
    BriefDeal.objects.filter(brief=rich_brief, position=1).delete()
    change = revisions.diff(revisions.snapshot_of_revision(first), revisions.snapshot_of_brief(rich_brief))
    labels = {c.label: c for c in change.changes}
    assert labels["deals"].old == ("Amazon’s investment in Anthropic — First tranche; Google’s investment in Anthropic")
    assert labels["deals"].new == "Amazon’s investment in Anthropic — First tranche"
    assert labels["parties"].old == "Amazon — Investor; Anthropic — Target"
    assert labels["parties"].new == "Amazon — Investor"
    assert ("-", rich_brief.body.splitlines()[0]) in change.body_lines
    assert any(op == "+" and "has invested" in line for op, line in change.body_lines)
    assert change.summary() == "body, deals, parties"


# Edit conflicts: optimistic locking on Brief.version ----------------------------------------------


def test_second_save_on_the_same_version_is_refused_with_who_and_what(rich_brief):
    alice = make_user("Editor", first_name="Alice")
    revisions.record_revision(rich_brief, alice, "Created.")
    opened = rich_brief.version  # both open the brief at this version

    # Alice saves first.
    assert locking.claim_version(rich_brief.pk, opened) == opened + 1
    Brief.objects.filter(pk=rich_brief.pk).update(dek="Alice's better dek.")
    revisions.record_revision(Brief.objects.get(pk=rich_brief.pk), alice, "Dek.")

    # Bob's save, based on the old version, is refused.
    with pytest.raises(locking.EditConflict) as refused:
        locking.claim_version(rich_brief.pk, opened)
    conflict = refused.value
    assert conflict.editors == [alice.get_full_name()]
    assert conflict.current_version == opened + 1
    assert [c.label for c in conflict.changes.changes] == ["dek"]
    assert "Alice" in str(conflict) and "dek" in str(conflict)
    assert Brief.objects.get(pk=rich_brief.pk).dek == "Alice's better dek."  # nothing overwritten


def test_if_match_etag_round_trip(rich_brief):
    tag = locking.etag_for(rich_brief)
    assert locking.version_from_if_match(tag, rich_brief.pk) == rich_brief.version
    assert locking.version_from_if_match("W/" + tag, rich_brief.pk) == rich_brief.version
    assert locking.version_from_if_match('"something-else"', rich_brief.pk) is None


def test_restore_that_would_clash_changes_nothing(rich_brief):
    first = revisions.record_revision(rich_brief)
    Brief.objects.filter(pk=rich_brief.pk).update(slug="renamed", body="Changed body.")
    make_brief("Another brief took the old slug.", slug=rich_brief.slug)
    with pytest.raises(restoring.RestoreFailed, match="clashes"):
        restoring.restore_revision(Brief.objects.get(pk=rich_brief.pk), first)
    after = Brief.objects.get(pk=rich_brief.pk)
    assert (after.slug, after.body, after.version) == ("renamed", "Changed body.", rich_brief.version)
    assert after.party_links.count() == 2 and after.notes.count() == 1


# Deals: every save through save_deal is a revision of the deal with its rows ---------------------


def test_each_deal_save_records_a_revision_holding_the_deal_and_its_rows():
    from reversion.models import Version

    from briefs.services.deals import save_deal

    amazon = make_party(name="Amazon")
    deal = sourced_deal(
        name="First name",
        participants=[{"party": amazon, "role": "investor", "is_lead": True}],
        stages=[{"description": "First tranche"}],
    )
    versions = Version.objects.get_for_object(deal)
    assert versions.count() == 1
    held = {v.content_type.model for v in versions.get().revision.version_set.all()}
    assert held == {"deal", "dealparticipant", "dealstage", "dealfigure"}

    deal.name = "Renamed"
    editor = make_user("Editor")
    save_deal(deal, user=editor)
    newest_first = Version.objects.get_for_object(deal)
    assert [v.field_dict["name"] for v in newest_first] == ["Renamed", "First name"]
    assert newest_first.first().revision.user == editor
