"""The reader-facing pages: what they show, what they hide, and what they cost in queries."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief
from tests.deal_builders import anthropic_deal, brief_about, deal_with, money
from tests.factories import make_brief, make_deal, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db

DEMO_URL = "/briefs/amazon-invests-up-to-4-billion-in-anthropic/"


class Tags(HTMLParser):
    """Start tags of a page as (tag, attrs dict), in order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def find(self, tag=None, **attrs):
        return [
            found
            for name, found in self.tags
            if (tag is None or name == tag) and all(found.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def ids(self):
        return {found["id"] for _, found in self.tags if "id" in found}


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def jsonld_of(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# ---------------------------------------------------------------- demo brief on every page


def test_home_lists_a_brief_with_its_deals_line(client, db):
    amazon, anthropic = make_party(name="Amazon"), make_party(name="Anthropic")
    google = make_party(name="Google")
    deal = deal_with(
        participants=[(amazon, "investor", {"is_lead": True}), (google, "investor"), (anthropic, "target")],
        amount="1250000000",
        up_to="4000000000",
        announced_on=datetime.date(2023, 9, 25),
    )
    brief = brief_about(deal)
    html = page(client, "/")
    assert brief.title in html
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="deal-line">(.*?)</p>', html, re.S).group(1))
    assert "Amazon (lead), Google → Anthropic" in text
    assert "$1.25 billion, up to $4 billion" in text
    assert "Investment" in text and "Announced 25 Sep 2023" in text and "Completed" not in text


def test_home_deal_line_is_honest_about_an_undisclosed_size_and_shows_a_status(client, db):
    deal = deal_with(
        participants=[(make_party(name="Buyer"), "acquirer"), (make_party(name="Seller Co"), "target")],
        reported=[("10000000000", "USD", "Bloomberg")],
        amount_disclosure="undisclosed",
        deal_type="acquisition",
        status="completed",
        closed_on=datetime.date(2024, 2, 1),
    )
    brief_about(deal)
    text = re.sub(r"<[^>]+>", "", page(client, "/"))
    assert "Undisclosed (reported: $10 billion, by Bloomberg)" in text and "Completed" in text


def test_home_paginates_the_latest_briefs(client, settings, db):
    settings.DEALSITE = {**settings.DEALSITE, "HOME_PAGE_SIZE": 2}
    briefs = [
        make_brief(title=f"Numbered brief {n}", published_at=timezone.now() - datetime.timedelta(days=n))
        for n in range(1, 6)
    ]
    first, last = page(client, "/"), page(client, "/?page=3")
    assert briefs[0].title in first and briefs[1].title in first and briefs[2].title not in first
    assert "Page 1 of 3" in first and 'rel="next" href="?page=2"' in first
    assert briefs[4].title in last and 'rel="prev"' in last


def test_brief_page_shows_the_deal_fact_box_from_the_deal_it_is_about(client, db):
    amazon, anthropic = make_party(name="Amazon", slug="amazon"), make_party(name="Anthropic", slug="anthropic")
    brief = brief_about(anthropic_deal(amazon, anthropic))
    html = page(client, brief.get_absolute_url())
    box = re.search(r'<aside class="fact-box".*?</aside>', html, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", box).split())
    assert "Investor Amazon (lead)" in text
    assert "Target Anthropic" in text
    assert "Size $1.25 billion, up to $4 billion" in text
    assert "Stake minority stake" in text
    assert "Valuation Not disclosed" in text
    assert 'Announced <time datetime="2023-09-25">25 Sep 2023</time>' in box
    assert "Deal type Investment" in text
    assert 'Investment<span class="sep" aria-hidden="true"> · </span>Announced' in html  # the kicker


def test_fact_box_says_not_disclosed_for_an_undisclosed_amount(client, db):
    brief = brief_about(make_deal(amount_disclosure="undisclosed", participants=[(make_party(), "investor")]))
    box = re.search(r'<aside class="fact-box".*?</aside>', page(client, brief.get_absolute_url()), re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", box).split())
    assert "Size Undisclosed" in text and "$" not in text


def test_brief_page_shows_title_dek_body_authors_and_published_date(client, demo_brief, django_user_model):
    author = django_user_model.objects.create_user("writer", first_name="Ada", last_name="Lovelace")
    demo_brief.authors.add(author)
    html = page(client, DEMO_URL)
    assert f'<h1 id="brief-title" class="brief-title">{demo_brief.title}</h1>' in html
    assert demo_brief.dek in html
    assert demo_brief.body_html in html
    assert "Ada Lovelace" in html
    assert 'Published <time datetime="2023-09-25T14:00:00+00:00">25 September 2023</time>' in html


def test_every_highlight_links_to_a_target_that_exists(client, demo_brief):
    html = page(client, DEMO_URL)
    tags = Tags(html)
    ids = tags.ids()
    annos = [attrs for tag, attrs in tags.tags if tag == "a" and "anno" in attrs.get("class", "").split()]
    assert {a["class"] for a in annos} == {"anno anno-party", "anno anno-source", "anno anno-quote", "anno anno-note"}
    for anno in annos:
        href = anno["href"]
        if href.startswith("#"):
            assert href[1:] in ids, f"{anno['data-ref']} points at missing {href}"
        else:
            assert client.get(href).status_code == 200, href
        # The card's content is server-rendered in the page: one entry per reference.
        assert tags.find(data_card=anno["data-ref"]), anno["data-ref"]


def test_sources_are_numbered_footnotes_in_citation_order(client, demo_brief):
    html = page(client, DEMO_URL)
    numbers = re.findall(r'<li id="source-(\d+)" value="(\d+)"', html)
    assert numbers == [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
    first = re.search(r'<li id="source-1".*?</li>', html, re.S).group(0)
    assert "Amazon to invest up to $4 billion in AI startup Anthropic" in first
    assert "TechCrunch" in first and "25 Sep 2023" in first
    assert 'href="https://techcrunch.com/2023/09/25/' in first


def test_quotes_show_verbatim_text_with_speaker_linked_and_source(client, demo_brief):
    html = page(client, DEMO_URL)
    quote = re.search(r'<figure class="quote" id="quote-jassy-bedrock".*?</figure>', html, re.S).group(0)
    assert "Customers are quite excited about Amazon Bedrock, AWS’s new managed service" in quote
    assert '<a class="speaker" href="/parties/andy-jassy/">Andy Jassy</a>' in quote
    assert "Amazon chief executive, in a statement" in quote
    assert '<a href="#source-1">[1]</a>' in quote


def test_editorial_notes_are_reachable_targets(client, demo_brief):
    html = page(client, DEMO_URL)
    assert 'href="#note-claude-next"' in html
    assert re.search(r'<li id="note-claude-next"[^>]*><p>“Claude-Next” is the working name', html)


def test_parties_are_listed_once_with_all_their_roles(client, db):
    backer, startup = make_party(name="Backer Co"), make_party(name="Startup Co")
    brief = make_brief(parties=[(backer, "investor"), (startup, "target"), (backer, "partner")])
    html = page(client, brief.get_absolute_url())
    section = re.search(r'<section id="parties".*?</section>', html, re.S).group(0)
    assert section.count(f'id="party-{backer.slug}"') == 1
    entry = re.search(rf'<li id="party-{backer.slug}".*?</li>', section, re.S).group(0)
    assert '<span class="role">Investor</span><span class="role">Partner</span>' in entry


def test_brief_page_lists_related_published_briefs_only(client, db):
    brief = make_brief()
    live, draft = make_brief(title="Live sibling"), make_brief(title="Hidden sibling", published=False)
    brief.related.add(live, draft)
    html = page(client, brief.get_absolute_url())
    assert "Live sibling" in html and "Hidden sibling" not in html


def test_every_page_has_the_search_form_in_its_header(client, demo_brief):
    for url in ("/", DEMO_URL, "/parties/amazon/", "/sources/techcrunch-2023-09-25/", "/no-such-page/"):
        response = client.get(url)
        header = re.search(r'<header class="masthead">.*?</header>', response.content.decode(), re.S).group(0)
        form = Tags(header).find("form")
        assert form and form[0]["method"] == "get" and form[0]["action"].endswith("/search/"), url
        assert Tags(header).find("input", name="q", type="search"), url


def test_every_page_links_the_site_feeds_in_its_footer(client, demo_brief):
    for url in ("/", DEMO_URL, "/parties/amazon/"):
        footer = re.search(r'<footer class="site-footer">.*?</footer>', page(client, url), re.S).group(0)
        assert 'href="/feed/rss/"' in footer and 'href="/feed/atom/"' in footer


def test_brief_page_has_open_graph_twitter_and_canonical_tags(client, demo_brief):
    tags = Tags(page(client, DEMO_URL))
    canonical = "http://127.0.0.1:8000" + DEMO_URL  # SITE_URL

    def meta(**attrs):
        found = tags.find("meta", **attrs)
        assert found, attrs
        return found[0]["content"]

    assert meta(property="og:type") == "article"
    assert meta(property="og:title") == demo_brief.title
    assert meta(property="og:description") == demo_brief.dek
    assert meta(property="og:url") == canonical
    assert meta(property="og:site_name") == "Dealsite"
    assert meta(property="article:published_time") == "2023-09-25T14:00:00+00:00"
    assert meta(name="twitter:card") == "summary"
    assert meta(name="twitter:title") == demo_brief.title
    assert tags.find("link", rel="canonical")[0]["href"] == canonical


def test_brief_jsonld_is_a_news_article_about_its_parties_citing_its_sources(client, demo_brief):
    data = jsonld_of(page(client, DEMO_URL))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == demo_brief.title
    about = {node.get("name") for node in data["about"] if node["@type"] == "Organization"}
    assert {"Amazon", "Anthropic"} <= about
    assert {"Microsoft", "Andy Jassy"} <= {node["name"] for node in data["mentions"]}
    assert len(data["citation"]) == 4
    assert data["citation"][0]["publisher"]["name"] == "TechCrunch"
    assert data["datePublished"] == "2023-09-25T14:00:00+00:00"


def test_jsonld_cannot_break_out_of_its_script_block(client, db):
    title = "</script><script>alert(1)</script><!--"
    brief = make_brief(title=title, dek="</SCRIPT><img src=x onerror=alert(1)>")
    html = page(client, brief.get_absolute_url())
    assert jsonld_of(html)["headline"] == title
    assert "<script>alert(1)" not in html and "</SCRIPT><img" not in html


def test_pages_have_no_inline_script_handlers_or_style_attributes(client, demo_brief):
    """Ready for a strict CSP: scripts are files, except the JSON-LD data block."""
    for url in ("/", DEMO_URL, "/parties/amazon/", "/sources/techcrunch-2023-09-25/", "/no-such-page/"):
        tags = Tags(client.get(url).content.decode())
        for tag, attrs in tags.tags:
            assert "style" not in attrs, (url, tag)
            assert not [name for name in attrs if name.startswith("on")], (url, tag)
            if tag == "script":
                assert attrs.get("type") == "application/ld+json" or attrs.get("src", "").startswith("/static/"), url
        assert tags.find("script", src="/static/js/cards.js"), url


def test_staff_preview_of_a_draft_shows_the_not_published_banner(client, admin_user, db):
    draft = make_brief(title="Draft under review", published=False)
    client.force_login(admin_user)
    html = page(client, reverse("briefs:preview", args=[draft.pk]))
    assert "Preview — not published." in html and "Draft under review" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_staff_preview_of_a_scheduled_brief_is_not_published_and_of_a_live_one_is(client, admin_user, db):
    scheduled = make_brief(
        status="scheduled", published_at=timezone.now() + datetime.timedelta(days=2), published=False
    )
    live = make_brief()
    client.force_login(admin_user)
    assert "Preview — not published." in page(client, reverse("briefs:preview", args=[scheduled.pk]))
    html = page(client, reverse("briefs:preview", args=[live.pk]))
    assert "Preview — published." in html and "not published" not in html


def test_public_brief_page_has_no_preview_banner(client, demo_brief):
    assert "Preview — not published" not in page(client, DEMO_URL)


def test_party_page_shows_profile_briefs_with_roles_quotes_and_feeds(client, demo_brief):
    html = page(client, "/parties/amazon/")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "E-commerce and cloud computing group." in text
    assert "Also known as Amazon.com" in text
    assert "Subsidiaries Amazon Web Services" in text
    assert "People Andy Jassy , Chief executive" in text
    assert 'href="https://www.amazon.com"' in html
    assert demo_brief.title in html and "Amazon’s role: Investor" in text
    assert 'href="/parties/amazon/feed/rss/"' in html and 'href="/parties/amazon/feed/atom/"' in html


def test_person_page_shows_title_affiliation_and_quotes(client, demo_brief):
    html = page(client, "/parties/andy-jassy/")
    assert 'Chief executive, <a href="/parties/amazon/">Amazon</a>' in html
    assert "Customers are quite excited about Amazon Bedrock" in html
    assert f'href="{DEMO_URL}#quote-jassy-bedrock"' in html


def test_subsidiary_page_names_its_parent(client, demo_brief):
    text = " ".join(re.sub(r"<[^>]+>", " ", page(client, "/parties/aws/")).split())
    assert "Part of Amazon" in text and "Also known as AWS" in text


def test_source_page_shows_citation_briefs_citing_it_and_its_quotes(client, demo_brief):
    html = page(client, "/sources/techcrunch-2023-09-25/")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Publisher TechCrunch" in text and "Kind News article" in text and "Published 25 Sep 2023" in text
    assert 'href="https://techcrunch.com/2023/09/25/amazon-to-invest-up-to-4-billion-in-ai-startup-anthropic/"' in html
    assert demo_brief.title in html
    assert "Customers are quite excited about Amazon Bedrock" in html
    assert '<a class="speaker" href="/parties/andy-jassy/">Andy Jassy</a>' in html


def test_unknown_url_gets_the_friendly_404_page(client, db):
    response = client.get("/briefs/no-such-brief/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn’t find that page" in html and 'href="/"' in html


def test_stored_non_http_urls_are_never_rendered_as_links(client, db):
    party = make_party(website="javascript:alert(1)")
    source = make_source(url="javascript:alert(1)")
    brief = make_brief(parties=[(party, "target")], sources=[source])
    for url in (brief.get_absolute_url(), party.get_absolute_url(), source.get_absolute_url()):
        html = page(client, url)
        assert 'href="javascript:' not in html, url


# ---------------------------------------------------------------- drafts stay private

HIDDEN_STATES = {
    "draft": {"status": "draft", "published_at": timezone.now() - datetime.timedelta(days=1)},
    "in_review": {"status": "in_review", "published_at": None},
    "withdrawn": {"status": "withdrawn", "published_at": timezone.now() - datetime.timedelta(days=1)},
    "scheduled_future": {"status": "scheduled", "published_at": timezone.now() + datetime.timedelta(days=1)},
}


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_brief_appears_on_no_public_page(client, demo_brief, state):
    secret_party = make_party(name="Secret Target Corp", slug="secret-target")
    secret_source = make_source(key="secret-source", title="Secret term sheet")
    secret_quote = make_quote(speaker=secret_party, key="secret-quote", text="Secret words nobody may read.")
    amazon = demo_brief.party_links.get(party__slug="amazon").party
    brief = make_brief(
        "[Secret Target Corp](party:secret-target) is being bought [for a lot](source:secret-source).",
        title="Secret acquisition of Secret Target Corp",
        slug="secret-deal",
        parties=[(amazon, "acquirer"), (secret_party, "target")],
        sources=[secret_source],
        quotes=[secret_quote],
        published=False,
        **HIDDEN_STATES[state],
    )
    assert not Brief.objects.published().filter(pk=brief.pk).exists()
    assert client.get("/briefs/secret-deal/").status_code == 404
    assert client.get("/parties/secret-target/").status_code == 404
    assert client.get("/sources/secret-source/").status_code == 404
    for url in (
        "/",
        "/?page=2",
        "/parties/amazon/",
        DEMO_URL,
        "/sources/techcrunch-2023-09-25/",
        "/parties/andy-jassy/",
    ):
        html = client.get(url).content.decode()
        for secret in ("Secret acquisition", "secret-deal", "Secret Target Corp", "Secret term sheet", "Secret words"):
            assert secret not in html, (url, secret)


# ---------------------------------------------------------------- constant query counts


def big_brief(size):
    """A published brief with `size` parties, sources, quotes and notes, each annotated in the body,
    about a deal with `size` participants, stages and figures that `size` other briefs are about."""
    parties = [make_party(description=f"Party number {n}.") for n in range(size)]
    sources = [make_source() for _ in range(size)]
    speakers = [make_party(kind="person", title="Chief executive", affiliation=parties[0]) for _ in range(size)]
    quotes = [make_quote(speaker=speakers[n], source=sources[n], speaker_role="chief executive") for n in range(size)]
    notes = [(f"note-{n}", f"Editorial note {n}.") for n in range(size)]
    lines = [
        f"[{p.name}](party:{p.slug}) cites [a figure](source:{s.key}), says [“words”](quote:{q.key}) "
        f"and has [a note](note:{key})."
        for p, s, q, (key, _) in zip(parties, sources, quotes, notes, strict=True)
    ]
    links = [(p, "investor" if n == 0 else "target" if n == 1 else "mentioned") for n, p in enumerate(parties)]
    links += [(p, "partner") for p in parties[:size]]  # every party with a second role
    links += [(s, "mentioned") for s in speakers]
    deal = make_deal(
        participants=[(p, "investor" if n == 0 else "target") for n, p in enumerate(parties)],
        stages=[{"description": f"Stage {n}"} for n in range(size)],
        figures=[money("amount", n + 1, basis="reported", source=sources[n]) for n in range(size)],
    )
    brief = make_brief("\n\n".join(lines), parties=links, sources=sources, quotes=quotes, notes=notes)
    brief = brief_about(deal, brief=brief)
    for _ in range(size):
        brief_about(deal)
    related = [make_brief() for _ in range(size)]
    brief.related.add(*related)
    assert brief.annotations.count() == 4 * size
    return brief, parties[0]


@pytest.mark.parametrize("size", [1, 30])
def test_brief_page_rendered_in_full_makes_at_most_13_queries_whatever_its_size(
    client, db, django_assert_max_num_queries, size
):
    brief, _ = big_brief(size)  # adding related briefs emptied its stored parts
    with django_assert_max_num_queries(1 + 13):  # the content state (the page cache's key, on a miss), then the view
        html = page(client, brief.get_absolute_url())
    assert html.count('class="anno anno-') == 4 * size
    assert html.count('data-card="quote:') == size
    assert html.count('class="participant') == 0 and html.count('class="fact-deal"') == 1
    assert re.search(r'<section id="same-deal".*?</section>', html, re.S).group(0).count("<li>") == size


@pytest.mark.parametrize("size", [1, 30])
def test_party_page_makes_a_constant_number_of_queries_whatever_its_size(
    client, db, django_assert_max_num_queries, size
):
    party = make_party(name="Busy Holdings")
    for _ in range(size):
        subsidiary = make_party(parent=party)
        person = make_party(kind="person", affiliation=party, title="Director")
        quote = make_quote(speaker=party, source=make_source())
        others = [(make_party(), "investor") for _ in range(3)]
        deal = deal_with(participants=[(party, "investor"), (party, "partner"), (make_party(), "target"), *others])
        brief_about(
            deal,
            parties=[(party, "investor"), (party, "partner"), (subsidiary, "mentioned"), (person, "mentioned")],
            quotes=[quote],
        )
    # The first visit makes the stored parts (briefs/services/party_parts.py): the party's
    # freshness, role totals, the latest deals and their participants, co-investors, the brief
    # count, the first pages' ids and when they expire, then stores them (3 with the savepoint).
    # Every visit: the page cache's state, the party, its parts, one page of briefs + 4 deal
    # prefetches, its roles in them, quotes + their briefs, related parties.
    with django_assert_max_num_queries(12 + 11):
        html = page(client, party.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert page(client, party.get_absolute_url()) == html
    shown = min(size, 20)  # PARTY_PAGE_SIZE; the timeline and its table show up to 200
    assert html.count('<li class="brief-item">') == shown
    assert html.count('<figure class="quote"') == size
    assert "Busy Holdings’s role:" in html
    assert html.count('<span class="role">Investor</span><span class="role">Partner</span>') == shown
    assert html.split("<table>")[1].count("<tr><td><time") == size
    assert f"<dt>Briefs</dt><dd>{size}</dd>" in html
    if size > 20:
        assert "Page 1 of 2" in html
        with django_assert_max_num_queries(16):
            rest = page(client, party.get_absolute_url() + "?page=2")
        assert rest.count('<li class="brief-item">') == size - 20 and "Page 2 of 2" in rest
