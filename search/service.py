"""search(): the one search function behind the site's /search/ page and the JSON API."""

import html
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import mark_safe

from briefs.deal_line import deal_sides
from briefs.markup.money import money_figures
from briefs.models import Brief
from briefs.models.choices import DealStatus, DealType, FundingSeries

from .backends import get_backend
from .backends.base import FIELD_SEPARATOR, MARK_END, MARK_START
from .query import parse
from .spelling import closeness
from .trigram import similarity

# Matches ranked and faceted together: the newest CANDIDATE_CAP (a window). Older matches are the
# next window, reached by keyset (`before`: the oldest brief id of this window), so a deep page
# costs what the first does; the total is counted apart, up to COUNT_LIMIT (more: "1,000+").
# Counting reads every match it counts, so the limit is what keeps a common word's search from
# costing more as the archive grows.
CANDIDATE_CAP = 500
COUNT_LIMIT = 1_000
MAX_PAGE_SIZE = 50
# "amount": the deals' official headline in US dollars (so a EUR and a USD deal sort together),
# undisclosed deals last; "amount_reported": the same, an undisclosed deal placed by the largest
# amount reported of it — only on the reader's request, since a reported figure is not an official one.
SORTS = ("relevance", "newest", "amount", "amount_reported")
FACET_PARTIES = 12
SUGGEST_THRESHOLD = 0.4


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    brief: Brief
    title_html: str  # escaped, with <mark> around matches
    snippet_html: str
    deal_line: list  # [[name, slug, role, party id], …]
    score: float
    deal_facts: dict = field(default_factory=dict)  # search.documents.deal_facts()

    @property
    def deals(self):
        """What the result shows of each deal: kind, size, status, date (worded at index time)."""
        return self.deal_facts.get("lines", [])

    @property
    def sides(self):
        return deal_sides((role, (name, slug)) for name, slug, role, _pk in self.deal_line)

    @property
    def acting(self):
        return self.sides.acting

    @property
    def partners(self):
        return self.sides.partners

    @property
    def receiving(self):
        return self.sides.receiving


