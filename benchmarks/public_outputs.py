"""Snapshot of every public output of the site, to prove a refactor changed no behaviour.

    .venv/bin/python benchmarks/public_outputs.py OUTDIR               # capture
    .venv/bin/python benchmarks/public_outputs.py --compare BEFORE AFTER

Capture builds a throwaway SQLite database (migrate, load_demo, generate_briefs --count 200 --seed 1)
under a frozen clock, then requests through django.test.Client, anonymously, every public URL it can
find: SEED_URLS below (home, feeds, sitemap, robots.txt, healthz, search pages and API searches for a
few queries and filters, the API's lists, schema and its viewers, some 404s and a 400), the page and
API URLs of every brief, party, source and quote in the database whatever its status (a draft's page
must stay a 404), plus every same-site link found in the responses (HTML href/src/action, absolute
URLs in feeds, sitemap and JSON-LD, URL strings in the API's JSON: pagination, annotation pages and
items), breadth-first until nothing new turns up. Links from one search page to another (facets,
sorts, pages) are followed one hop only, or their combinations never end. Staff and editorial URLs
(admin, previews, presence) are never requested.

Each response is written to OUTDIR as one file named after its URL: the status line, Content-Type,
Location when there is one, a blank line, then the body. OUTDIR/index.tsv lists URL, status, the
sha256 of that file and the file name, sorted by URL. Other headers (ETag, Vary, CSP...) are not
compared.

Before/after a refactor: capture on the old code (OUTDIR = before/), capture on the new code
(after/), then `--compare before after`: it prints, per URL that differs, a truncated unified
diff, then a summary count; it exits 1 when anything differs (URL only on one side, other status
or other bytes) and 0 when the outputs are identical. A run takes well under a minute.

Nothing here imports the project's modules, whose paths may move in a refactor: only Django's own
entry points (settings, management commands, the test client, the app registry, where the briefs
app's models are found by label).

Determinism, at the source:
- the clock is frozen (time-machine, tick=False) for the whole run, so every timestamp the
  database, the generator and the pages see is FROZEN_AT;
- the generator is seeded; every random string Django makes (CSRF tokens in the Swagger UI script,
  session keys) comes from a generator reseeded from the URL before each request (SeededSecrets);
- the release token (RELEASE), SITE_URL and PYTHONHASHSEED are fixed: the capture re-runs this
  script in a child process with an environment built from scratch, so nothing from the caller's
  shell (DATABASE_URL, REDIS_URL, DEBUG...) leaks in;
- the page cache and the API's response cache are off, so every response is rendered fresh, and
  the anonymous API rate is raised (under a frozen clock its one-minute window never ends).
The only rules that rewrite a body are in NORMALISATIONS, each with its reason, applied to the URLs
named there only, and named in the written file (X-Normalised).
"""

import argparse
import datetime
import difflib
import hashlib
import io
import json
import logging
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import warnings
from collections import deque
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_plus, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHILD_FLAG = "PUBLIC_OUTPUTS_CHILD"

FROZEN_AT = datetime.datetime(2026, 1, 15, 12, 0, 0, tzinfo=datetime.UTC)
SEED = 1
BRIEF_COUNT = 200
SITE = "http://testserver"  # the test client's host; also SITE_URL, so absolute links stay on it
MAX_URLS = 20_000  # a guard against a crawl that never ends (e.g. links that grow a query string)

# The production settings with what a local, in-process run needs (as pytest.ini sets for the tests).
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "dealsite.settings",
    "SECRET_KEY": "public-outputs-only-not-a-secret",
    "ALLOWED_HOSTS": "testserver",
    "SITE_URL": SITE,
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATIC_MANIFEST": "0",
    "WHITENOISE_USE_FINDERS": "1",
    "PAGE_CACHE": "0",
    "API_RESPONSE_CACHE": "0",
    "API_ANON_RATE": "1000000/min",
    "RELEASE": "public-outputs",
    "LOG_LEVEL": "ERROR",
    "PYTHONHASHSEED": "0",
    "TZ": "UTC",
    "LANG": "C.UTF-8",
}

