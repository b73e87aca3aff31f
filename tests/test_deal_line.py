"""One deal-line rule: list items, search hits and the fact box put a deal's participants on the same sides."""

import pytest

from briefs.deal_facts import deal_summary
from briefs.deal_line import deal_lines
from search.documents import entry_queryset, entry_values
from search.service import Hit

from .deal_builders import brief_about, deal_with
from .factories import make_party

pytestmark = pytest.mark.django_db


def sides_everywhere(brief):
    """(acting, receiving) names as the list item, the search hit and the fact box see them."""
    brief = entry_queryset(type(brief).objects.filter(pk=brief.pk)).get()
    (line,) = deal_lines(brief)
    listed = ([p.party.name for p in line.acting], [p.party.name for p in line.receiving])
    hit = Hit(brief, "", "", entry_values(brief)["deal_line"], 0.0)
    searched = ([name for name, _ in hit.acting or hit.partners], [name for name, _ in hit.receiving])
    facts = deal_summary(line.deal if hasattr(line, "deal") else brief.deal_link.deal)
    named = {side: [p.party.name for p in facts[side]] for side in ("acting", "receiving", "partners")}
    assert (named["acting"] or named["partners"], named["receiving"]) == listed  # the fact box agrees
    return listed, searched


def make_brief(parties):
    return brief_about(deal_with(participants=parties))


def test_acting_and_receiving_sides_leave_partners_off_the_line():
    parties = [
        (make_party(slug="amazon", name="Amazon"), "investor"),
        (make_party(slug="google", name="Google"), "partner"),
        (make_party(slug="anthropic", name="Anthropic"), "target"),
        (make_party(slug="ms", name="Microsoft"), "acquirer"),
    ]
    listed, searched = sides_everywhere(make_brief(parties))
    assert listed == searched == (["Amazon", "Microsoft"], ["Anthropic"])


def test_partners_stand_on_the_acting_side_when_no_one_else_does():
    parties = [(make_party(slug="a", name="Alpha"), "partner"), (make_party(slug="b", name="Beta"), "partner")]
    brief = make_brief(parties)
    listed, searched = sides_everywhere(brief)
    assert listed == searched == (["Alpha", "Beta"], [])


def test_a_receiving_side_alone_shows_no_partners():
    parties = [(make_party(slug="t", name="Target"), "target"), (make_party(slug="p", name="Pal"), "partner")]
    listed, searched = sides_everywhere(make_brief(parties))
    assert listed == searched == ([], ["Target"])
