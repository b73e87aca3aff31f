"""Feeds (site and per party), the sitemap and robots.txt: published briefs only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import timezone

from briefs.demo import content as demo_content
from tests.factories import make_brief, make_party, make_source

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("/feed/rss/", "/feed/atom/")

HIDDEN_STATES = {
    "draft": {"status": "draft", "published_at": timezone.now() - datetime.timedelta(days=1)},
    "in_review": {"status": "in_review", "published_at": None},
    "withdrawn": {"status": "withdrawn", "published_at": timezone.now() - datetime.timedelta(days=1)},
    "scheduled_future": {"status": "scheduled", "published_at": timezone.now() + datetime.timedelta(days=1)},
}


def xml(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return ET.fromstring(response.content)


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_pages(client):
    """The sitemap index's pages, as paths."""
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [loc.text.removeprefix(settings.SITE_URL) for loc in index.iter(f"{SITEMAP}loc")]


def sitemap_locs(client):
    """Every URL the sitemap lists, through its index and every page."""
    return [
        loc.text.removeprefix(settings.SITE_URL)
        for page in sitemap_pages(client)
        for loc in xml(client, page).iter(f"{SITEMAP}loc")
    ]


def feed_titles(root):
    if root.tag == "rss":
        return [item.findtext("title") for item in root.iter("item")]
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def demo_titles_latest_first(briefs=demo_content.BRIEFS):
    ordered = sorted(briefs, key=lambda brief: brief["fields"]["published_at"], reverse=True)
    return [brief["fields"]["title"] for brief in ordered]


def test_site_feeds_list_the_demo_brief(client, demo_brief):
    for url in FEEDS:
        root = xml(client, url)
        assert feed_titles(root) == demo_titles_latest_first(), url
    rss = xml(client, "/feed/rss/")
    (item,) = [item for item in rss.iter("item") if item.findtext("title") == demo_brief.title]
    assert item.findtext("link").endswith(demo_brief.get_absolute_url())
    assert item.findtext("description").startswith(demo_brief.dek)


def test_party_feeds_list_the_briefs_the_party_is_in(client, demo_brief):
    other = make_brief(title="A deal without Amazon", parties=[(make_party(), "target")])
    for url in ("/parties/amazon/feed/rss/", "/parties/amazon/feed/atom/"):
        titles = feed_titles(xml(client, url))
        with_amazon = [b for b in demo_content.BRIEFS if "amazon" in {slug for slug, _ in b["parties"]}]
        assert titles == demo_titles_latest_first(with_amazon), url
        assert other.title not in titles


def test_feeds_are_latest_first(client, db):
    old = make_brief(title="Older deal", published_at=timezone.now() - datetime.timedelta(days=3))
    new = make_brief(title="Newer deal", published_at=timezone.now() - datetime.timedelta(days=1))
    for url in FEEDS:
        assert feed_titles(xml(client, url)) == [new.title, old.title]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_brief_is_in_no_feed_or_sitemap(client, demo_brief, state):
    secret_party = make_party(name="Secret Target Corp", slug="secret-target")
    secret_source = make_source(key="secret-source", title="Secret term sheet")
    amazon = demo_brief.party_links.get(party__slug="amazon").party
    make_brief(
        "[Secret Target Corp](party:secret-target) is being bought [for a lot](source:secret-source).",
        title="Secret acquisition",
        slug="secret-deal",
        parties=[(amazon, "acquirer"), (secret_party, "target")],
        sources=[secret_source],
        published=False,
        **HIDDEN_STATES[state],
    )
    for url in (*FEEDS, "/parties/amazon/feed/rss/", "/parties/amazon/feed/atom/", *sitemap_pages(client)):
        body = client.get(url).content.decode()
        for secret in ("Secret acquisition", "secret-deal", "secret-target", "secret-source"):
            assert secret not in body, (url, secret)
    # A party that so far appears only in unpublished briefs has no feed at all.
    assert client.get("/parties/secret-target/feed/rss/").status_code == 404
    assert client.get("/parties/secret-target/feed/atom/").status_code == 404


