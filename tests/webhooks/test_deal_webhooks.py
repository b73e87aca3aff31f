"""Deal webhooks: deal.created when a deal first becomes public (its first brief published),
deal.updated / deal.status_changed for saves of a public deal, nothing for a deal readers cannot see."""

import json

import pytest

from briefs.models import Brief, Deal
from briefs.services import workflow
from briefs.services.deals import save_deal
from briefs.services.saving import Links, save_brief
from tests.deal_builders import brief_about, sourced_deal
from tests.workflow_helpers import make_user
from webhooks.models import AnnouncedDeal, WebhookDelivery, WebhookSubscription
from webhooks.signing import verify

from .test_webhooks import commit, receiver, subscription  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=False)


def deal_posts(receiver):  # noqa: F811
    """(event, deal payload) of every deal event the receiver got, in order."""
    bodies = [json.loads(body) for _, body in receiver.requests]
    return [(body["event"], body["deal"]) for body in bodies if body["event"].startswith("deal.")]


def publish(brief):
    editor = make_user("admin")
    workflow.submit(brief, editor)
    workflow.publish(brief, editor)


def test_a_rumour_with_a_draft_brief_announces_nothing(receiver, subscription, django_capture_on_commit_callbacks):  # noqa: F811
    def enter_rumour():
        deal = sourced_deal(name="A rumoured merger", status="rumoured", announced_on=None)
        brief_about(deal, published=False)
        deal.name = "A rumoured merger, renamed"
        save_deal(deal)

    commit(django_capture_on_commit_callbacks, enter_rumour)
    assert receiver.requests == []
    assert not AnnouncedDeal.objects.exists()


def test_a_deal_is_created_for_subscribers_when_its_first_brief_is_published(
    receiver,  # noqa: F811
    subscription,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    deal = commit(django_capture_on_commit_callbacks, lambda: sourced_deal(name="Amazon’s investment in Anthropic"))
    brief = commit(
        django_capture_on_commit_callbacks,
        lambda: brief_about(deal, body="Amazon invests in Anthropic.", published=False),
    )
    assert receiver.requests == []  # not public yet

    commit(django_capture_on_commit_callbacks, lambda: publish(brief))
    assert receiver.events() == ["brief.published", "deal.created"]
    ((event, payload),) = deal_posts(receiver)
    assert payload["slug"] == deal.slug and payload["name"] == "Amazon’s investment in Anthropic"
    assert payload["status"] == "announced" and payload["headline"] == "$1.25 billion"
    assert payload["api_url"].endswith(f"/api/v1/deals/{deal.slug}/")
    assert payload["page_url"].endswith(f"/deals/{deal.slug}/")
    headers, body = receiver.requests[-1]
    assert verify(subscription.secret, headers["X-Dealsite-Timestamp"], body, headers["X-Dealsite-Signature"])
    assert WebhookDelivery.objects.get(event="deal.created").deal_slug == deal.slug

    # A second brief about the same deal does not create it again.
    commit(django_capture_on_commit_callbacks, lambda: brief_about(deal))
    assert [event for event, _ in deal_posts(receiver)] == ["deal.created"]


def test_saves_of_a_public_deal_are_updates_or_status_changes(
    receiver,  # noqa: F811
    subscription,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    deal = sourced_deal(name="Amazon’s investment in Anthropic")
    brief_about(deal)  # published: the deal is created for subscribers
    assert [event for event, _ in deal_posts(receiver)] == ["deal.created"]
    receiver.requests.clear()

    deal = Deal.objects.get(pk=deal.pk)
    deal.summary = "Amazon takes a minority stake."
    commit(django_capture_on_commit_callbacks, lambda: save_deal(deal))
    deal.status, deal.closed_on = "completed", deal.announced_on
    commit(django_capture_on_commit_callbacks, lambda: save_deal(deal))
    posts = deal_posts(receiver)
    assert [event for event, _ in posts] == ["deal.updated", "deal.status_changed"]
    assert posts[1][1]["status"] == "completed" and posts[1][1]["previous_status"] == "announced"
    assert "previous_status" not in posts[0][1]


def test_a_deal_linked_to_a_live_brief_is_created_then(receiver, subscription, django_capture_on_commit_callbacks):  # noqa: F811
    live = brief_about()
    deal = sourced_deal(name="A deal added later")
    receiver.requests.clear()
    commit(
        django_capture_on_commit_callbacks,
        lambda: save_brief(Brief.objects.get(pk=live.pk), links=Links(deals=[(deal, None)])),
    )
    assert receiver.events() == ["brief.updated", "deal.created"]
    assert deal_posts(receiver)[0][1]["slug"] == deal.slug


def test_subscribers_that_did_not_choose_deal_events_get_none(receiver, django_capture_on_commit_callbacks):  # noqa: F811
    WebhookSubscription.objects.create(name="Briefs only", url=receiver.url, events=["brief.published"])
    deal = sourced_deal()
    brief = brief_about(deal, published=False)
    commit(django_capture_on_commit_callbacks, lambda: publish(brief))
    assert receiver.events() == ["brief.published"]
    assert AnnouncedDeal.objects.filter(deal=deal).exists()  # announced, to those who asked
