"""Webhooks: a receiver on 127.0.0.1 gets signed POSTs when a brief is published, updated or
withdrawn; failures are retried with backoff and every attempt is recorded."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib import admin

from briefs.models import Brief
from briefs.services import workflow
from briefs.services.saving import save_brief
from tests.api.conftest import token_client
from tests.factories import make_brief
from tests.workflow_helpers import make_user
from webhooks.delivery import backoff as _backoff
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.signing import verify

pytestmark = pytest.mark.django_db(transaction=False)


class Receiver:
    """http.server in a thread, 127.0.0.1 only; answers with the queued statuses, then 200."""

    def __init__(self):
        self.requests, self.statuses = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks" if status == 200 else b"nope")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def events(self):
        return [json.loads(body)["event"] for _, body in self.requests]


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def subscription(receiver):
    return WebhookSubscription.objects.create(name="Test receiver", url=receiver.url)


def commit(django_capture_on_commit_callbacks, action):
    with django_capture_on_commit_callbacks(execute=True):
        return action()


def test_publish_update_withdraw_are_posted_signed(receiver, subscription, django_capture_on_commit_callbacks):
    brief = commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="deal", published=False))
    assert receiver.requests == []  # a draft is nobody's business

    editor = make_user("admin")

    def publish():
        workflow.submit(brief, editor)
        workflow.publish(brief, editor)

    commit(django_capture_on_commit_callbacks, publish)

    def edit():
        brief.title = "Edited"
        save_brief(brief, user=editor)

    commit(django_capture_on_commit_callbacks, edit)
    commit(django_capture_on_commit_callbacks, lambda: workflow.withdraw(brief, editor))
    assert receiver.events() == ["brief.published", "brief.updated", "brief.withdrawn"]
    for headers, body in receiver.requests:
        assert headers["Content-Type"] == "application/json"
        assert verify(subscription.secret, headers["X-Dealsite-Timestamp"], body, headers["X-Dealsite-Signature"])
        assert not verify("wrong-secret", headers["X-Dealsite-Timestamp"], body, headers["X-Dealsite-Signature"])
        payload = json.loads(body)
        assert headers["X-Dealsite-Event"] == payload["event"] and headers["X-Dealsite-Delivery"] == payload["id"]
        assert payload["brief"]["slug"] == "deal"
    published = json.loads(receiver.requests[0][1])
    assert published["brief"]["title"] == brief.title or published["brief"]["title"].startswith("Brief")
    assert published["brief"]["api_url"].endswith("/api/v1/briefs/deal/")
    withdrawn = json.loads(receiver.requests[2][1])
    assert set(withdrawn["brief"]) == {"slug", "api_url", "page_url"}  # no content of a withdrawn brief
    assert WebhookDelivery.objects.filter(outcome="succeeded").count() == 3


def test_api_write_sends_one_event_per_transaction(
    receiver, subscription, publisher, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="live"))
    receiver.requests.clear()
    api = token_client(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch("/api/v1/briefs/live/", {"title": "Changed via API"}, format="json")
    assert response.status_code == 200
    assert receiver.events() == ["brief.updated"]
    assert json.loads(receiver.requests[0][1])["brief"]["title"] == "Changed via API"


def test_rolled_back_changes_send_nothing(receiver, subscription, publisher, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="live"))
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(publisher).patch("/api/v1/briefs/live/", {"body": "[x](party:nobody)"}, format="json")
    assert response.status_code == 400
    assert receiver.requests == []


def test_failures_are_retried_with_backoff_and_every_attempt_recorded(
    receiver, subscription, settings, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503]
    commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="flaky"))
    attempts = list(WebhookDelivery.objects.order_by("attempt").values_list("attempt", "outcome", "response_status"))
    assert attempts == [(1, "failed", 500), (2, "failed", 503), (3, "succeeded", 200)]
    assert len({d for d in WebhookDelivery.objects.values_list("delivery_id", flat=True)}) == 1
    assert [_backoff(n) for n in range(3)] == [30, 60, 120]


def test_gives_up_after_the_last_retry(subscription, receiver, settings, django_capture_on_commit_callbacks):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "WEBHOOK_MAX_RETRIES": 2}
    receiver.statuses = [500] * 10
    commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="down"))
    outcomes = list(WebhookDelivery.objects.order_by("attempt").values_list("outcome", flat=True))
    assert outcomes == ["failed", "failed", "gave_up"]


def test_unreachable_receiver_is_recorded_not_raised(db, settings, django_capture_on_commit_callbacks):
    settings.DEALSITE_API = {**settings.DEALSITE_API, "WEBHOOK_MAX_RETRIES": 0}
    WebhookSubscription.objects.create(name="Gone", url="http://127.0.0.1:9/hook")
    commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="x"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.outcome == "gave_up" and "Connection refused" in delivery.error


def test_subscribers_choose_events_and_inactive_ones_get_nothing(receiver, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(name="Only withdrawals", url=receiver.url, events=["brief.withdrawn"])
    WebhookSubscription.objects.create(name="Paused", url=receiver.url, is_active=False)
    brief = commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="y"))
    assert receiver.requests == []

    def delete():
        Brief.objects.filter(pk=brief.pk).delete()

    commit(django_capture_on_commit_callbacks, delete)
    assert receiver.events() == ["brief.withdrawn"]


def test_admin_module_registers_webhooks_and_deliveries():
    assert WebhookSubscription in admin.site._registry and WebhookDelivery in admin.site._registry
    delivery_admin = admin.site._registry[WebhookDelivery]
    assert not delivery_admin.has_add_permission(None) and not delivery_admin.has_change_permission(None)


def test_tokens_are_managed_in_the_admin():
    from rest_framework.authtoken.models import TokenProxy

    assert TokenProxy in admin.site._registry


def test_a_rolled_back_save_of_a_live_brief_sends_nothing(receiver, subscription, django_capture_on_commit_callbacks):
    from django.db import transaction

    brief = commit(django_capture_on_commit_callbacks, lambda: make_brief(slug="live"))
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                workflow.withdraw(brief, make_user("admin"))
                raise RuntimeError("editor's save failed half-way")
    assert receiver.requests == []
    assert Brief.objects.get(pk=brief.pk).status == "published"
