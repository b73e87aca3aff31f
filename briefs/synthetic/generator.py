"""Deterministic synthetic briefs, fast: bulk inserts and markup rendered once per template.

Each body template is rendered once by the real renderer (briefs.markup.render_body) with marker
tokens in place of names, keys and sentences. A brief's stored HTML, plain text and annotations
are that render with the markers replaced and the annotation offsets shifted, which is exactly
what render_brief() stores for the brief (tests/test_synthetic.py checks it brief by brief).
Values are plain words and figures that Markdown and the sanitizer pass through unchanged.
"""

import bisect
import datetime
import itertools
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ..markup import LinkedTargets, render_body
from ..markup.plaintext import context
from ..models import Annotation, Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from ..money import format_money
from . import words as W

MARKER = re.compile(r"Zq([A-Z0-9]+)Qz")
NOTE_KEY = "context"
BATCH = 1000


def m(name):
    return f"Zq{name}Qz"


# Body templates. {X} is a plain-text marker; parties A (acting), T (target/receiving), M (a rival),
# P (a person, the quote's speaker); sources S1, S2; quote Q1 (its shown words QT); the note.
TEMPLATES = [
    """[{A}](party:{AS}) {VERB} [{T}](party:{TS}), the {CITY} {SECTOR} company, in a deal worth \
[{AMT}](source:{S1}). {F1}

## The terms

{F2} [{P}](party:{PS}), {PTITLE} of {T}, said [“{QT}”](quote:{Q1}). The figures were later confirmed in \
[a filing](source:{S2}).

## Context

{F3} Its rival [{M}](party:{MS}) was [not part of the talks](note:{NOTE}). {F4}
""",
    """[{T}](party:{TS}) said on Monday that [{A}](party:{AS}) {VERB} it, putting [{AMT}](source:{S1}) \
on the table. {F1} {F2}

[{P}](party:{PS}), its {PTITLE}, called the agreement a turning point: [“{QT}”](quote:{Q1})

{F3} Analysts compared the move with recent {SECTOR} deals by [{M}](party:{MS}), according to \
[industry data](source:{S2}).
""",
    """## What happened

[{A}](party:{AS}) {VERB} [{T}](party:{TS}) for [{AMT}](source:{S1}), extending its reach in {SECTOR}. {F1}

## Why it matters

{F2} {F3} The {CITY} market is crowded, with [{M}](party:{MS}) among the leaders, and \
[the timing matters](note:{NOTE}). {F4}
""",
    """In one of the larger {SECTOR} deals of the season, [{A}](party:{AS}) {VERB} [{T}](party:{TS}). \
The amount, [{AMT}](source:{S1}), was first reported by [the trade press](source:{S2}). {F1}

- {F2}
- {F3}

[{P}](party:{PS}) of {T} added: [“{QT}”](quote:{Q1}) {F4}
""",
]

VERBS = {
    "investment": "agreed to invest in",
    "funding_round": "led a new funding round for",
    "acquisition": "agreed to acquire",
    "merger": "agreed to merge with",
    "partnership": "signed a partnership with",
    "joint_venture": "formed a joint venture with",
    "divestiture": "agreed to sell a business unit to",
    "ipo": "is advising on the listing of",
    "debt": "arranged a loan for",
}
TITLES = {
    "investment": "{A} invests {AMT} in {T}",
    "funding_round": "{T} raises {AMT} in a round led by {A}",
    "acquisition": "{A} to acquire {T} for {AMT}",
    "merger": "{A} and {T} agree to merge in {AMT} deal",
    "partnership": "{A} and {T} form {SECTOR} partnership",
    "joint_venture": "{A} and {T} set up {SECTOR} joint venture",
    "divestiture": "{A} sells unit to {T} for {AMT}",
    "ipo": "{T} raises {AMT} in stock market listing",
    "debt": "{A} lends {AMT} to {T}",
}
ROLES = {  # (role of A, role of T)
    "investment": ("investor", "target"),
    "funding_round": ("investor", "target"),
    "acquisition": ("acquirer", "target"),
    "merger": ("acquirer", "target"),
    "partnership": ("partner", "partner"),
    "joint_venture": ("partner", "partner"),
    "divestiture": ("seller", "acquirer"),
    "ipo": ("advisor", "target"),
    "debt": ("lender", "target"),
}
DEAL_WEIGHTS = {
    "investment": 20,
    "funding_round": 30,
    "acquisition": 20,
    "merger": 5,
    "partnership": 8,
    "joint_venture": 3,
    "divestiture": 5,
    "ipo": 4,
    "debt": 5,
}
CURRENCY_WEIGHTS = {"USD": 55, "EUR": 15, "GBP": 10, "JPY": 5, "CHF": 4, "CNY": 4, "INR": 4, "CAD": 3}
START = datetime.datetime(2015, 1, 1, 9, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2025, 10, 31, 18, 0, tzinfo=datetime.UTC)


