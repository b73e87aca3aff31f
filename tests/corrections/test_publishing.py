"""Publishing a correction: its own permission, only on live briefs, anchored, recorded in the brief's
history, a deal figure corrected through the deal's save path, nothing saved when refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from briefs.models import Transition
from briefs.services.rendering import BriefMarkupInvalid
from corrections.models import Correction
from corrections.publishing import CorrectionInvalid, publish_correction
from tests.deal_builders import brief_about, sourced_deal
from tests.workflow_helpers import make_user

from .helpers import BODY, corrected_brief

pytestmark = pytest.mark.django_db


def test_a_correction_marks_its_passage_and_is_recorded_in_the_history_like_a_transition():
    brief, correction, editor = corrected_brief()
    assert "[160 people](correction:correction-1)" in brief.body
    assert 'data-ref="correction:correction-1"' in brief.body_html
    record = Transition.objects.filter(brief=brief).first()
    assert (record.from_status, record.to_status, record.by) == ("published", "published", editor)
    assert record.comment == "Correction: It hired 140 people, not 160."
    assert correction.published_at == record.at


def test_a_deal_figure_correction_keeps_the_figure_before_and_after():
    brief, correction, _ = corrected_brief(figure_amount=Decimal("1500000000.00"))
    figure = correction.figure
    figure.refresh_from_db()
    assert figure.amount == Decimal("1500000000.00")
    assert (correction.figure_was, correction.figure_now) == ("$1.25 billion", "$1.5 billion")
    assert figure.deal.headline_amount == Decimal("1500000000.00")  # derived again by save_deal


def test_without_the_permission_nothing_is_published():
    brief = brief_about(sourced_deal(), body=BODY)
    writer = make_user("Writer")
    with pytest.raises(PermissionDenied):
        publish_correction(brief, writer, was="160", text="140", passage="160 people")
    assert not Correction.objects.exists()


@pytest.mark.parametrize("published", [False])
def test_a_draft_is_edited_not_corrected(published):
    brief = brief_about(sourced_deal(), body=BODY, published=published)
    with pytest.raises(CorrectionInvalid) as refused:
        publish_correction(brief, make_user("Editor"), was="160", text="140", passage="160 people")
    assert "brief" in refused.value.message_dict
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"was": "", "text": "140", "passage": "160 people"}, "was"),
        ({"was": "160", "text": "", "passage": "160 people"}, "text"),
        ({"was": "160", "text": "140", "passage": "not in the body"}, "passage"),
        ({"was": "160", "text": "14\x0b0", "passage": "160 people"}, "text"),
        ({"was": "160", "text": "140" * 1000, "passage": "160 people"}, "text"),
        ({"was": "160", "text": "140", "passage": "160 people", "key": "bad key!"}, "key"),
        ({"was": "160", "text": "140"}, "passage"),  # a correction must be anchored
        ({"kind": "update", "was": "160", "text": "More news."}, "was"),
    ],
)
def test_each_bad_input_is_refused_on_its_field_and_saves_nothing(fields, field):
    brief = brief_about(sourced_deal(), body=BODY)
    before = (brief.body, brief.version)
    with pytest.raises(CorrectionInvalid) as refused:
        publish_correction(brief, make_user("Editor"), **fields)
    assert field in refused.value.message_dict
    brief.refresh_from_db()
    assert (brief.body, brief.version) == before
    assert not Correction.objects.exists()


def test_an_update_needs_no_passage_and_a_corrected_body_may_mark_its_own():
    brief = brief_about(sourced_deal(), body=BODY)
    editor = make_user("Editor")
    update = publish_correction(brief, editor, kind="update", text="The round closed in June.")
    assert update.key == "update-1"
    body = BODY.replace("160 people", "[140 people](correction:headcount)")
    publish_correction(brief, editor, key="headcount", was="160 people", text="140 people", body=body)
    brief.refresh_from_db()
    assert 'data-ref="correction:headcount"' in brief.body_html
    # The key anchors only while the correction exists; an unknown one is a markup error.
    with pytest.raises(BriefMarkupInvalid):
        publish_correction(brief, editor, was="x", text="y", body=BODY + " [z](correction:nope)")