SEARCH_QUERIES = ["", "Amazon", "billion", "Anthropic", "amazon anthropic", "-billion", "nosuchwordanywhere"]
SEED_URLS = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/favicon.ico",
    "/healthz",
    "/feed/rss/",
    "/feed/atom/",
    "/briefs/no-such-brief/",
    *[f"/search/?q={quote_plus(q)}" for q in SEARCH_QUERIES],
    "/search/?q=&deal_type=investment",
    "/search/?q=billion&sort=newest",
    "/search/?q=billion&sort=amount&page=2",
    "/search/?q=&currency=EUR&year=2020",
    "/api/v1/briefs/",
    "/api/v1/briefs/?deal_type=acquisition&ordering=-amount&currency=USD",
    "/api/v1/briefs/?ordering=title&page_size=100",
    "/api/v1/briefs/?amount_min=1000",
    "/api/v1/briefs/no-such-brief/",
    "/api/v1/briefs/sync/",
    "/api/v1/parties/",
    "/api/v1/parties/?kind=person",
    "/api/v1/sources/",
    "/api/v1/quotes/",
    *[f"/api/v1/search/?q={quote_plus(q)}" for q in SEARCH_QUERIES],
    "/api/v1/search/?q=&deal_type=investment&sort=newest",
    "/api/v1/search/?q=billion&page=2&page_size=5",
    "/api/schema/",
    "/api/schema/?format=json",
    "/api/schema/swagger-ui/",
    "/api/schema/redoc/",
]

SEARCH_PATHS = ("/search/", "/api/v1/search/")
# Not public (staff, editors, signed links) or not a read: never requested even when linked.
SKIP = re.compile(r"^/(admin/|static/admin/|preview/)|^/briefs/\d+/(preview|presence)/")

# (name, URL pattern, body pattern, replacement, why): rules applied to bodies before they are written.
NORMALISATIONS = [
    (
        "healthz-timings",
        re.compile(r"^/healthz$"),
        re.compile(rb'"ms": [0-9.e-]+'),
        b'"ms": "<elapsed>"',
        "the health check reports how long each check really took (perf_counter), which no clock freeze fixes",
    ),
]


# ----------------------------------------------------------------------------- capture (child)