@dataclass
class RenderedTemplate:
    source: str  # the Markdown template, {NAME} placeholders
    html: str
    text: str
    annotations: list  # AnnotationSpan with marker keys
    citation_numbers: dict  # marker key -> number
    uses: set  # marker names used (AS, S2, Q1, NOTE…)


def _render_template(template):
    names = set(re.findall(r"\{([A-Z0-9]+)\}", template))
    markdown = template.format(**{name: m(name) for name in names} | {"NOTE": NOTE_KEY})
    parties = {m(n): reverse("briefs:party", kwargs={"slug": m(n)}) for n in ("AS", "TS", "MS", "PS") if n in names}
    linked = LinkedTargets.of(
        parties,
        sources=[m(n) for n in ("S1", "S2") if n in names],
        quotes=[m("Q1")] if "Q1" in names else [],
        notes=[NOTE_KEY],
    )
    result = render_body(markdown, linked)
    if result.errors:
        raise ValueError(f"template does not render: {result.errors}")
    return RenderedTemplate(template, result.html, result.text, result.annotations, result.citation_numbers, names)


def _substitute(text, values):
    """text with markers replaced, and a function mapping old offsets to new ones."""
    out, old_marks, new_marks = [], [0], [0]
    position = new_length = 0
    for match in MARKER.finditer(text):
        literal = text[position : match.start()]
        out.append(literal)
        new_length += len(literal)
        old_marks.append(match.start())
        new_marks.append(new_length)
        value = values[match.group(1)]
        out.append(value)
        new_length += len(value)
        old_marks.append(match.end())
        new_marks.append(new_length)
        position = match.end()
    out.append(text[position:])

    def shift(offset):
        i = bisect.bisect_right(old_marks, offset) - 1
        return new_marks[i] + (offset - old_marks[i])

    return "".join(out), shift


