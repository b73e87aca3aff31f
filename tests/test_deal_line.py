"""One deal-line rule: list items, search hits and the fact box put the same parties on each side."""

import pytest

from briefs.deal_facts import deal_summary
from briefs.templatetags.briefs import deal_parties
from search.documents import entry_queryset, entry_values
from search.service import Hit

from .deal_builders import build_deal
from .factories import make_brief, make_party

pytestmark = pytest.mark.django_db


def sides_everywhere(brief):
    """(acting, receiving) names as the list item, the search hit and the fact box see them; the fact
    box shows a deal whose participants are the brief's parties in the same roles."""
    brief = entry_queryset(type(brief).objects.filter(pk=brief.pk)).get()
    acting, receiving = deal_parties(brief)
    listed = ([p.name for p in acting], [p.name for p in receiving])
    hit = Hit(brief, "", "", entry_values(brief)["deal_line"], 0.0)
    searched = ([name for name, _ in hit.acting or hit.partners], [name for name, _ in hit.receiving])
    deal = build_deal(participants=[(link.party, link.role) for link in brief.party_links.all()])
    facts = deal_summary(deal)
    named = {side: [p.party.name for p in facts[side]] for side in ("acting", "receiving", "partners")}
    boxed = (named["acting"] or named["partners"], named["receiving"])
    return listed, searched, boxed


def test_acting_and_receiving_sides_leave_partners_off_the_line():
    parties = [
        (make_party(slug="amazon", name="Amazon"), "investor"),
        (make_party(slug="google", name="Google"), "partner"),
        (make_party(slug="anthropic", name="Anthropic"), "target"),
        (make_party(slug="ms", name="Microsoft"), "acquirer"),
    ]
    listed, searched, boxed = sides_everywhere(make_brief(parties=parties))
    assert listed == searched == boxed == (["Amazon", "Microsoft"], ["Anthropic"])


def test_partners_stand_on_the_acting_side_when_no_one_else_does():
    parties = [(make_party(slug="a", name="Alpha"), "partner"), (make_party(slug="b", name="Beta"), "partner")]
    brief = make_brief(parties=parties)
    listed, searched, boxed = sides_everywhere(brief)
    assert listed == searched == boxed == (["Alpha", "Beta"], [])


def test_a_receiving_side_alone_shows_no_partners():
    parties = [(make_party(slug="t", name="Target"), "target"), (make_party(slug="p", name="Pal"), "partner")]
    listed, searched, boxed = sides_everywhere(make_brief(parties=parties))
    assert listed == searched == boxed == ([], ["Target"])
