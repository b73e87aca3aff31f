"""Every absolute URL the site prints comes from SITE_URL, whichever host or port a request came in on:
the API's links, its page links, the W3C annotation ids, canonical links, feeds, sitemaps."""

import json
import re

import pytest
from django.test import Client

from tests.factories import make_brief

pytestmark = pytest.mark.django_db

SITE = "https://deals.example.org"
ASKED_ON = "127.0.0.1:8100"  # a host the site serves that is not SITE_URL
DEMO = "amazon-invests-up-to-4-billion-in-anthropic"


@pytest.fixture
def on_other_host(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return Client(HTTP_HOST=ASKED_ON)


def absolute_urls(text):
    return set(re.findall(r"https?://[^\s\"'<>\\]+", text))


def assert_on_site(urls, where):
    assert urls, f"no absolute URL in {where}"
    stray = {url for url in urls if url.startswith("http://127.0.0.1") or url.startswith("http://testserver")}
    assert stray == set(), f"{where} links the host it was asked on, not SITE_URL"
    assert any(url.startswith(SITE + "/") for url in urls), where


def test_api_links_and_annotation_ids_share_site_url(on_other_host, demo_brief):
    client = on_other_host
    brief = client.get(f"/api/v1/briefs/{DEMO}/").json()
    assert brief["page_url"] == f"{SITE}/briefs/{DEMO}/"
    assert brief["api_url"] == f"{SITE}/api/v1/briefs/{DEMO}/"
    collection = client.get(f"/api/v1/briefs/{DEMO}/annotations/", HTTP_ACCEPT="application/ld+json").json()
    assert collection["id"] == f"{SITE}/api/v1/briefs/{DEMO}/annotations/"
    page = collection["first"]
    for annotation in page["items"]:
        assert annotation["id"].startswith(f"{SITE}/api/v1/briefs/{DEMO}/annotations/"), annotation["id"]
        assert annotation["target"]["source"] == brief["page_url"]
    for path in ("/api/v1/briefs/", "/api/v1/parties/", "/api/v1/deals/", "/api/v1/sources/"):
        assert_on_site(absolute_urls(client.get(path).content.decode()), path)


def test_api_page_links_are_on_site_url(on_other_host, demo_brief):
    for n in range(3):
        make_brief(title=f"Extra brief {n}", slug=f"extra-{n}")
    listing = on_other_host.get("/api/v1/briefs/?page_size=2&ordering=title").json()
    assert listing["next"].startswith(f"{SITE}/api/v1/briefs/?cursor=")
    second = on_other_host.get("/api/v1/briefs/?page_size=2&ordering=title&page=2").json()
    assert second["previous"] == f"{SITE}/api/v1/briefs/?ordering=title&page_size=2"
    parties = on_other_host.get("/api/v1/parties/?page_size=2").json()
    assert parties["next"] == f"{SITE}/api/v1/parties/?page=2&page_size=2"
    sync = on_other_host.get("/api/v1/briefs/sync/?page_size=2").json()
    assert sync["next"].startswith(f"{SITE}/api/v1/briefs/sync/?cursor=")


def test_pages_name_their_canonical_address_on_site_url(on_other_host, demo_brief):
    deal = demo_brief.deal_links.first().deal
    for path in (
        "/",
        f"/briefs/{DEMO}/",
        "/parties/amazon/",
        "/sources/techcrunch-2023-09-25/",
        deal.get_absolute_url(),
    ):
        html = on_other_host.get(path, {"utm_source": "x"}).content.decode()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert canonical == f"{SITE}{path}", path
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if ld:
            assert_on_site(absolute_urls(json.dumps(json.loads(ld.group(1)))), f"JSON-LD of {path}")


def test_feeds_and_sitemap_link_site_url(on_other_host, demo_brief):
    for path in (
        "/feed/rss/",
        "/feed/atom/",
        "/parties/amazon/feed/rss/",
        "/parties/amazon/feed/atom/",
        "/sitemap.xml",
    ):
        body = on_other_host.get(path).content.decode()
        own = {url for url in absolute_urls(body) if "w3.org" not in url and "sitemaps.org" not in url}
        assert_on_site(own, path)