def test_sitemap_lists_home_published_briefs_public_parties_sources_and_deals(client, demo_brief):
    from briefs.models import Deal

    locs = set(sitemap_locs(client))
    assert "/" in locs
    assert demo_brief.get_absolute_url() in locs
    assert {"/parties/amazon/", "/parties/andy-jassy/", "/sources/techcrunch-2023-09-25/"} <= locs
    deals = {deal.get_absolute_url() for deal in Deal.objects.public()}
    assert deals and deals <= locs
    briefs, parties, sources = (len(demo_content.BRIEFS), len(demo_content.PARTIES), len(demo_content.SOURCES))
    assert len(locs) == 1 + briefs + parties + sources + len(deals)


def brief_pages(client):
    return [page for page in sitemap_pages(client) if page.startswith("/sitemap-briefs.xml")]


def slugs_on(client, page):
    return [loc.text.rstrip("/").rsplit("/", 1)[-1] for loc in xml(client, page).iter(f"{SITEMAP}loc")]


def test_the_sitemap_is_an_index_of_pages_each_a_block_of_keys_within_the_page_size(client, db, monkeypatch):
    from briefs import sitemaps

    monkeypatch.setattr(sitemaps, "SITEMAP_PAGE_SIZE", 2)
    made = [make_brief(slug=f"paged-{n}") for n in range(5)]
    blocks = sorted({(brief.pk - 1) // 2 for brief in made})
    pages = brief_pages(client)
    assert pages == ["/sitemap-briefs.xml", *(f"/sitemap-briefs.xml?p={n}" for n in range(2, len(blocks) + 1))]
    on_pages = [slugs_on(client, page) for page in pages]
    assert on_pages == [[b.slug for b in made if (b.pk - 1) // 2 == block] for block in blocks]
    assert all(1 <= len(slugs) <= 2 for slugs in on_pages)
    locs = sitemap_locs(client)
    assert len(locs) == len(set(locs))
    assert client.get(f"/sitemap-briefs.xml?p={len(pages) + 1}").status_code == 404


def test_a_withdrawal_changes_its_own_sitemap_page_and_no_other(client, db, monkeypatch):
    """Pages are blocks of keys, not offsets: the briefs after a withdrawn one stay on their pages,
    so a crawler's copies of the other pages stay right."""
    from briefs import sitemaps
    from briefs.models import Brief

    monkeypatch.setattr(sitemaps, "SITEMAP_PAGE_SIZE", 2)
    made = [make_brief(slug=f"kept-{n}") for n in range(6)]
    before = [slugs_on(client, page) for page in brief_pages(client)]
    withdrawn = [made[2]]
    Brief.objects.filter(pk=made[2].pk).update(status="withdrawn")
    after = [slugs_on(client, page) for page in brief_pages(client)]
    assert after == [[slug for slug in slugs if slug != made[2].slug] for slugs in before]
    # Withdrawing the whole first page keeps it, empty, and every other page where it was.
    first_block = [brief for brief in made if (brief.pk - 1) // 2 == (made[0].pk - 1) // 2]
    Brief.objects.filter(pk__in=[brief.pk for brief in first_block]).update(status="withdrawn")
    withdrawn += first_block
    gone = {brief.slug for brief in withdrawn}
    after = [slugs_on(client, page) for page in brief_pages(client)]
    assert after == [[slug for slug in slugs if slug not in gone] for slugs in before] and after[0] == []


def test_a_block_with_no_public_brief_is_an_empty_page_between_full_ones(client, db, monkeypatch):
    from briefs import sitemaps
    from briefs.models import Brief

    monkeypatch.setattr(sitemaps, "SITEMAP_PAGE_SIZE", 2)
    made = [make_brief(slug=f"run-{n}") for n in range(8)]
    hidden = [brief for brief in made if (brief.pk - 1) // 2 == (made[3].pk - 1) // 2]
    Brief.objects.filter(pk__in=[brief.pk for brief in hidden]).update(status="draft")
    pages = [slugs_on(client, page) for page in brief_pages(client)]
    assert [] in pages and pages[0] and pages[-1]
    assert sorted(slug for slugs in pages for slug in slugs) == sorted(b.slug for b in made if b not in hidden)


def test_the_sitemap_index_reads_as_much_however_many_briefs_deals_and_parties_are_public(client, db):
    """Its pages are numbered from the first and last public keys and its dates are the last one
    each, read off indexes, not a COUNT of every public row (which checks each deal for a
    published brief)."""
    from briefs.models import Brief, BriefDeal, BriefParty, Deal, Party
    from tests.query_plans import statements_of, work_of

    hour_ago = timezone.now() - datetime.timedelta(hours=1)

    def publish(count, prefix):
        """`count` published briefs, each about a deal of its own and linking a party of its own."""
        briefs = Brief.objects.bulk_create(
            Brief(title=f"{prefix} {n}", slug=f"{prefix}-{n}", status="published", published_at=hour_ago)
            for n in range(count)
        )
        deals = Deal.objects.bulk_create(Deal(name=f"{prefix} {n}", slug=f"{prefix}-deal-{n}") for n in range(count))
        parties = Party.objects.bulk_create(
            Party(name=f"{prefix} {n}", slug=f"{prefix}-party-{n}") for n in range(count)
        )
        BriefDeal.objects.bulk_create(BriefDeal(brief=b, deal=d) for b, d in zip(briefs, deals, strict=True))
        BriefParty.objects.bulk_create(
            BriefParty(brief=b, party=p, role="investor") for b, p in zip(briefs, parties, strict=True)
        )

    def work():
        sent = statements_of(lambda: client.get("/sitemap.xml"))
        return sum(work_of(sql, params) for sql, params in sent if sql.startswith("SELECT"))

    publish(20, "few")
    few = work()
    # Enough that PostgreSQL, too, probes row by row: it hashes a whole subquery that fits in work_mem.
    publish(5000, "many")
    assert work() <= few * 1.2


def test_robots_txt_points_at_the_sitemap_and_hides_admin_and_previews(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body  # SITE_URL
    assert "Disallow: /admin/" in body and "Disallow: /briefs/*/preview/" in body


def test_the_sitemap_reads_the_clock_per_request(client, db):
    """Its querysets are made when the sitemap is served, so a brief that just went live is listed."""
    party = make_party(slug="just-live")
    brief = make_brief(parties=[(party, "investor")], published_at=timezone.now())
    assert {brief.get_absolute_url(), party.get_absolute_url()} <= set(sitemap_locs(client))


@pytest.mark.parametrize(
    "url", ["/feed/rss/", "/feed/atom/", "/parties/pasted/feed/rss/", "/parties/pasted/feed/atom/"]
)
def test_a_control_character_written_around_the_inputs_cannot_take_a_feed_down(client, url):
    """A vertical tab pasted from a word processor, stored by raw SQL or an old row: the feeds still
    answer, and parse as XML."""
    from xml.etree import ElementTree

    from briefs.models import Brief, Party

    party = make_party(slug="pasted", name="Pasted Party")
    brief = make_brief(parties=[(party, "investor")])
    Brief.objects.filter(pk=brief.pk).update(dek="Pasted\x0btext", title="Title\x0c here")
    Party.objects.filter(pk=party.pk).update(name="Pasted\x0bParty")
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert "Pastedtext" in ElementTree.tostring(root, encoding="unicode")


def test_the_sitemap_lists_public_deals_and_not_a_deal_only_a_draft_is_about(client):
    from tests.deal_builders import brief_about, deal_with

    public, hidden = deal_with(slug="public-deal"), deal_with(slug="hidden-deal")
    brief_about(public)
    brief_about(hidden, published=False)
    locs = sitemap_locs(client)
    assert any(loc.endswith(public.get_absolute_url()) for loc in locs)
    assert not any("hidden-deal" in loc for loc in locs)
