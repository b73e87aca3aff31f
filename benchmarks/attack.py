"""An attack run against a live, production-configured server: draft leaks, XSS, pathological input.

    .venv/bin/python benchmarks/attack.py            # the full run (a few minutes)
    .venv/bin/python benchmarks/attack.py --quick    # a reduced run (tests/test_attack_script.py)

Not run by the test suite except in its reduced form. It builds a throwaway SQLite database in a
temporary directory (migrate, load_demo), seeds it through the service layer (save_brief,
save_deal) in a child process, starts gunicorn with the production settings (DEBUG off,
gunicorn.conf.py) on 127.0.0.1 at a free port, and stops it at the end. The rate limits are
raised so the crawl is not slowed to the limits' pace (the limits have their own tests).

1. Draft-leak crawl. Briefs that are draft, in review, scheduled and withdrawn carry unique canary
   strings in their title, dek, body, note, and in their own party, source, quote and deal (linked
   by no public brief): a token, which the crawl searches for, and a mark, which is in no URL (a
   search page echoes its query: there only the mark counts). An anonymous crawl follows every
   same-site link from home, the sitemap, the feeds, the API's lists, details and W3C collections,
   searches for each canary (site and API), and tries the canaries' guessable URLs. Every response is searched for every canary. A control
   canary in a published brief must be found, or the crawl is blind (itself a finding). API URLs
   are read twice: as JSON and as the browsable API.
2. XSS. Each vector (tests/data/xss_payloads.txt plus EXTRA_VECTORS below) is stored in every text
   field of a published brief, its party, source, quote, note and deal; every surface showing it
   (brief page with its annotation cards opened, party, source and deal pages, the browsable API,
   a search for the vector, home) is opened in Chromium with the Content-Security-Policy bypassed,
   so the escaping itself is tested. An execution is a call of __xss() or a dialog. A planted
   vector must be caught first, or the watch is blind.
3. Pathological input to the API and the search: deep JSON, bodies over the limit, control
   characters, bad encodings and content types, bad query parameters, long strings. Every status
   code is counted; a 500 (or no answer) is a finding.

It prints its counts and exits 1 on any finding.
"""

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HARD_LIMIT = 1800  # seconds: the server stops by itself after this, whatever happens here
CANARY_STATES = ("draft", "in_review", "scheduled", "withdrawn")