class _Links(HTMLParser):
    ATTRIBUTES = {"href", "src", "action"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.found.append(value)


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


ABSOLUTE = re.compile(re.escape(SITE) + r"(/[^\s\"'<>\\]*)")


def local_url(raw, base="/"):
    """The site-relative path?query of a link on this site (resolved against the page at base), or None."""
    raw = raw.strip()
    if not raw or raw.startswith("#") or "{" in raw or " " in raw:
        return None
    parts = urlsplit(urljoin(SITE + base, raw))
    if f"{parts.scheme}://{parts.netloc}" != SITE:
        return None
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(url) else url


def links_in(url, content_type, body):
    text = body.decode("utf-8", errors="replace")
    found = [unescape(m.group(1)) for m in ABSOLUTE.finditer(text)]
    if content_type.startswith("text/html"):
        parser = _Links()
        parser.feed(text)
        found += parser.found
    elif "json" in content_type:
        try:
            # Only strings that are URLs: a relative word would otherwise resolve against the page.
            found += [v for v in _json_strings(json.loads(text)) if v.startswith(("/", SITE + "/"))]
        except ValueError:
            pass
    return [link for link in (local_url(raw, url) for raw in found) if link]


def is_search(url):
    return url.startswith(SEARCH_PATHS)


def response_body(response):
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    response.close()
    return body


def file_name(url):
    """Readable and stable: the URL's characters that are safe in a file name, plus a digest of the URL."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    readable = re.sub(r"[^A-Za-z0-9._=-]+", "_", url.strip("/")).strip("_")[:120] or "root"
    return f"{readable}--{digest}.txt"


def record(url, response, body):
    applied = []
    for name, url_pattern, pattern, replacement, _why in NORMALISATIONS:
        if url_pattern.search(url) and pattern.search(body):
            body = pattern.sub(replacement, body)
            applied.append(name)
    head = [
        f"HTTP {response.status_code} {response.reason_phrase}",
        f"Content-Type: {response.get('Content-Type', '')}",
    ]
    if response.has_header("Location"):
        head.append(f"Location: {response['Location']}")
    if applied:
        head.append(f"X-Normalised: {', '.join(applied)}")
    return ("\n".join(head) + "\n\n").encode() + body


def build_database():
    from django.core.management import call_command

    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("migrate", interactive=False, verbosity=0, **quiet)
    call_command("load_demo", verbosity=0, **quiet)
    call_command("generate_briefs", count=BRIEF_COUNT, seed=SEED, no_progress=True, verbosity=0, **quiet)


class SeededSecrets:
    """Stands in for the `secrets` module inside django.utils.crypto, where every random string
    Django makes comes from (get_random_string: CSRF secrets and their per-response masks, session
    keys). Reseeded from the URL before each request, so a response's random strings depend on its
    URL alone, not on how many random strings earlier requests used."""

    compare_digest = staticmethod(secrets.compare_digest)

    def __init__(self):
        self.rng = random.Random(SEED)

    def seed(self, value):
        self.rng.seed(f"{SEED}:{value}")

    def choice(self, sequence):
        return self.rng.choice(sequence)


SEEDED_SECRETS = SeededSecrets()


def every_row_urls():
    """The public URLs of every brief, party, source and quote in the database, whatever its status.

    Links only reach what is published; these also pin down what drafts, withdrawn and scheduled
    briefs and unlinked parties answer (a 404 that must stay a 404). Models are looked up by app
    label in Django's registry, which does not depend on where their modules live.
    """
    from django.apps import apps

    def values(model, field):
        return list(apps.get_model("briefs", model).objects.order_by(field).values_list(field, flat=True))

    urls = []
    for slug in values("Brief", "slug"):
        urls += [f"/briefs/{slug}/", f"/api/v1/briefs/{slug}/", f"/api/v1/briefs/{slug}/annotations/"]
    for slug in values("Party", "slug"):
        urls += [f"/parties/{slug}/", f"/parties/{slug}/feed/rss/", f"/parties/{slug}/feed/atom/"]
        urls += [f"/api/v1/parties/{slug}/"]
    for key in values("Source", "key"):
        urls += [f"/sources/{key}/", f"/api/v1/sources/{key}/"]
    for key in values("Quote", "key"):
        urls += [f"/api/v1/quotes/{key}/"]
    return urls


def crawl(outdir):
    from django.test import Client

    seeds = list(dict.fromkeys(SEED_URLS + every_row_urls()))
    client = Client(raise_request_exception=False)
    # Each search result page links to every facet, sort and page of its query: followed one hop
    # from a search reached otherwise, or the combinations never end.
    queue, seen, index = deque((url, 0) for url in seeds), set(seeds), []
    while queue:
        url, search_hops = queue.popleft()
        SEEDED_SECRETS.seed(url)
        response = client.get(url)
        body = response_body(response)
        content = record(url, response, body)
        name = file_name(url)
        (outdir / name).write_bytes(content)
        index.append((url, response.status_code, hashlib.sha256(content).hexdigest(), name))
        found = links_in(url, response.get("Content-Type", ""), body)
        if response.has_header("Location"):
            found += [u for u in [local_url(response["Location"], url)] if u]
        for link in found:
            hops = search_hops + 1 if is_search(url) and is_search(link) else 0
            if link not in seen and hops <= 1 and len(seen) < MAX_URLS:
                seen.add(link)
                queue.append((link, hops))
    index.sort()
    lines = ["url\tstatus\tsha256\tfile"] + [f"{u}\t{s}\t{h}\t{n}" for u, s, h, n in index]
    (outdir / "index.tsv").write_text("\n".join(lines) + "\n")
    if len(seen) >= MAX_URLS:
        sys.exit(f"stopped discovering at {MAX_URLS} URLs: the capture is incomplete")
    return index


def capture_child(outdir):
    import time_machine

    # Frozen before Django loads, so settings, migrations and every row share one instant.
    with time_machine.travel(FROZEN_AT, tick=False):
        import django

        sys.path.insert(0, str(ROOT))
        # As pytest.ini: collectstatic is a deploy step, the finders serve the static files.
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        django.setup()
        import django.utils.crypto

        django.utils.crypto.secrets = SEEDED_SECRETS
        # Each expected 404/400 would log a warning; errors (500s) still do.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        build_database()
        index = crawl(outdir)
    statuses = {}
    for _url, status, _digest, _name in index:
        statuses[status] = statuses.get(status, 0) + 1
    summary = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    print(f"{len(index)} URLs captured ({summary}) in {outdir}")


def capture(outdir):
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if any(outdir.iterdir()):
        sys.exit(f"{outdir} is not empty: capture into a new directory.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="public-outputs-") as workdir:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": workdir,
            "TMPDIR": workdir,
            **ENVIRONMENT,
            "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
            CHILD_FLAG: "1",
        }
        command = [sys.executable, str(Path(__file__).resolve()), str(outdir)]
        result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)
    print(f"took {time.monotonic() - started:.1f} s")


# ----------------------------------------------------------------------------- compare


def read_index(directory):
    rows = {}
    lines = (Path(directory) / "index.tsv").read_text().splitlines()[1:]
    for line in lines:
        url, status, digest, name = line.split("\t")
        rows[url] = (status, digest, name)
    return rows


_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACE = re.compile(r"\s+")


def _layout_free(text):
    """The text with white space between tags dropped and other runs of it folded: what a browser
    renders the same (a template's indentation), so a layout-only change is told apart."""
    return _BETWEEN_TAGS.sub("><", _SPACE.sub(" ", text)).strip()


def compare(before, after, context_lines=3, max_diff_lines=60, ignore_layout=False):
    old, new = read_index(before), read_index(after)
    only_before = sorted(set(old) - set(new))
    only_after = sorted(set(new) - set(old))
    changed = sorted(url for url in set(old) & set(new) if old[url][1] != new[url][1])
    layout_only = []
    if ignore_layout:
        for url in changed:
            a = (Path(before) / old[url][2]).read_bytes().decode("utf-8", errors="replace")
            b = (Path(after) / new[url][2]).read_bytes().decode("utf-8", errors="replace")
            if _layout_free(a) == _layout_free(b):
                layout_only.append(url)
        changed = [url for url in changed if url not in set(layout_only)]
    for url in only_before:
        print(f"--- only in {before}: {url} ({old[url][0]})")
    for url in only_after:
        print(f"+++ only in {after}: {url} ({new[url][0]})")
    for url in changed:
        a = (Path(before) / old[url][2]).read_bytes().decode("utf-8", errors="replace").splitlines()
        b = (Path(after) / new[url][2]).read_bytes().decode("utf-8", errors="replace").splitlines()
        print(f"=== {url} ({old[url][0]} → {new[url][0]})")
        diff = list(difflib.unified_diff(a, b, "before", "after", n=context_lines, lineterm=""))
        for line in diff[:max_diff_lines]:
            print(line[:300])
        if len(diff) > max_diff_lines:
            print(f"... {len(diff) - max_diff_lines} more diff lines")
    same = len(set(old) & set(new)) - len(changed) - len(layout_only)
    layout = f"{len(layout_only)} differ in white space between tags only, " if ignore_layout else ""
    print(
        f"{same} identical, {layout}{len(changed)} differ, {len(only_before)} only before, "
        f"{len(only_after)} only after ({len(old)} URLs before, {len(new)} after)"
    )
    return 1 if (changed or only_before or only_after) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", help="capture every public output into this new directory")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two captures")
    parser.add_argument(
        "--ignore-layout",
        action="store_true",
        help="with --compare: count outputs that differ only in white space between tags apart",
    )
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare, ignore_layout=args.ignore_layout))
    if not args.outdir:
        parser.error("give OUTDIR to capture, or --compare BEFORE AFTER")
    if os.environ.get(CHILD_FLAG) == "1":
        capture_child(Path(args.outdir))
    else:
        capture(args.outdir)


if __name__ == "__main__":
    main()
