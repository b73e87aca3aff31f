"""Searches and deep list pages are limited per address, with a friendly 429 and Retry-After."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings, time_machine):
    settings.PAGE_THROTTLE_RATE = "3/min"
    time_machine.move_to(1_800_000_030.0, tick=False)  # mid-window: the requests share one window


def test_searches_over_the_limit_get_a_friendly_429(client, three_a_minute):
    codes = [client.get("/search/", {"q": f"deal {n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/search/", {"q": "more"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 30
    assert "Please slow down" in refused.content.decode()


def test_the_limit_is_per_address(client, three_a_minute):
    for n in range(4):
        client.get("/search/", {"q": f"deal {n}"}, REMOTE_ADDR="203.0.113.1")
    assert client.get("/search/", {"q": "x"}, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_cheap_pages_are_never_counted(client, three_a_minute):
    for _ in range(10):
        assert client.get("/").status_code == 200
        assert client.get("/", {"page": 2}).status_code == 200  # the first pages are cheap enough
    assert client.get("/search/").status_code == 200  # the empty search form


def test_deep_pages_count(client, three_a_minute, settings):
    settings.PAGE_THROTTLE_FREE_PAGES = 1
    codes = [client.get("/", {"page": 9}).status_code for _ in range(4)]
    assert codes[-1] == 429
