"""Deterministic synthetic briefs, fast: bulk inserts and markup rendered once per template.

Each body template is rendered once by the real renderer (briefs.markup.render_body) with marker
tokens in place of names, keys and sentences. A brief's stored HTML, plain text and annotations
are that render with the markers replaced and the annotation offsets shifted, which is exactly
what render_brief() stores for the brief (tests/test_synthetic.py checks it brief by brief).
Values are plain words and figures that Markdown and the sanitizer pass through unchanged. What
is written passes the product's text rule (briefs.text): the templates and the values substituted
into them before rendering (so the offsets hold), and every row before it is inserted.
"""

import bisect
import datetime
import itertools
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ..markup import LinkedTargets, render_body
from ..markup.plaintext import context
from ..models import (
    Annotation,
    Brief,
    BriefDeal,
    BriefParty,
    BriefQuote,
    BriefSource,
    Deal,
    DealFigure,
    DealParticipant,
    DealStage,
    Note,
    Party,
    Quote,
    Source,
)
from ..money import format_money
from ..services.deals import derive_deal
from ..services.page_parts import store_parts_in_bulk
from ..text import printable, printable_fields, printable_in
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
CURRENCY_WEIGHTS = {
    "USD": 48,
    "EUR": 14,
    "GBP": 9,
    "JPY": 5,
    "INR": 5,
    "KRW": 4,
    "SGD": 4,
    "CHF": 4,
    "CNY": 4,
    "CAD": 3,
}
# Amounts are drawn at a dollar-like scale and multiplied by this, so a yen or won deal is not a
# hundredth or a thousandth the size of a dollar one.
UNITS_PER_DOLLAR = {"JPY": 100, "INR": 50, "KRW": 1000, "CNY": 5}
SERIES_WEIGHTS = {"seed": 15, "series_a": 25, "series_b": 20, "series_c": 15, "series_d": 8, "growth": 7, "bridge": 3}
RUMOURED_TYPES = ("investment", "funding_round", "acquisition", "merger")
COMPLETING_TYPES = ("investment", "acquisition", "merger", "divestiture", "debt")
# A later brief about the same deal: its verb and title by the stage it reports.
FOLLOW_UP_VERBS = {
    "completed": "completed its deal with",
    "terminated": "called off its deal with",
    "withdrawn": "withdrew its offer for",
}
FOLLOW_UP_TITLES = {
    "completed": "{A} completes {AMT} deal for {T}",
    "terminated": "{A} and {T} call off their deal",
    "withdrawn": "{A} withdraws its offer for {T}",
}
RUMOUR_VERB = "is said to be in talks over a deal with"
RUMOUR_TITLE = "{A} said to be in talks over {T}"
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


@dataclass
class DealPlan:
    """A deal being generated: saved once no later brief will add a stage to it."""

    deal: Deal
    a: Party
    t: Party
    participants: list  # (party, role, extra fields)
    stages: list  # field dicts, in order
    figures: list  # field dicts; "stage" is an index into stages
    amount: Decimal | None = None
    up_to: Decimal | None = None
    briefs: list = field(default_factory=list)  # (Brief, index of the stage it reports)
    pending: int | None = None  # the brief number that will continue it
    outcome: str = ""


def _accepted(rows):
    return [printable_fields(row) for row in rows]