EXTRA_VECTORS = [
    # Breaking out of the JSON-LD block, attributes and the annotation card's data.
    "</script><script>__xss(101)</script>",
    "</SCRIPT ><script>__xss(102)</script>",
    '"}]}</script><script>__xss(103)</script>',
    "\\u003c/script\\u003e<script>__xss(104)</script>",
    '" autofocus onfocus="__xss(105)" x="',
    "' autofocus onfocus='__xss(106)' x='",
    '" onmouseover="__xss(107)" data-x="',
    "` onmouseover=__xss(108) `",
    '"><svg/onload=__xss(109)>',
    "'><svg/onload=__xss(110)>",
    '" style="animation-name:x" onanimationstart="__xss(111)',
    '"><a href="javascript:__xss(112)">x</a>',
    # Markdown tricks.
    "[a](javascript&#58;__xss(113))",
    "[a](java\nscript:__xss(114))",
    "[a](<javascript:__xss(115)>)",
    '[a](javascript:__xss(116) "title")',
    "[a][ref]\n\n[ref]: javascript:__xss(117)",
    "![a](data:image/svg+xml,<svg onload=__xss(118)>)",
    "[a](data:text/html;base64,PHNjcmlwdD5fX3hzcygxMTkpPC9zY3JpcHQ+)",
    "[a](vbscript:__xss(120))",
    "[<img src=x onerror=__xss(121)>](https://example.com/)",
    '[a](https://example.com/"><script>__xss(122)</script>)',
    "<a href='javascript:__xss(123)'>[a](https://example.com)</a>",
    "**<script>__xss(124)</script>**",
    "_<img src=x onerror=__xss(125)>_",
    "> <script>__xss(126)</script>",
    "- <img src=x onerror=__xss(127)>",
    "```\n</code><script>__xss(128)</script>\n```",
    "    <script>__xss(129)</script>",
    "<div markdown=1>[a](javascript:__xss(130))</div>",
    '[a](party:x"onmouseover="__xss(131))',
    "[a](source:x'><script>__xss(132)</script>)",
    "[a](note:<svg/onload=__xss(133)>)",
    # Encodings and case games.
    "<scr\x00ipt>__xss(134)</scr\x00ipt>",
    "<img src=x onerror\x0b=__xss(135)>",
    "<img src=x on\u200berror=__xss(136)>",
    "＜script＞__xss(137)＜/script＞",
    "&#60;script&#62;__xss(138)&#60;/script&#62;",
    "&lt;img src=x onerror=__xss(139)&gt;",
    "%253Cscript%253E__xss(140)%253C/script%253E",
    "<img src=x onerror=&#x5F;&#x5F;xss(141)>",
    '<a href="jav&#x09;ascript:__xss(142)">x</a>',
    '<a href="javas&#99;ript:__xss(143)">x</a>',
    '<a href="&#0000106&#0000097vascript:__xss(144)">x</a>',
    '<IMG SRC="javascript:__xss(145)"',
    '<img src="x" onerror="__xss(146)"//',
    "<svg><set attributeName=onmouseover to=__xss(147)>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='__xss(148)'/></svg>#x\"/></svg>",
    "<math><maction actiontype=statusline xlink:href=javascript:__xss(149)>x</maction></math>",
    "<template><img src=x onerror=__xss(150)></template>",
    "<form><input type=submit formaction=javascript:__xss(151)>",
    "<isindex action=javascript:__xss(152) type=image>",
    '<object type=text/html data="data:text/html,<script>parent.__xss(153)</script>"></object>',
    '<iframe src="data:text/html,<script>parent.__xss(154)</script>"></iframe>',
    '<meta http-equiv="refresh" content="0;javascript:__xss(155)">',
    '<style>*{background:url("javascript:__xss(156)")}</style>',
    "<img src=x onerror=setTimeout('__xss(157)')>",
    "<body onpageshow=__xss(158)>",
    "<img src=x onerror=top['__xss'](159)>",
    "<a href=# onclick=__xss(160)>x</a>",
    # Template and script-gadget syntax.
    "{{__xss(161)}}",
    "{% if 1 %}__xss(162){% endif %}",
    "<div data-bind=\"html: '<img src=x onerror=__xss(163)>'\"></div>",
    "<div ng-app>{{constructor.constructor('__xss(164)')()}}</div>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+__xss(165)//'>",
    "\"'><img src=x onerror=__xss(166)>${7*7}{{7*7}}",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(workdir, extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "DJANGO_SETTINGS_MODULE": "dealsite.settings",
        "SECRET_KEY": "attack-run-only-" + secrets.token_hex(24),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": f"sqlite:///{workdir}/attack.sqlite3",
        "LOG_LEVEL": "WARNING",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "RELEASE": "attack",
        # The limits have their own tests; here they would only slow the crawl to their pace.
        "PAGE_THROTTLE_RATE": "",
        "API_ANON_RATE": "1000000/min",
        "API_USER_RATE": "1000000/min",
    }
    env.update(extra or {})
    return env


def vectors():
    listed = (ROOT / "tests" / "data" / "xss_payloads.txt").read_text().splitlines()
    return [line for line in listed if line.strip() and not line.startswith("#")] + EXTRA_VECTORS


# Seeding (in a child process with Django set up) ---------------------------------------------


def seed(out_path, vector_count):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from briefs.models import Brief, Deal, DealParticipant, DealStage, Party, Quote, Source
    from briefs.services.deals import save_deal
    from briefs.services.rendering import BriefMarkupInvalid
    from briefs.services.saving import Links, save_brief

    def fit(model, field, value):
        limit = model._meta.get_field(field).max_length
        return value[:limit] if limit else value

    def world(tag, text, status, published_at, *, party_text=None):
        """A brief with its own party, source, quote, note and deal, `text` in every field."""
        party_text = party_text or text
        party = Party.objects.create(
            name=fit(Party, "name", f"P {party_text}"),
            slug=f"{tag}-party",
            description=party_text,
            title=fit(Party, "title", party_text),
        )
        speaker = Party.objects.create(name=fit(Party, "name", f"S {party_text}"), slug=f"{tag}-speaker", kind="person")
        source = Source.objects.create(
            key=f"{tag}-source",
            title=fit(Source, "title", f"Src {text}"),
            publisher=fit(Source, "publisher", text),
            url="https://example.com/source",
        )
        quote = Quote.objects.create(
            key=f"{tag}-quote",
            text=f"Q {text}",
            speaker=speaker,
            source=source,
            speaker_role=fit(Quote, "speaker_role", text),
        )
        stages = []

        def rows(deal):
            DealParticipant.objects.create(deal=deal, party=party, role="investor", position=0)
            stages.append(
                DealStage.objects.create(
                    deal=deal,
                    position=0,
                    occurred_on=datetime.date(2024, 1, 2),
                    status="announced",
                    description=fit(DealStage, "description", text),
                )
            )

        deal = save_deal(
            Deal(
                name=fit(Deal, "name", f"D {text}"),
                slug=f"{tag}-deal",
                summary=fit(Deal, "summary", text),
                stake_description=fit(Deal, "stake_description", text),
                announced_on=datetime.date(2024, 1, 2),
            ),
            rows=rows,
        )
        links = dict(
            parties=[(party, "investor"), (speaker, "mentioned")],
            sources=[source],
            quotes=[quote],
            notes=[("ctx", f"N {text}")],
            deals=[(deal, stages[0])],
        )
        references = (
            f"[{party.slug}](party:{party.slug}) said [“these words”](quote:{quote.key}), "
            f"reported [here](source:{source.key}); [context](note:ctx)."
        )
        fields = dict(
            title=fit(Brief, "title", f"B {text}"),
            dek=fit(Brief, "dek", text),
            status=status,
            published_at=published_at,
        )
        try:
            brief = save_brief(
                Brief(slug=f"{tag}", body=f"{text}\n\n{references}\n\n> {text}\n\n- {text}\n", **fields),
                links=Links(**links),
            )
        except BriefMarkupInvalid:  # a vector that is malformed markup goes everywhere else
            brief = save_brief(Brief(slug=f"{tag}", body=f"{references}", **fields), links=Links(**links))
        return {
            "brief": brief.slug,
            "brief_pk": brief.pk,
            "party": party.slug,
            "speaker": speaker.slug,
            "source": source.key,
            "quote": quote.key,
            "deal": deal.slug,
        }

    now = timezone.now()
    when = {
        "draft": None,
        "in_review": None,
        "scheduled": now + datetime.timedelta(days=30),
        "withdrawn": now - datetime.timedelta(days=3),
    }
    canaries = {}
    for state in CANARY_STATES:
        # The token is what the crawl searches for; the mark, never in a URL, is what a search
        # result would show: a search page echoes its query, so there only the mark counts.
        token = f"zqcanary{state.replace('_', '')}{secrets.token_hex(5)}"
        mark = f"zqmark{secrets.token_hex(6)}"
        made = world(f"canary-{state}", f"{token} text {mark}", state, when[state])
        canaries[token] = {"state": state, "mark": mark, **made}
    control = f"zqcontrol{secrets.token_hex(5)}"
    control_world = world("control-public", f"{control} text", "published", now - datetime.timedelta(hours=2))
    hostile = []
    for n, vector in enumerate(vectors()[:vector_count], start=1):
        made = world(f"xss-{n}", vector, "published", now - datetime.timedelta(minutes=n))
        hostile.append({"vector": vector, **made})
    user = get_user_model().objects.create_superuser("attack-staff", password=secrets.token_hex(16))
    token = Token.objects.create(user=user).key
    Path(out_path).write_text(
        json.dumps(
            {
                "canaries": canaries,
                "control": control,
                "control_world": control_world,
                "hostile": hostile,
                "token": token,
            }
        )
    )


# The server -----------------------------------------------------------------------------------


class Server:
    def __init__(self, workdir, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2", "GUNICORN_ACCESS_LOG": ""}
        self.log_path = Path(workdir) / "gunicorn.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            ["timeout", "-s", "TERM", str(HARD_LIMIT), GUNICORN, "dealsite.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import requests

        deadline = time.time() + 60
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.time() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn did not start: see {self.log_path}")
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


# 1. Draft-leak crawl -------------------------------------------------------------------------

LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']|<(?:loc|link|id)>\s*([^<\s]+)\s*</""", re.I)
NEVER = ("/admin/", "/static/", "/accounts/", "/preview/", "/api/schema/")


def json_links(value):
    if isinstance(value, str):
        if value.startswith(("http://", "https://", "/")):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_links(item)


def crawl(base, seeds, canaries, control, max_urls):
    import requests

    session = requests.Session()
    host = urlsplit(base).netloc
    statuses, leaks, errors = Counter(), [], []
    control_seen = 0
    seen, queue = set(), deque()

    def add(url, from_search=False):
        url = unescape(url).split("#")[0]
        try:
            parts = urlsplit(url)
        except ValueError:  # not a URL (stored text the browsable API turned into a link)
            return
        if parts.scheme and (parts.scheme not in ("http", "https") or parts.netloc != host):
            return
        if not url.startswith(("/", "http")):
            return
        path = parts.path or "/"
        if any(path.startswith(prefix) for prefix in NEVER) or path.endswith("/presence/"):
            return
        if from_search and path.startswith(("/search/", "/api/v1/search/")):
            return  # facets, sorts and pages of a search: one hop, or their combinations never end
        local = path + (f"?{parts.query}" if parts.query else "")
        # The API is read as JSON and as the browsable API (HTML), two renderings of what it shows
        # (views with no HTML rendering, the W3C export, answer their own format again, not 406).
        api = path.startswith("/api/")
        for accept in ("application/json", "text/html, */*;q=0.1") if api else ("text/html",):
            if (local, accept) not in seen and len(seen) < max_urls:
                seen.add((local, accept))
                queue.append((local, accept))

    for url in seeds:
        add(url)
    lowered = [(token, token.lower()) for token in canaries]
    while queue:
        url, accept = queue.popleft()
        try:
            response = session.get(base + url, headers={"Accept": accept}, timeout=30, allow_redirects=False)
        except requests.RequestException as error:
            statuses["no answer"] += 1
            errors.append(f"{url}: {error}")
            continue
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
        text = response.text
        body = text.lower()
        asked = url.lower()
        for token, low in lowered:
            mark = canaries[token]["mark"]
            if mark in body or (low in body and low not in asked):
                leaks.append(f"{url}: {token} ({canaries[token]['state']})")
        control_seen += control in text
        if response.is_redirect and "location" in response.headers:
            add(response.headers["location"])
        from_search = url.startswith(("/search/", "/api/v1/search/"))
        if "json" in response.headers.get("content-type", ""):
            try:
                for link in json_links(response.json()):
                    add(link, from_search)
            except ValueError:
                pass
        else:
            for match in LINK.finditer(text):
                add(match.group(1) or match.group(2), from_search)
    return {
        "responses": sum(statuses.values()),
        "statuses": statuses,
        "leaks": leaks,
        "errors": errors,
        "control": control_seen,
    }


def crawl_seeds(seeded):
    seeds = ["/", "/sitemap.xml", "/robots.txt", "/feed/rss/", "/feed/atom/", "/search/"]
    for kind in ("briefs", "deals", "parties", "sources", "quotes"):
        seeds.append(f"/api/v1/{kind}/")
    seeds.append("/api/v1/briefs/sync/")
    for token, world in seeded["canaries"].items():
        seeds += [f"/search/?q={quote(token)}", f"/api/v1/search/?q={quote(token)}"]
        seeds += [f"/search/?q={quote(token)}&status={world['state']}", f"/api/v1/briefs/?status={world['state']}"]
        slug, pk = world["brief"], world["brief_pk"]
        seeds += [
            f"/briefs/{slug}/",
            f"/briefs/{pk}/",
            f"/api/v1/briefs/{slug}/",
            f"/api/v1/briefs/{slug}/annotations/",
            f"/api/v1/briefs/{slug}/annotations/pages/1/",
            f"/api/v1/briefs/{pk}/",
            "/api/v1/briefs/?ordering=-updated_at&page_size=100",
            f"/deals/{world['deal']}/",
            f"/api/v1/deals/{world['deal']}/",
        ]
        for party in (world["party"], world["speaker"]):
            seeds += [
                f"/parties/{party}/",
                f"/parties/{party}/feed/rss/",
                f"/parties/{party}/feed/atom/",
                f"/api/v1/parties/{party}/",
                f"/api/v1/briefs/?party={party}",
                f"/search/?party={party}",
            ]
        seeds += [
            f"/sources/{world['source']}/",
            f"/api/v1/sources/{world['source']}/",
            f"/api/v1/quotes/{world['quote']}/",
        ]
    seeds.append(f"/search/?q={quote(seeded['control'])}")
    return seeds


# 2. XSS in Chromium --------------------------------------------------------------------------

TRAP = "window.__xssCalls = []; window.__xss = function (n) { window.__xssCalls.push(String(n)); };"


def xss(base, hostile, home_pages):
    from playwright.sync_api import sync_playwright

    pages = []
    for item in hostile:
        pages += [
            ("brief", f"/briefs/{item['brief']}/"),
            ("party", f"/parties/{item['party']}/"),
            ("speaker", f"/parties/{item['speaker']}/"),
            ("source", f"/sources/{item['source']}/"),
            ("deal", f"/deals/{item['deal']}/"),
            ("browsable API", f"/api/v1/briefs/{item['brief']}/?format=api"),
            ("search", f"/search/?q={quote(item['vector'][:200])}"),
        ]
    pages += [("home", "/" if n == 1 else f"/?page={n}") for n in range(1, home_pages + 1)]
    executions, watched_errors, statuses = [], Counter(), Counter()
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        context = browser.new_context(bypass_csp=True)
        context.add_init_script(TRAP)
        page = context.new_page()
        dialogs = []

        def on_dialog(dialog):
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watched_errors.update(["page error"]))

        def calls():
            return page.evaluate("window.__xssCalls || []")

        # The watch must catch a vector that does run, or a clean run means nothing.
        page.goto(base + "/robots.txt")
        page.set_content("<p>x</p><img src=x onerror=__xss(0)><script>alert(0)</script>")
        page.wait_for_timeout(100)
        blind = not (calls() and dialogs)
        dialogs.clear()
        for kind, url in pages:
            response = page.goto(base + url, wait_until="load")
            statuses[response.status if response else "no answer"] += 1
            if kind == "brief":
                for anno in ("party", "quote", "source", "note"):
                    link = page.locator(f".brief-body a.anno-{anno}").first
                    if link.count():
                        link.hover()
                        link.focus()
            page.wait_for_timeout(20)
            found = calls()
            if found or dialogs:
                executions.append(f"{kind} {url}: calls {found}, dialogs {dialogs[:]}")
            dialogs.clear()
        browser.close()
    return {
        "pages": len(pages),
        "statuses": statuses,
        "executions": executions,
        "blind": blind,
        "errors": watched_errors,
    }


# 3. Pathological input -----------------------------------------------------------------------


def pathological(base, seeded, quick):
    import requests

    session = requests.Session()
    auth = {"Authorization": f"Token {seeded['token']}"}
    brief = seeded["control_world"]["brief"]
    deal = seeded["control_world"]["deal"]
    cases = []

    def case(label, method, path, *, body=None, headers=None, content_type="application/json", token=True):
        sent = dict(headers or {})
        if token:
            sent.update(auth)
        if body is not None and content_type:
            sent.setdefault("Content-Type", content_type)
        cases.append((label, method, path, body, sent))

    def nested(depth, open_="[", close="]"):
        return (open_ * depth + "1" + close * depth) if open_ == "[" else ('{"a":' * depth + "1" + "}" * depth)

    ok_brief = {"title": "Attack", "slug": "attack-write", "dek": "", "body": "Plain."}
    for depth in (33, 100, 1000, 10000, 100000):
        case(f"deep array {depth}", "POST", "/api/v1/briefs/", body=nested(depth))
        case(f"deep object {depth}", "POST", "/api/v1/briefs/", body=nested(depth, "{"))
        case(f"deep in field {depth}", "POST", "/api/v1/deals/", body='{"name":' + nested(depth) + "}")
    for size in (3,) if quick else (3, 12, 30):
        case(f"{size} MB body", "POST", "/api/v1/briefs/", body=json.dumps({**ok_brief, "body": "x" * (size << 20)}))
    for length in (300, 10_000, 1_000_000):
        long = "y" * length
        case(f"title of {length}", "POST", "/api/v1/briefs/", body=json.dumps({**ok_brief, "title": long}))
        case(f"slug of {length}", "POST", "/api/v1/briefs/", body=json.dumps({**ok_brief, "slug": long}))
        case(f"deal name of {length}", "POST", "/api/v1/deals/", body=json.dumps({"name": long, "slug": "d"}))
        case(f"path of {length}", "GET", f"/api/v1/briefs/{'z' * min(length, 60_000)}/")
    for character in ("\x00", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe", "\u2028"):
        text = f"a{character}b"
        case(
            f"control {ord(character):04X} in title",
            "POST",
            "/api/v1/briefs/",
            body=json.dumps({**ok_brief, "title": text}),
        )
        case(f"control {ord(character):04X} in a key", "POST", "/api/v1/briefs/", body=json.dumps({text: 1}))
        case(
            f"control {ord(character):04X} in a patch",
            "PATCH",
            f"/api/v1/briefs/{brief}/",
            body=json.dumps({"dek": text}),
        )
        case(
            f"control {ord(character):04X} in a deal",
            "PATCH",
            f"/api/v1/deals/{deal}/",
            body=json.dumps({"summary": text}),
        )
        case(f"control {ord(character):04X} in q", "GET", f"/api/v1/search/?q={quote(text)}")
        case(f"control {ord(character):04X} in site search", "GET", f"/search/?q={quote(text)}")
    raw_bodies = {
        "lone surrogate escape": '{"title": "\\ud800"}',
        "invalid UTF-8": b'{"title": "\xff\xfe\xc3"}',
        "UTF-16": json.dumps(ok_brief).encode("utf-16"),
        "not JSON": "title=x",
        "empty": "",
        "null": "null",
        "array": "[]",
        "number": "1e400",
        "NaN": '{"title": NaN}',
        "Infinity": '{"title": Infinity}',
        "huge integer": '{"title": ' + "9" * 5000 + "}",
        "duplicate keys": '{"title": "a", "title": "b"}',
        "truncated": '{"title": "a',
        "BOM": "\ufeff" + json.dumps(ok_brief),
        "wrong types": json.dumps({"title": ["a"], "slug": {"x": 1}, "dek": 5, "body": None, "parties": "x"}),
        "links of wrong kinds": json.dumps({**ok_brief, "parties": [{"party": {"a": 1}}], "deals": [1, "x", None]}),
        "many links": json.dumps({**ok_brief, "parties": [{"party": "x", "role": "investor"}] * 5000}),
    }
    for label, body in raw_bodies.items():
        case(label, "POST", "/api/v1/briefs/", body=body)
        case(f"{label} (patch)", "PATCH", f"/api/v1/briefs/{brief}/", body=body)
        case(f"{label} (deal)", "POST", "/api/v1/deals/", body=body)
    for content_type in (
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-9",
        "",
    ):
        case(
            f"content type {content_type!r}",
            "POST",
            "/api/v1/briefs/",
            body=json.dumps(ok_brief),
            content_type=content_type or None,
        )
    case(
        "form body", "POST", "/api/v1/briefs/", body="title=a&slug=b", content_type="application/x-www-form-urlencoded"
    )
    for value in ("garbage", '"', "W/", "*", "x" * 10_000):
        case(
            f"If-Match {value[:10]!r}",
            "PATCH",
            f"/api/v1/briefs/{brief}/",
            body=json.dumps({"dek": "a"}),
            headers={"If-Match": value},
        )
    for method in ("DELETE", "PUT", "OPTIONS", "TRACE", "PROPFIND"):  # anonymous: the targets stay
        case(f"{method} on a brief", method, f"/api/v1/briefs/{brief}/", body="{}", token=False)
    case("one wrong token", "GET", "/api/v1/briefs/", headers={"Authorization": "Token wrong"}, token=False)
    case("malformed authorization", "GET", "/api/v1/briefs/", headers={"Authorization": "Token a b c"}, token=False)
    bad_values = [
        "",
        "-1",
        "0",
        "abc",
        "1e9",
        "99999999999999999999999",
        "null",
        "%00",
        "\x0b",
        "'",
        '"',
        "*",
        "[]",
        "{}",
    ]
    bad_values += ["9999-99-99", "2024-13-01T25:61:00", "x" * 5000]
    lists = {
        "/api/v1/briefs/": (
            "page",
            "page_size",
            "ordering",
            "party",
            "role",
            "deal_type",
            "status",
            "updated_since",
            "announced_after",
            "announced_before",
            "amount_min",
            "amount_max",
            "currency",
            "format",
        ),
        "/api/v1/briefs/sync/": ("cursor", "updated_since", "page_size"),
        "/api/v1/deals/": ("page", "page_size", "ordering", "deal_type", "status", "party", "format"),
        "/api/v1/parties/": ("page", "kind", "name", "format"),
        "/api/v1/search/": ("q", "page", "deal_type", "party", "currency", "year", "sort"),
        "/search/": ("q", "page", "deal_type", "status", "series", "lead", "party", "year", "currency", "sort"),
        "/": ("page",),
        f"/api/v1/briefs/{brief}/annotations/pages/1/": ("format",),
    }
    if quick:
        bad_values = bad_values[:5]
    for path, names in lists.items():
        for name in names:
            for value in bad_values:
                case(f"{path} {name}={value[:10]!r}", "GET", f"{path}?{name}={quote(value)}", token=False)
    for q in (
        '"',
        "*",
        "NEAR(a b",
        "a AND OR NOT",
        "-",
        "^",
        "a:b",
        '"unclosed',
        "(((((",
        "\\",
        "🚀" * 500,
        "a " * 3000,
    ):
        case(f"search syntax {q[:10]!r}", "GET", f"/api/v1/search/?q={quote(q)}", token=False)
        case(f"site search syntax {q[:10]!r}", "GET", f"/search/?q={quote(q)}", token=False)
    for path in (
        f"/api/v1/briefs/{brief}/annotations/pages/99999999999999999999/",
        f"/api/v1/briefs/{brief}/annotations/-1/",
        "/api/v1/briefs/%00/",
        "/briefs/%2e%2e/",
        "/parties/" + "a" * 5000 + "/",
        "/api/v1/deals/%ff/",
    ):
        case(f"path {path[:40]}", "GET", path, token=False)

    statuses, findings, slowest = Counter(), [], (0.0, "")
    for label, method, path, body, headers in cases:
        started = time.perf_counter()
        try:
            data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
            response = session.request(
                method, base + path, data=data, headers=headers, timeout=60, allow_redirects=False
            )
            status = response.status_code
        except requests.RequestException as error:
            status = "no answer"
            findings.append(f"{label}: no answer ({type(error).__name__})")
        elapsed = time.perf_counter() - started
        slowest = max(slowest, (elapsed, label))
        statuses[status] += 1
        if isinstance(status, int) and status >= 500:
            findings.append(f"{label}: {status}")
    return {"cases": len(cases), "statuses": statuses, "findings": findings, "slowest": slowest}


# The run ---------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run: few vectors, a bounded crawl")
    parser.add_argument("--no-browser", action="store_true", help="skip the XSS part (no Chromium)")
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)  # the child process that seeds the database
    parser.add_argument("--vectors", type=int, default=None, help="how many XSS vectors (default: all)")
    args = parser.parse_args()
    if args.seed_into:
        return seed(args.seed_into, args.vectors)

    vector_count = args.vectors or (8 if args.quick else len(vectors()))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dealsite-attack-") as workdir:
        env = environment(workdir)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        seeded_path = Path(workdir) / "seeded.json"
        child = [PYTHON, __file__, "--seed-into", str(seeded_path), "--vectors", str(vector_count)]
        subprocess.run(child, cwd=ROOT, env=env, check=True)
        seeded = json.loads(seeded_path.read_text())
        print(
            f"seeded: {len(seeded['canaries'])} canary briefs ({', '.join(CANARY_STATES)}), {vector_count} XSS vectors "
            f"({time.perf_counter() - started:.0f} s)"
        )
        server = Server(workdir, env)
        findings = []
        try:
            import requests

            # The canaries are real: staff see them where the public must not.
            draft = next(iter(seeded["canaries"].values()))
            staff = requests.get(
                f"{server.url}/api/v1/briefs/{draft['brief']}/",
                headers={"Authorization": f"Token {seeded['token']}"},
                timeout=30,
            )
            if staff.status_code != 200 or draft["brief"] not in staff.text:
                findings.append(f"self-check: staff cannot read the draft canary ({staff.status_code})")

            t = time.perf_counter()
            leak = crawl(
                server.url, crawl_seeds(seeded), seeded["canaries"], seeded["control"], 300 if args.quick else 30_000
            )
            print(
                f"1. draft-leak crawl: {leak['responses']} anonymous responses "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(leak['statuses'].items(), key=str))}), "
                f"{len(leak['leaks'])} canary found, {len(leak['errors'])} server errors, "
                f"control canary in {leak['control']} responses ({time.perf_counter() - t:.0f} s)"
            )
            findings += [f"leak: {item}" for item in leak["leaks"]] + [f"crawl: {item}" for item in leak["errors"]]
            if not leak["control"]:
                findings.append("self-check: the crawl never saw the published control canary (it is blind)")

            if args.no_browser:
                print("2. XSS: skipped (--no-browser)")
            elif not os.path.exists(CHROMIUM):
                findings.append(f"XSS: Chromium not found at {CHROMIUM}")
            else:
                t = time.perf_counter()
                result = xss(server.url, seeded["hostile"], 1 if args.quick else 8)
                print(
                    f"2. XSS: {vector_count} vectors in every text field, {result['pages']} pages opened in Chromium "
                    f"({', '.join(f'{k}: {v}' for k, v in sorted(result['statuses'].items(), key=str))}), "
                    f"{len(result['executions'])} executions ({time.perf_counter() - t:.0f} s)"
                )
                findings += [f"XSS: {item}" for item in result["executions"]]
                if result["blind"]:
                    findings.append("self-check: the watch missed a planted vector (it is blind)")
                bad = [f"{k}: {v}" for k, v in result["statuses"].items() if k != 200]
                if bad:
                    findings.append(f"XSS: pages that did not open: {bad}")

            t = time.perf_counter()
            result = pathological(server.url, seeded, args.quick)
            print(
                f"3. pathological input: {result['cases']} requests "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(result['statuses'].items(), key=str))}), "
                f"{len(result['findings'])} server errors; slowest {result['slowest'][0]:.2f} s ({result['slowest'][1]}) "
                f"({time.perf_counter() - t:.0f} s)"
            )
            findings += [f"input: {item}" for item in result["findings"]]
        finally:
            server.stop()
        errors_logged = server.log_path.read_text().count("Traceback")
        if errors_logged:
            findings.append(f"server log: {errors_logged} tracebacks")
    print(f"findings: {len(findings)} (total {time.perf_counter() - started:.0f} s)")
    for finding in findings[:50]:
        print(f"  - {finding}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