@dataclass
class SearchResults:
    query: str
    parsed: object
    filters: dict
    sort: str
    page: int
    per_page: int
    hits: list = field(default_factory=list)
    total: int = 0  # every match, counted up to COUNT_LIMIT
    total_is_capped: bool = False  # more matches than total ("1,000+") when True
    ranked: int = 0  # matches in this window (ranked, paged and faceted together)
    before: int | None = None  # this window: matches older than this brief id (None: the newest)
    older: int | None = None  # `before` for the next window of older matches, if there are any
    facets: dict = field(default_factory=dict)  # name -> [FacetValue]
    suggestion: str | None = None  # "did you mean" query text
    messages: list = field(default_factory=list)

    @property
    def num_pages(self):
        return max(1, math.ceil(self.ranked / self.per_page))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def first_index(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def total_display(self):
        return f"{self.total:,}+" if self.total_is_capped else f"{self.total:,}"


def _slug(value):
    return str(value) if value and re.fullmatch(r"[-a-zA-Z0-9_]{1,100}", str(value)) else None


def _clean_filters(deal_type=None, party=None, year=None, currency=None, status=None, series=None, lead=None):
    filters = {}
    if deal_type in DealType.values:
        filters["deal_type"] = deal_type
    if status in DealStatus.values:
        filters["status"] = status
    if series in FundingSeries.values:
        filters["series"] = series
    if _slug(party):
        filters["party"] = _slug(party)
    if _slug(lead):
        filters["lead"] = _slug(lead)
    if year and re.fullmatch(r"\d{4}", str(year)):
        filters["year"] = int(year)
    if currency and re.fullmatch(r"[A-Z]{3}", str(currency)):
        filters["currency"] = str(currency)
    return filters


def _int(value, default, low, high):
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def search(
    query="",
    *,
    deal_type=None,
    party=None,
    year=None,
    currency=None,
    status=None,
    series=None,
    lead=None,
    sort="relevance",
    page=1,
    per_page=20,
    before=None,
    now=None,
):
    """Search published briefs. Never raises on reader input; see the package docstring."""
    now = now or timezone.now()
    parsed = parse(query)
    filters = _clean_filters(deal_type, party, year, currency, status, series, lead)
    sort = sort if sort in SORTS else "relevance"
    per_page = _int(per_page, 20, 1, MAX_PAGE_SIZE)
    page = _int(page, 1, 1, CANDIDATE_CAP)
    before = _int(before, None, 1, 2**63 - 1) if before else None
    results = SearchResults(parsed.raw, parsed, filters, sort, page, per_page, messages=list(parsed.notes))
    results.before = before
    if not parsed.searchable:
        if parsed.negative:
            results.messages.append("Add a word to search for: exclusions (-word) alone match nothing.")
        elif str(query or "").strip() and not filters:
            results.messages.append("Type a word, a party or an amount to search for.")
        if not filters:
            return results
    if not parsed.searchable and sort == "relevance":
        results.sort = sort = "newest"
    backend = get_backend()
    text = parsed if parsed.searchable else parse("")
    candidates = backend.candidates(text, filters, now, CANDIDATE_CAP, before=before)
    results.ranked = len(candidates)
    if len(candidates) >= CANDIDATE_CAP:
        results.older = min(c.brief_id for c in candidates)
    if before or results.older:
        counted = backend.count(text, filters, now, COUNT_LIMIT + 1)  # one more: exactly the limit is not "+"
        results.total_is_capped = counted > COUNT_LIMIT
        results.total = min(counted, COUNT_LIMIT)
    else:
        results.total = len(candidates)
    if not candidates:
        if parsed.searchable:
            results.suggestion = _suggest(backend, parsed, now)
        return results
    ordered = _sorted(candidates, sort)
    shown = ordered[(page - 1) * per_page : page * per_page]
    results.hits = _hits(backend, parsed, shown, now)
    results.facets = _facets(candidates, filters)
    return results


def _sorted(candidates, sort):
    newest = sorted(candidates, key=lambda c: (c.published_at, c.brief_id), reverse=True)
    if sort == "newest":
        return newest
    if sort == "amount":
        return sorted(newest, key=lambda c: (c.amount is not None, c.amount or 0), reverse=True)
    if sort == "amount_reported":
        reported = {c.brief_id: _facts(c).get("reported_usd") for c in candidates}
        return sorted(newest, key=lambda c: (reported[c.brief_id] is not None, reported[c.brief_id] or 0), reverse=True)
    return sorted(newest, key=lambda c: c.score, reverse=True)  # stable: recency breaks ties


def _hits(backend, parsed, shown, now):
    if not shown:
        return []
    ids = [c.brief_id for c in shown]
    text = parsed if parsed.searchable else parse("")
    annotations = backend.page_annotations(text)
    highlighted = backend.page_highlights(text, ids)
    briefs = {
        b.pk: b
        # What a list shows, so callers (the API's serializers) need no per-field queries.
        for b in Brief.objects.published(now).filter(pk__in=ids).for_listing().annotate(**annotations)
    }
    hits = []
    amounts = parsed.money_amounts
    for candidate in shown:
        brief = briefs.get(candidate.brief_id)
        if brief is None:  # index a moment behind the content: the visibility rule wins
            continue
        if highlighted is None:
            highlights = getattr(brief, "search_highlights", None)
        else:
            highlights = highlighted.get(brief.pk)
        title, _, snippet = (highlights or "").partition(FIELD_SEPARATOR)
        deal_line = _deal_line(candidate)
        hits.append(
            Hit(
                brief=brief,
                title_html=_marked(title) if title else html.escape(brief.title),
                snippet_html=_marked(snippet, amounts) if snippet else html.escape(brief.dek),
                deal_line=deal_line or [],
                score=candidate.score,
                deal_facts=_facts(candidate),
            )
        )
    return hits


def _marked(text, amounts=()):
    """Escape engine output and turn its markers into <mark>; mark amounts the query asked for."""
    escaped = html.escape(text.replace(MARK_END + " " + MARK_START, " "), quote=False)
    escaped = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if amounts:
        pieces, position = [], 0
        for figure in money_figures(escaped):
            if figure.amount in amounts:
                pieces += [escaped[position : figure.start], f"<mark>{figure.text}</mark>"]
                position = figure.end
        escaped = "".join(pieces) + escaped[position:]
    return mark_safe(escaped)


def _facets(candidates, filters):
    facts = [_facts(c) for c in candidates]
    deal_types = Counter(v for f in facts for v in f.get("types", ()))
    statuses = Counter(v for f in facts for v in f.get("statuses", ()))
    series = Counter(v for f in facts for v in f.get("series", ()))
    currencies = Counter(v for f in facts for v in f.get("currencies", ()))
    years = Counter(v for c, f in zip(candidates, facts, strict=True) for v in (f.get("years") or [c.year]) if v)
    leads = Counter(slug for f in facts for _name, slug, _pk in f.get("leads", ()))
    lead_names = {slug: name for f in facts for name, slug, _pk in f.get("leads", ())}
    party_counts = Counter(int(pk) for c in candidates for pk in c.party_ids.split())
    top = sorted(party_counts, key=lambda pk: (-party_counts[pk], pk))[:FACET_PARTIES]
    labels = {}
    wanted = set(top)
    for fact in facts:  # names and slugs from the entries themselves: no extra query
        if not wanted:
            break
        for name, slug, pk in fact.get("parties", ()):
            if pk in wanted:
                labels[pk] = (slug, name)
                wanted.discard(pk)

    def values(counter, name, choices=None):
        names = dict(choices or ())
        return [FacetValue(v, names.get(v, v), n, filters.get(name) == v) for v, n in _by_count(counter)]

    top_leads = sorted(leads, key=lambda slug: (-leads[slug], lead_names[slug].lower()))[:FACET_PARTIES]
    return {
        "deal_type": values(deal_types, "deal_type", DealType.choices),
        "status": values(statuses, "status", DealStatus.choices),
        "series": values(series, "series", FundingSeries.choices),
        "lead": [FacetValue(slug, lead_names[slug], leads[slug], filters.get("lead") == slug) for slug in top_leads],
        "party": sorted(
            (
                FacetValue(labels[pk][0], labels[pk][1], party_counts[pk], filters.get("party") == labels[pk][0])
                for pk in top
                if pk in labels
            ),
            key=lambda f: (-f.count, f.label.lower()),
        ),
        "year": [
            FacetValue(str(v), str(v), n, filters.get("year") == v) for v, n in sorted(years.items(), reverse=True)
        ],
        "currency": values(currencies, "currency"),
    }


def _facts(candidate):
    value = candidate.deal_facts
    return json.loads(value or "{}") if isinstance(value, str) else (value or {})


def _deal_line(candidate):
    value = candidate.deal_line
    return json.loads(value or "[]") if isinstance(value, str) else (value or [])


def _by_count(counter):
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _corrections(word, name):
    """(similarity, replacement) pairs: the whole name, and each of its words on its own, by shared
    trigrams or, for typos trigrams miss (swapped letters), by edit distance."""
    yield similarity(word, name), name
    for part in re.findall(r"[^\W_]+", name):
        yield max(similarity(word, part), closeness(word, part)), part


def _suggest(backend, parsed, now):
    """A corrected query when a word looks like a misspelt party name (trigram similarity)."""
    words = [w for w in parsed.plain_words if len(w) >= 4 and not w.isdigit()][:4]
    if not words:
        return None
    candidates = backend.party_candidates(words, now)
    known = {part.lower() for _, name in candidates for part in re.findall(r"[^\W_]+", name)}
    replacements = {}
    for word in words:
        if word in known:  # spelt like a real party's name: nothing to correct
            continue
        best = max(
            ((score, replacement) for _, name in candidates for score, replacement in _corrections(word, name)),
            default=(0, None),
        )
        if best[0] >= SUGGEST_THRESHOLD:
            replacements[word] = best[1]
    if not replacements:
        return None
    suggestion = parsed.raw
    for word, name in replacements.items():
        replacement = f'"{name}"' if " " in name else name
        suggestion = re.sub(
            rf"(?<![\w]){re.escape(word)}(?![\w])",
            lambda m: replacement,  # noqa: B023 (used at once)
            suggestion,
            flags=re.IGNORECASE,
        )
    return suggestion if suggestion.lower() != parsed.raw.lower() else None