class Generator:
    def __init__(self, seed=1, count=1000):
        self.seed = seed
        self.count = count
        self.rng = random.Random(seed)
        self.prefix = f"g{seed}"
        self.templates = [_render_template(t) for t in TEMPLATES]

    # Pools -----------------------------------------------------------------------------------

    def make_pools(self):
        rng, p = self.rng, self.prefix
        combos = [f"{h} {t}" for h in W.NAME_HEADS for t in W.NAME_TAILS]
        rng.shuffle(combos)
        n_orgs = min(len(combos), max(40, self.count // 40))
        orgs = [
            Party(
                name=name,
                slug=f"{p}-{slugify(name)}",
                kind="fund" if name.endswith(("Capital", "Fund", "Ventures", "Partners")) else "organisation",
                description=f"{name} works in {rng.choice(W.SECTORS)}.",
            )
            for name in combos[:n_orgs]
        ]
        people_names = [f"{f} {last}" for f in W.FIRST_NAMES for last in W.LAST_NAMES]
        rng.shuffle(people_names)
        n_people = min(len(people_names), max(10, n_orgs // 4))
        people = [
            Party(name=name, slug=f"{p}-{slugify(name)}", kind="person", title=rng.choice(W.TITLES))
            for name in people_names[:n_people]
        ]
        self.orgs = Party.objects.bulk_create(orgs, batch_size=BATCH)
        self.people = Party.objects.bulk_create(people, batch_size=BATCH)
        n_sources = max(20, self.count // 20)
        sources = []
        for i in range(n_sources):
            org = rng.choice(self.orgs)
            sources.append(
                Source(
                    key=f"{p}-src-{i}",
                    title=f"{org.name} {rng.choice(['statement', 'filing', 'results', 'interview', 'report'])} {i}",
                    publisher=rng.choice(W.PUBLISHERS),
                    url=f"https://news.example.com/{p}/{i}",
                    kind=rng.choice(["news_article", "press_release", "filing", "statement"]),
                    published_on=(START + (END - START) * rng.random()).date(),
                )
            )
        self.sources = Source.objects.bulk_create(sources, batch_size=BATCH)
        n_quotes = max(20, self.count // 20)
        quotes = []
        for i in range(n_quotes):
            text = f"{rng.choice(W.QUOTE_OPENERS)} {rng.choice(W.QUOTE_ENDINGS)}"
            quotes.append(
                Quote(
                    key=f"{p}-q-{i}",
                    text=text,
                    speaker=rng.choice(self.people),
                    speaker_role="in a statement",
                    source=rng.choice(self.sources),
                )
            )
        self.quotes = Quote.objects.bulk_create(quotes, batch_size=BATCH)
        # Skewed popularity: a few parties appear often, most rarely (like real deal flow).
        self.org_cum_weights = list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(self.orgs))))

    # Briefs ----------------------------------------------------------------------------------

    def _pick_orgs(self, k):
        chosen = []
        while len(chosen) < k:
            party = self.rng.choices(self.orgs, cum_weights=self.org_cum_weights)[0]
            if party not in chosen:
                chosen.append(party)
        return chosen

    def _amount(self, deal_type):
        rng = self.rng
        if deal_type in ("partnership", "joint_venture"):
            return "not_applicable", None, None, ""
        if rng.random() < 0.1:
            return "undisclosed", None, None, ""
        currency = rng.choices(list(CURRENCY_WEIGHTS), weights=list(CURRENCY_WEIGHTS.values()))[0]
        exponent = rng.uniform(6, 10.7)
        significant = Decimal(str(round(10 ** (exponent % 1), 2)))
        amount = (significant * Decimal(10) ** int(exponent)).quantize(Decimal("1"))
        up_to = None
        if rng.random() < 0.2:
            up_to = amount * rng.choice([2, 3, 4])
        return "disclosed", amount, up_to, currency

    def _sentence(self):
        rng = self.rng
        return f"{rng.choice(W.SUBJECTS)} {rng.choice(W.VERBS)} {rng.choice(W.OBJECTS)}, and {rng.choice(W.CLOSERS)}."

    def brief_rows(self, i):
        """(Brief, links) for brief number i: deterministic for (seed, i) given the pools."""
        rng = self.rng
        deal_type = rng.choices(list(DEAL_WEIGHTS), weights=list(DEAL_WEIGHTS.values()))[0]
        template = rng.choice(self.templates)
        a, t, rival = self._pick_orgs(3)
        person = rng.choice(self.people)
        s1, s2 = rng.sample(self.sources, 2)
        quote = rng.choice(self.quotes)
        disclosure, amount, up_to, currency = self._amount(deal_type)
        shown = up_to or amount
        amount_text = format_money(shown, currency) if shown is not None else "an undisclosed sum"
        if up_to is not None:
            amount_text = f"up to {amount_text}"
        sector, city = rng.choice(W.SECTORS), rng.choice(W.CITIES)
        values = {
            "A": a.name,
            "T": t.name,
            "M": rival.name,
            "P": person.name,
            "AS": a.slug,
            "TS": t.slug,
            "MS": rival.slug,
            "PS": person.slug,
            "S1": s1.key,
            "S2": s2.key,
            "Q1": quote.key,
            "QT": " ".join(quote.text.split()[:6]),
            "VERB": VERBS[deal_type],
            "CITY": city,
            "SECTOR": sector,
            "AMT": amount_text,
            "PTITLE": person.title,
            "F1": self._sentence(),
            "F2": self._sentence(),
            "F3": self._sentence(),
            "F4": self._sentence(),
        }
        html, _ = _substitute(template.html, values)
        text, shift = _substitute(template.text, values)
        title_values = {
            "A": a.name,
            "T": t.name,
            "AMT": amount_text if shown is not None else "an undisclosed sum",
            "SECTOR": sector,
        }
        title = TITLES[deal_type].format(**title_values)
        position = i / max(1, self.count - 1)
        published_at = START + (END - START) * position + datetime.timedelta(minutes=rng.randrange(0, 600))
        roll = rng.random()
        status = "published"
        if roll < 0.03:
            status, published_at = "draft", None
        elif roll < 0.05:
            status = "withdrawn"
        elif roll < 0.06:
            status, published_at = "scheduled", END + datetime.timedelta(days=3650 + i % 365)
        brief = Brief(
            title=title[:250],
            slug=f"{self.prefix}-{i}-{slugify(title)[:80]}".strip("-"),
            dek=f"{a.name} and {t.name}: a {sector} {deal_type.replace('_', ' ')} in {city}. {values['F1']}"[:400],
            body=template_markdown(template, values),
            status=status,
            published_at=published_at,
            deal_type=deal_type,
            announced_on=(published_at or START + (END - START) * position).date(),
            amount_disclosure=disclosure,
            amount=amount,
            amount_up_to=up_to,
            currency=currency,
            body_html=html,
            body_text=text,
            rendered_at=timezone.now(),
        )
        role_a, role_t = ROLES[deal_type]
        parties = [(a, role_a), (t, role_t), (rival, "competitor")]
        if "PS" in template.uses:
            parties.append((person, "mentioned"))
        targets = {"AS": a, "TS": t, "MS": rival, "PS": person, "S1": s1, "S2": s2, "Q1": quote}
        sources = [(s, n) for n, s in (("S1", s1), ("S2", s2)) if n in template.uses]
        numbers = {
            targets[MARKER.fullmatch(key).group(1)].key: number for key, number in template.citation_numbers.items()
        }
        annotations = []
        for span in template.annotations:
            start, end = shift(span.start), shift(span.end)
            prefix, exact, suffix = context(text, start, end)
            annotations.append(
                dict(
                    ordinal=span.ordinal,
                    kind=span.kind,
                    exact=exact,
                    prefix=prefix,
                    suffix=suffix,
                    start=start,
                    end=end,
                    citation_number=span.citation_number,
                    target_marker=None if span.kind == "note" else MARKER.fullmatch(span.key).group(1),
                )
            )
        return brief, {
            "parties": parties,
            "sources": [s for s, _ in sources],
            "numbers": numbers,
            "quotes": [quote] if "Q1" in template.uses else [],
            "note": "NOTE" in template.uses,
            "annotations": annotations,
            "targets": targets,
        }

    def run(self, progress=None):
        self.make_pools()
        made = 0
        for start in range(0, self.count, BATCH):
            with transaction.atomic():
                rows = [self.brief_rows(i) for i in range(start, min(self.count, start + BATCH))]
                briefs = Brief.objects.bulk_create([brief for brief, _ in rows])
                self._links(briefs, [links for _, links in rows])
            made += len(briefs)
            if progress:
                progress(len(briefs))
        return made

    def _links(self, briefs, all_links):
        party_rows, source_rows, quote_rows, notes = [], [], [], []
        for brief, links in zip(briefs, all_links, strict=False):
            for position, (party, role) in enumerate(links["parties"]):
                party_rows.append(BriefParty(brief=brief, party=party, role=role, position=position))
            for position, source in enumerate(links["sources"]):
                source_rows.append(
                    BriefSource(brief=brief, source=source, position=position, number=links["numbers"].get(source.key))
                )
            for position, quote in enumerate(links["quotes"]):
                quote_rows.append(BriefQuote(brief=brief, quote=quote, position=position))
            if links["note"]:
                notes.append(Note(brief=brief, key=NOTE_KEY, text="An editorial note on the context of this deal."))
        BriefParty.objects.bulk_create(party_rows, batch_size=BATCH)
        BriefSource.objects.bulk_create(source_rows, batch_size=BATCH)
        BriefQuote.objects.bulk_create(quote_rows, batch_size=BATCH)
        note_by_brief = {note.brief_id: note for note in Note.objects.bulk_create(notes, batch_size=BATCH)}
        annotations = []
        for brief, links in zip(briefs, all_links, strict=False):
            for span in links["annotations"]:
                target = note_by_brief[brief.pk] if span["kind"] == "note" else links["targets"][span["target_marker"]]
                annotations.append(
                    Annotation(
                        brief=brief,
                        ordinal=span["ordinal"],
                        kind=span["kind"],
                        citation_number=span["citation_number"],
                        exact=span["exact"],
                        prefix=span["prefix"],
                        suffix=span["suffix"],
                        start=span["start"],
                        end=span["end"],
                        **{span["kind"]: target},
                    )
                )
        Annotation.objects.bulk_create(annotations, batch_size=BATCH)


def template_markdown(template, values):
    """The brief's Markdown body: the template source with its values (what an editor would type)."""
    return template.source.format(**values, NOTE=NOTE_KEY)
