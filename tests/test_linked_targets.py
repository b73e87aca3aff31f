"""One way to say what a brief links: the kinds a request or form gives replace the saved ones."""

import pytest

from briefs.markup import LinkedTargets
from briefs.models import Brief
from briefs.services.rendering import linked_targets_for

from .factories import make_brief, make_party, make_source

pytestmark = pytest.mark.django_db


def test_saved_links_are_read_for_the_kinds_not_given():
    amazon = make_party(slug="amazon")
    brief = make_brief(parties=[(amazon, "investor")], sources=[make_source(key="tc")], notes=[("n1", "A note.")])
    assert linked_targets_for(brief) == LinkedTargets.of({"amazon": amazon.get_absolute_url()}, ["tc"], [], ["n1"])
    given = linked_targets_for(brief, parties=[], source_keys=["ft"], note_keys=["n2"])
    assert given == LinkedTargets.of({}, ["ft"], [], ["n2"])
    partly = linked_targets_for(brief, quote_keys=["q1"])
    assert partly == LinkedTargets.of({"amazon": amazon.get_absolute_url()}, ["tc"], ["q1"], ["n1"])


def test_a_brief_not_saved_yet_links_only_what_is_given():
    google = make_party(slug="google")
    assert linked_targets_for(None) == linked_targets_for(Brief()) == LinkedTargets()
    assert linked_targets_for(Brief(), parties=[google]) == LinkedTargets.of({"google": google.get_absolute_url()})
