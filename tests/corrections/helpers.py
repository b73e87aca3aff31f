from briefs.models import Brief
from corrections.publishing import publish_correction
from tests.committing import as_committed
from tests.deal_builders import brief_about, sourced_deal
from tests.workflow_helpers import make_user

BODY = "Anthropic raised a Series C round led by Spark Capital. It hired 160 people."


def corrected_brief(**correction):
    """A live brief about a deal with one official $1.25 billion figure, corrected by an Editor:
    its passage "160 people" marked, and, with figure_amount=…, its deal figure corrected."""
    deal = sourced_deal(name="Anthropic Series C")
    brief = brief_about(deal, body=BODY, title="Anthropic raises its Series C", slug="anthropic-series-c")
    editor = make_user("Editor")
    correction.setdefault("was", "It hired 160 people.")
    correction.setdefault("text", "It hired 140 people, not 160.")
    correction.setdefault("passage", "160 people")
    if correction.get("figure_amount") is not None:
        correction.setdefault("figure", deal.figures.get())
    with as_committed():
        made = publish_correction(brief, editor, **correction)
    return Brief.objects.get(pk=brief.pk), made, editor
