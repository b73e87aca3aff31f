"""Known filter-evasion payloads in every field a reader sees, rendered in Chromium: none executes.

Each payload (tests/data/xss_payloads.txt) goes into a brief's title, dek and body, a party's name and
description, a quote's text, a source's title and an editorial note. The pages are loaded with the
Content-Security-Policy bypassed, so what is tested is the escaping and sanitizing itself, not the CSP
safety net; the test page defines __xss() to record a call and listens for dialogs (alert, confirm,
prompt), uncaught errors and console errors, and then inspects the DOM for event-handler attributes,
script-bearing URLs and elements that no field may produce. The brief pages are loaded once more
under the real policy, which must report no violation.
"""

from pathlib import Path

import pytest

from briefs.services.rendering import BriefMarkupInvalid
from tests.factories import make_brief, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    line
    for line in (Path(__file__).parent.parent / "data" / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

TRAP = """
window.__xssCalls = [];
window.__xss = function (n) { window.__xssCalls.push(String(n)); };
"""

# Everything in the DOM that could run script or was not written by our templates.
DOM_AUDIT = """() => {
  const problems = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcset'];
  const ourScripts = (el) => el.type === 'application/ld+json' || /\\/static\\/js\\/cards(\\.[0-9a-f]+)?\\.js$/.test(el.src);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${tag}[${name}]`);
      if (name === 'srcdoc') problems.push(`${tag}[srcdoc]`);
      if (name === 'style' && el.id !== 'anno-card') problems.push(`${tag}[style]`);
      const squashed = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(squashed)) problems.push(`${tag}[${name}=${attr.value}]`);
    }
    if (tag === 'script' && !ourScripts(el)) problems.push('script element');
    if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet', 'form', 'input', 'textarea', 'select', 'video', 'audio', 'img', 'style', 'math', 'marquee', 'details', 'xmp', 'noscript'].includes(tag)
        && !el.closest('form.site-search') && !el.matches('details.chart-data')) problems.push(`${tag} element`);
    if (tag === 'svg' && !el.closest('figure.chart')) problems.push('svg element');
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push('meta http-equiv');
  }
  return problems;
}"""


@pytest.fixture
def hostile_briefs(db):
    briefs = []
    for n, payload in enumerate(PAYLOADS, start=1):
        party = make_party(
            name=payload[:200], slug=f"xss-party-{n}", description=payload, website="https://example.com/"
        )
        source = make_source(key=f"xss-source-{n}", title=payload[:300], publisher=payload[:200])
        quote = make_quote(key=f"xss-quote-{n}", text=payload, speaker=party, source=source, speaker_role=payload[:200])
        body = (
            f"{payload}\n\n[{party.slug}](party:{party.slug}) said [“these words”](quote:{quote.key}), "
            f"reported [here](source:{source.key}); [context](note:ctx).\n\n> {payload}\n\n- {payload}\n"
        )
        fields = dict(
            title=payload[:250],
            dek=payload[:400],
            slug=f"xss-{n}",
            parties=[(party, "investor")],
            sources=[source],
            quotes=[quote],
            notes=[("ctx", payload)],
        )
        try:
            brief = make_brief(body, **fields)
        except BriefMarkupInvalid:
            # A payload that is itself malformed markup is refused by the editor's validation; it still
            # goes into every other field.
            fields["slug"] = f"xss-{n}-plain"
            brief = make_brief(
                f"[{party.slug}](party:{party.slug}) said [“these words”](quote:{quote.key}), "
                f"reported [here](source:{source.key}); [context](note:ctx).",
                **fields,
            )
        briefs.append((payload, brief, party, source))
    return briefs


def check(watched, label):
    calls = watched.page.evaluate("window.__xssCalls")
    problems = watched.page.evaluate(DOM_AUDIT)
    found = {
        "__xss calls": calls,
        "dialogs": watched.dialogs,
        "page errors": watched.page_errors,
        "console errors": watched.console_errors,
        "DOM": problems,
    }
    found = {key: value for key, value in found.items() if value}
    watched.dialogs.clear(), watched.page_errors.clear(), watched.console_errors.clear()
    return f"{label}: {found}" if found else None


def visit_all(new_page, urls, *, hover=False, bypass_csp=True):
    watched = new_page(bypass_csp=bypass_csp)
    watched.page.context.add_init_script(TRAP)
    failures = []
    for label, url in urls:
        response = watched.goto(url)
        assert response.status == 200, url
        if hover:
            for kind in ("party", "quote", "source", "note"):
                anno = watched.page.locator(f".brief-body a.anno-{kind}").first
                if anno.count():
                    anno.hover()
                    watched.page.locator("#anno-card").wait_for(state="visible")
        watched.page.wait_for_timeout(30)
        problem = check(watched, label)
        if problem:
            failures.append(problem)
        if not bypass_csp:
            violations = watched.csp_violations()
            if violations:
                failures.append(f"{label}: CSP violations {violations}")
    return failures


def test_payload_list_is_substantial():
    assert len(PAYLOADS) >= 80 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_no_payload_executes_on_brief_pages(new_page, hostile_briefs):
    urls = [(f"brief {payload!r}", brief.get_absolute_url()) for payload, brief, _, _ in hostile_briefs]
    assert visit_all(new_page, urls, hover=True) == []


def test_no_payload_executes_on_party_and_source_pages(new_page, hostile_briefs):
    urls = []
    for payload, _, party, source in hostile_briefs:
        urls += [(f"party {payload!r}", party.get_absolute_url()), (f"source {payload!r}", source.get_absolute_url())]
    assert visit_all(new_page, urls) == []


def test_no_payload_executes_on_the_home_page(new_page, hostile_briefs, settings):
    settings.DEALSITE = {**settings.DEALSITE, "HOME_PAGE_SIZE": len(PAYLOADS) + 5}
    assert visit_all(new_page, [("home", "/")]) == []


def test_brief_pages_report_no_csp_violation_under_the_real_policy(new_page, hostile_briefs):
    urls = [(f"brief {payload!r}", brief.get_absolute_url()) for payload, brief, _, _ in hostile_briefs]
    assert visit_all(new_page, urls, bypass_csp=False) == []


def test_the_trap_works(new_page, live_server):
    """The same checks catch a payload that does run (so a pass above means something)."""
    watched = new_page(bypass_csp=True)
    watched.page.context.add_init_script(TRAP)
    watched.goto("/robots.txt")
    watched.page.set_content("<p>x</p><img src=x onerror=__xss(1)><script>alert(2)</script>")
    watched.page.wait_for_timeout(100)
    problem = check(watched, "planted")
    assert "__xss calls" in problem and "dialogs" in problem and "img[onerror]" in problem