def _render_template(template):
    template = printable(template)
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
        self.orgs = Party.objects.bulk_create(_accepted(orgs), batch_size=BATCH)
        self.people = Party.objects.bulk_create(_accepted(people), batch_size=BATCH)
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
        self.sources = Source.objects.bulk_create(_accepted(sources), batch_size=BATCH)
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
        self.quotes = Quote.objects.bulk_create(_accepted(quotes), batch_size=BATCH)
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
        amount = (significant * Decimal(10) ** int(exponent) * UNITS_PER_DOLLAR.get(currency, 1)).quantize(Decimal("1"))
        up_to = None
        if rng.random() < 0.2:
            up_to = amount * rng.choice([2, 3, 4])
        return "disclosed", amount, up_to, currency

    def _sentence(self):
        rng = self.rng
        return f"{rng.choice(W.SUBJECTS)} {rng.choice(W.VERBS)} {rng.choice(W.OBJECTS)}, and {rng.choice(W.CLOSERS)}."

    def _draw_amount(self, currency):
        exponent = self.rng.uniform(6, 10.7)
        significant = Decimal(str(round(10 ** (exponent % 1), 2)))
        return (significant * Decimal(10) ** int(exponent) * UNITS_PER_DOLLAR.get(currency, 1)).quantize(Decimal("1"))

    def _currency(self):
        return self.rng.choices(list(CURRENCY_WEIGHTS), weights=list(CURRENCY_WEIGHTS.values()))[0]

    def _other_orgs(self, k, taken):
        chosen = []
        while len(chosen) < k:
            party = self.rng.choices(self.orgs, cum_weights=self.org_cum_weights)[0]
            if party not in chosen and party not in taken:
                chosen.append(party)
        return chosen

    def _publication(self, i):
        rng = self.rng
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
        # A draft or scheduled brief reports a deal of its place in time, not of its publication date.
        day = (published_at if status in ("published", "withdrawn") else START + (END - START) * position).date()
        return published_at, status, day

    # Deals -----------------------------------------------------------------------------------

    def _new_deal(self, i, deal_type, a, t, s1, s2, day):
        """A deal as its first brief reports it, with a later brief scheduled for some: a rumour
        that completes or dies, an agreed deal that completes (in a second tranche, if "up to")."""
        rng = self.rng
        disclosure, amount, up_to, currency = self._amount(deal_type)
        rumour = deal_type in RUMOURED_TYPES and rng.random() < 0.08
        status = "rumoured" if rumour else "announced"
        if deal_type == "funding_round" and not rumour and rng.random() < 0.7:
            status = "completed"
        series = rng.choices(list(SERIES_WEIGHTS), weights=list(SERIES_WEIGHTS.values()))[0]
        name = f"{a.name} and {t.name}: {deal_type.replace('_', ' ')}"
        deal = Deal(
            name=name[:200],
            slug=f"{self.prefix}-d{i}-{slugify(name)[:80]}".strip("-"),
            deal_type=deal_type,
            series=series if deal_type == "funding_round" else "",
            status=status,
            rumoured_on=day if rumour else None,
            announced_on=None if rumour else day,
            closed_on=day if status == "completed" else None,
            amount_disclosure="undisclosed" if rumour and amount is not None else disclosure,
            currency=currency,
            stake_description=rng.choice(["", "", "Minority stake", "Majority stake"])
            if deal_type == "investment"
            else "",
        )
        role_a, role_t = ROLES[deal_type]
        participants = [(a, role_a, {"is_lead": deal_type == "funding_round"}), (t, role_t, {})]
        if deal_type == "funding_round":
            participants += [(other, "investor", {}) for other in self._other_orgs(rng.randint(1, 4), (a, t))]
        basis, reporter = ("reported", rng.choice(W.PUBLISHERS)) if rumour else ("official", "")
        figures = []
        for kind, value in (("amount", amount), ("up_to", up_to)):
            if value is not None:
                figures.append(
                    dict(
                        stage=0,
                        kind=kind,
                        basis=basis,
                        amount=value,
                        currency=currency,
                        source=s1,
                        reported_by=reporter,
                    )
                )
        if disclosure == "undisclosed" and rng.random() < 0.6:
            reported_in = self._currency()
            figures.append(
                dict(
                    kind="amount",
                    basis="reported",
                    amount=self._draw_amount(reported_in),
                    currency=reported_in,
                    source=s2,
                    reported_by=rng.choice(W.PUBLISHERS),
                )
            )
        if deal_type == "funding_round" and amount is not None and rng.random() < 0.4:
            figures.append(
                dict(
                    kind="valuation_post",
                    basis=rng.choice(["official", "reported"]),
                    amount=amount * rng.randint(4, 12),
                    currency=currency,
                    source=s2,
                )
            )
        if deal_type in ("investment", "acquisition") and not rumour and rng.random() < 0.3:
            figures.append(dict(stage=0, kind="stake", percent=Decimal(rng.randint(5, 100)), source=s1))
        shown = format_money(up_to or amount, currency) if amount is not None else "an undisclosed sum"
        first = "reported talks" if rumour else ("raised" if status == "completed" else "agreed")
        stage = dict(
            occurred_on=day,
            status=status,
            description=f"{first}: {'up to ' if up_to else ''}{shown}",
            amount=amount,
            currency=currency if amount is not None else "",
        )
        plan = DealPlan(deal, a, t, participants, [stage], figures, amount=amount, up_to=up_to)
        outcome = ""
        if rumour:
            outcome = rng.choices(["completed", "terminated", "withdrawn"], weights=[6, 2, 2])[0]
        elif deal_type in COMPLETING_TYPES and rng.random() < 0.25:
            outcome = "completed"
        if outcome:
            later = i + rng.randint(3, 40)
            while later in self.follow_ups:
                later += 1
            if later < self.count:
                self.follow_ups[later] = plan
                plan.pending, plan.outcome = later, outcome
        self.open_plans.append(plan)
        return plan, f"{'up to ' if up_to else ''}{shown}"

    def _next_stage(self, plan, s1, day):
        """The stage a later brief reports: completion (a second tranche when the deal had an "up
        to"), or the end of a rumour."""
        deal, outcome, currency = plan.deal, plan.outcome, plan.deal.currency
        index, plan.pending = len(plan.stages), None
        shown = format_money(plan.amount, currency) if plan.amount is not None else "an undisclosed sum"
        stage = dict(occurred_on=day, status=outcome, description="", amount=None, currency="")
        if outcome == "completed":
            deal.status, deal.closed_on = "completed", day
            if deal.announced_on is None:
                deal.announced_on = day
            if deal.rumoured_on and plan.amount is not None:
                deal.amount_disclosure = "disclosed"
                plan.figures.append(
                    dict(stage=index, kind="amount", basis="official", amount=plan.amount, currency=currency, source=s1)
                )
            if plan.up_to is not None:
                tranche = plan.up_to - plan.amount
                shown = format_money(tranche, currency)
                stage.update(amount=tranche, currency=currency)
                stage["description"] = f"completed: a further {shown}, {format_money(plan.up_to, currency)} in all"
                for kind, value in (("amount", tranche), ("total_to_date", plan.up_to)):
                    plan.figures.append(
                        dict(stage=index, kind=kind, basis="official", amount=value, currency=currency, source=s1)
                    )
            else:
                stage["description"] = f"completed: {shown}"
        else:
            deal.status, deal.ended_on = outcome, day
            stage["description"] = "talks ended" if outcome == "terminated" else "offer withdrawn"
        plan.stages.append(stage)
        return shown

    # Briefs ----------------------------------------------------------------------------------

    def brief_rows(self, i):
        """(Brief, links) for brief number i: deterministic for (seed, i) given the pools and the
        briefs before it (a later brief of a deal continues the deal an earlier one began)."""
        rng = self.rng
        plan = self.follow_ups.pop(i, None)
        template = rng.choice(self.templates)
        if plan is None:
            deal_type = rng.choices(list(DEAL_WEIGHTS), weights=list(DEAL_WEIGHTS.values()))[0]
            a, t = self._pick_orgs(2)
        else:
            deal_type, a, t = plan.deal.deal_type, plan.a, plan.t
        (rival,) = self._other_orgs(1, (a, t))
        person = rng.choice(self.people)
        s1, s2 = rng.sample(self.sources, 2)
        quote = rng.choice(self.quotes)
        published_at, status, day = self._publication(i)
        if plan is None:
            plan, amount_text = self._new_deal(i, deal_type, a, t, s1, s2, day)
            verb = RUMOUR_VERB if plan.deal.status == "rumoured" else VERBS[deal_type]
            title_format = RUMOUR_TITLE if plan.deal.status == "rumoured" else TITLES[deal_type]
        else:
            amount_text = self._next_stage(plan, s1, day)
            verb, title_format = FOLLOW_UP_VERBS[plan.outcome], FOLLOW_UP_TITLES[plan.outcome]
        stage_index = len(plan.stages) - 1
        sector, city = rng.choice(W.SECTORS), rng.choice(W.CITIES)
        values = printable_in(
            {
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
                "VERB": verb,
                "CITY": city,
                "SECTOR": sector,
                "AMT": amount_text,
                "PTITLE": person.title,
                "F1": self._sentence(),
                "F2": self._sentence(),
                "F3": self._sentence(),
                "F4": self._sentence(),
            }
        )
        html, _ = _substitute(template.html, values)
        text, shift = _substitute(template.text, values)
        title = title_format.format(A=a.name, T=t.name, AMT=amount_text, SECTOR=sector)
        brief = Brief(
            title=title[:250],
            slug=f"{self.prefix}-{i}-{slugify(title)[:80]}".strip("-"),
            dek=f"{a.name} and {t.name}: a {sector} {deal_type.replace('_', ' ')} in {city}. {values['F1']}"[:400],
            body=template_markdown(template, values),
            status=status,
            published_at=published_at,
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
            "plan": plan,
            "stage": stage_index,
        }

    def run(self, progress=None, page_parts=True):
        """Generate the briefs in batches; with `page_parts`, each brief's stored page parts too, in
        the batch that saves its deals (its parts show them, and nothing it shows is written later)."""
        self.make_pools()
        self.follow_ups = {}  # brief number -> the DealPlan its brief continues
        self.open_plans = []
        made = 0
        for start in range(0, self.count, BATCH):
            with transaction.atomic():
                rows = [self.brief_rows(i) for i in range(start, min(self.count, start + BATCH))]
                briefs = Brief.objects.bulk_create(_accepted(brief for brief, _ in rows))
                self._links(briefs, [links for _, links in rows])
                for brief, (_, links) in zip(briefs, rows, strict=True):
                    links["plan"].briefs.append((brief, links["stage"]))
                finished = self._save_finished_deals()
                if page_parts:
                    store_parts_in_bulk([brief.pk for brief in finished])
            made += len(briefs)
            if progress:
                progress(len(briefs))
        return made

    def _save_finished_deals(self):
        """Save the deals no later brief will add to, with their rows and brief links, in bulk; the
        USD equivalents and headlines worked out first by the one rule (services.deals.derive_deal).
        Returns the briefs of those deals, which are now complete."""
        plans = [plan for plan in self.open_plans if plan.pending is None]
        self.open_plans = [plan for plan in self.open_plans if plan.pending is not None]
        if not plans:
            return []
        stages, participants, figures, links = [], [], [], []
        for plan in plans:
            plan.stage_rows = [DealStage(deal=plan.deal, position=k, **stage) for k, stage in enumerate(plan.stages)]
            people = [
                DealParticipant(deal=plan.deal, party=party, role=role, position=position, **extra)
                for position, (party, role, extra) in enumerate(plan.participants)
            ]
            numbers = []
            for position, figure in enumerate(plan.figures):
                values = {key: value for key, value in figure.items() if key != "stage"}
                stage = plan.stage_rows[figure["stage"]] if figure.get("stage") is not None else None
                numbers.append(DealFigure(deal=plan.deal, stage=stage, position=position, **values))
            derive_deal(plan.deal, plan.stage_rows, people, numbers)
            stages += plan.stage_rows
            participants += people
            figures += numbers
            for brief, stage_index in plan.briefs:
                links.append(BriefDeal(brief=brief, deal=plan.deal, stage=plan.stage_rows[stage_index], position=0))
        Deal.objects.bulk_create(_accepted(plan.deal for plan in plans), batch_size=BATCH)
        DealStage.objects.bulk_create(_accepted(stages), batch_size=BATCH)
        DealParticipant.objects.bulk_create(_accepted(participants), batch_size=BATCH)
        DealFigure.objects.bulk_create(_accepted(figures), batch_size=BATCH)
        BriefDeal.objects.bulk_create(_accepted(links), batch_size=BATCH)
        return [brief for plan in plans for brief, _ in plan.briefs]

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
        BriefParty.objects.bulk_create(_accepted(party_rows), batch_size=BATCH)
        BriefSource.objects.bulk_create(_accepted(source_rows), batch_size=BATCH)
        BriefQuote.objects.bulk_create(_accepted(quote_rows), batch_size=BATCH)
        note_by_brief = {note.brief_id: note for note in Note.objects.bulk_create(_accepted(notes), batch_size=BATCH)}
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
        Annotation.objects.bulk_create(_accepted(annotations), batch_size=BATCH)


def template_markdown(template, values):
    """The brief's Markdown body: the template source with its values (what an editor would type)."""
    return template.source.format(**values, NOTE=NOTE_KEY)
