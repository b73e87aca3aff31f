"""Known XSS vectors in every field a reader sees: no page or feed carries them in executable form."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.factories import make_brief, make_party, make_quote, make_source
from tests.html_safety import executable_parts

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTR_BREAKOUT = '"><img src=x onerror=alert(1)>'
SVG = "<svg onload=alert(1)>"
JS_URL = "javascript:alert(1)"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
EVIL = f"{SCRIPT} {ATTR_BREAKOUT} {SVG} {JS_URL} {DATA_URL}"

BODY = f"""\
[Evil Corp](party:evil-corp) {SCRIPT} buys [the target](party:evil-target) for
[a sum](source:evil-source), said [“words”](quote:evil-quote), see [the note](note:evil-note).

{ATTR_BREAKOUT} {SVG} <iframe src="{JS_URL}"></iframe>

[click me]({JS_URL}) and [open me]({DATA_URL}) and [spaced]( javascript:alert(1) ) and
<a href="{JS_URL}">raw link</a> <img src=x onerror=alert(1)>
"""

# Tags a whole page legitimately has: the header's search form, head links and meta, scripts
# (checked separately below: only the cards.js file and the JSON-LD data block).
PAGE_TAGS = {"script", "form", "input", "button", "link", "meta"}


@pytest.fixture
def evil_brief(db):
    party = make_party(
        name=f"Evil {EVIL}",
        slug="evil-corp",
        description=f"Description {EVIL}",
        website=JS_URL,
        aliases=[EVIL],
        title=EVIL,
        kind="organisation",
    )
    target = make_party(name=f"Target {SCRIPT}", slug="evil-target", description=EVIL)
    source = make_source(key="evil-source", title=f"Title {EVIL}", publisher=f"Publisher {EVIL}", url=JS_URL)
    quote = make_quote(speaker=party, source=source, key="evil-quote", text=f"Quoted {EVIL}", speaker_role=EVIL)
    return make_brief(
        BODY,
        title=f"Deal {EVIL}"[:250],
        slug="evil-deal",
        dek=f"Dek {EVIL}",
        parties=[(party, "acquirer"), (target, "target")],
        sources=[source],
        quotes=[quote],
        notes=[("evil-note", f"Note {EVIL}")],
        stake_description=SVG[:120],
    )


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def assert_page_is_inert(html, url):
    problems = executable_parts(html, allowed_tags=PAGE_TAGS | {"svg"})
    assert not problems, (url, problems)
    # The only SVG on a page is one of our server-side charts (briefs/charts.py).
    assert html.count("<svg") == len(re.findall(r'<svg class="chart-(?:volume|timeline)" ', html)), url
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe"):
        assert raw not in html, (url, raw)
    # A script URL inside a real tag (escaped text such as &lt;a href="javascript:…" is inert).
    assert not re.search(r"<[a-z][^<>]*=\s*[\"']?\s*(javascript|data):", html, re.I), url
    parser = Scripts()
    parser.feed(html)
    for attrs in parser.scripts:
        assert attrs.get("type") == "application/ld+json" or attrs.get("src") == "/static/js/cards.js", (url, attrs)
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        json.loads(block)  # still one intact JSON document: nothing broke out of it


def test_brief_page_renders_every_injected_field_inert(client, evil_brief):
    response = client.get(evil_brief.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert_page_is_inert(html, "brief")
    # The text is shown, escaped, not dropped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Quoted &lt;script&gt;" in html and "Note &lt;script&gt;" in html


def test_home_party_and_source_pages_render_injected_fields_inert(client, evil_brief):
    for url in ("/", "/parties/evil-corp/", "/parties/evil-target/", "/sources/evil-source/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_is_inert(response.content.decode(), url)


def test_jsonld_of_an_injected_brief_is_intact_and_links_no_script_urls(client, evil_brief):
    html = client.get(evil_brief.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "</" not in block and "<script" not in block
    data = json.loads(block)
    assert data["headline"] == evil_brief.title

    def urls(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "sameAs", "mainEntityOfPage"):
                    yield from (value if isinstance(value, list) else [value])
                else:
                    yield from urls(value)
        elif isinstance(node, list):
            for value in node:
                yield from urls(value)

    found = list(urls(data))
    assert found and all(url.startswith(("http://", "https://")) for url in found), found


@pytest.mark.parametrize(
    "url", ["/feed/rss/", "/feed/atom/", "/parties/evil-corp/feed/rss/", "/parties/evil-corp/feed/atom/"]
)
def test_feeds_carry_injected_text_only_as_escaped_html(client, evil_brief, url):
    """Readers treat feed titles and summaries as HTML: once the XML is decoded, no markup remains."""
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    texts = [element.text or "" for element in root.iter()]
    assert any("&lt;script&gt;" in text for text in texts), "the payload is shown, escaped"
    for text in texts:
        for raw in ("<script", "<img", "<svg", "<iframe"):
            assert raw not in text.lower(), (url, text)
    for element in root.iter():
        for name in ("href", "src"):
            value = "".join((element.get(name) or "").split()).lower()
            assert not value.startswith(("javascript:", "data:")), (url, value)
