"""Search beyond one window of ranked matches (keyset windows of older matches, an honest count)
and "did you mean" for swapped letters."""

import datetime

import pytest
from django.utils import timezone

from search import search, service
from tests.factories import make_brief, make_party

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def lithium_briefs(count):
    now = timezone.now()
    return [
        make_brief(f"Lithium deal number {n}.", title=f"Lithium {n}", published_at=now - datetime.timedelta(hours=n))
        for n in range(count)
    ]


def unmarked(response):
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_every_match_is_reached_through_windows_of_older_matches_each_once(monkeypatch):
    monkeypatch.setattr(service, "CANDIDATE_CAP", 3)
    made = lithium_briefs(8)
    seen, before, windows = [], None, 0
    while True:
        results = search("lithium", per_page=2, before=before)
        assert results.total == 8 and not results.total_is_capped
        for page in range(1, results.num_pages + 1):
            seen += [hit.brief.pk for hit in search("lithium", per_page=2, page=page, before=before).hits]
        windows += 1
        if results.older is None:
            break
        before = results.older
    assert windows == 3 and sorted(seen) == sorted(brief.pk for brief in made) and len(seen) == len(set(seen))


def test_the_search_page_says_how_many_and_links_to_older_matches(client, monkeypatch):
    monkeypatch.setattr(service, "CANDIDATE_CAP", 3)
    lithium_briefs(5)
    first = unmarked(client.get("/search/?q=lithium"))
    assert "5 results" in first and "older matches" in first and "add a word or a filter to narrow" in first
    older = search("lithium").older
    second = unmarked(client.get(f"/search/?q=lithium&before={older}"))
    # Windows go by brief id, newest made first: the last two made are the first window's.
    assert "Lithium 0" in second and "Lithium 1" in second and "Lithium 4" not in second
    assert "Most recent matches" in second and "Older matches →" not in second


def test_the_api_pages_into_older_matches(client, monkeypatch):
    monkeypatch.setattr(service, "CANDIDATE_CAP", 3)
    lithium_briefs(5)
    first = client.get("/api/v1/search/?q=lithium").json()
    assert first["total"] == 5 and first["ranked"] == 3 and first["older"]
    second = client.get(f"/api/v1/search/?q=lithium&before={first['older']}").json()
    assert [item["title"] for item in second["results"]] == ["Lithium 0", "Lithium 1"] and second["older"] is None


@pytest.mark.parametrize(
    ("typed", "name", "suggested"),
    [
        ("Pinancle Robotics", "Pinnacle Robotics", "Pinnacle Robotics"),
        ("Cidner Payments", "Cinder Payments", "Cinder Payments"),
        ("cidner", "Cinder Payments", "Cinder"),
    ],
)
def test_swapped_letters_get_a_did_you_mean(typed, name, suggested):
    party = make_party(name=name)
    make_brief("Text.", parties=[(party, "target")])
    results = search(typed)
    assert results.total == 0 and results.suggestion == suggested


def test_a_word_two_edits_from_a_short_name_is_not_corrected():
    party = make_party(name="Cinder Payments")
    make_brief("Text.", parties=[(party, "target")])
    assert search("cdienr").suggestion is None
