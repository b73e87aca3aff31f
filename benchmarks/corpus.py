"""A small, fast, deterministic corpus of synthetic briefs for the page benchmark.

Used only when the project has no `generate_briefs` command (it arrives with the search work). Each
brief's body goes through the real renderer (render_body: Markdown, annotation markup, sanitizer),
and everything is written with bulk inserts.
"""
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from briefs.markup import render_body
from briefs.models import Annotation, Brief, BriefParty, BriefQuote, BriefSource, Note, Party, Quote, Source
from briefs.services.rendering import linked_targets_from

WORDS = ("Northwind Harbor Quanta Lumen Vertex Cobalt Meridian Atlas Juniper Solace Keystone Halcyon "
         "Sable Orion Tessera Beacon Ardent Crescent Pinnacle Tidewater Granite Aurora Everly Fathom").split()
SUFFIXES = ("Capital", "Partners", "Robotics", "Health", "Energy", "Labs", "Systems", "Bio", "Analytics", "Holdings")
TEMPLATES = (
    "[{p0}](party:{s0}) agreed to invest [{amount}](source:{k0}) in [{p1}](party:{s1}), people familiar with "
    "the deal said.\n\nThe round values the company at about [{valuation}](source:{k1}). "
    "[“{q0}”](quote:{c0}) [Context](note:ctx)\n\n## Why it matters\n\n[{p1}](party:{s1}) will use the money to "
    "expand its {topic} business, competing with [{p2}](party:{s2}).",
    "[{p0}](party:{s0}) will acquire [{p1}](party:{s1}) for [{amount}](source:{k0}), according to "
    "[a filing](source:{k1}).\n\n[“{q0}”](quote:{c0})\n\nAnalysts see the {topic} market consolidating; "
    "[{p2}](party:{s2}) was also said to be interested. [Background](note:ctx)",
)
TOPICS = ("cloud", "battery", "payments", "logistics", "genomics", "chip design", "satellite", "insurance")


def generate(count, seed=7, batch=500, progress=None):
    rng = random.Random(seed)
    people, organisations = [], []
    for n in range(400):
        name = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES)} {n}"
        organisations.append(Party(name=name, slug=f"bench-org-{n}", kind="organisation",
                                   description=f"{name} is a company in the benchmark corpus."))
    for n in range(120):
        people.append(Party(name=f"Alex {rng.choice(WORDS)} {n}", slug=f"bench-person-{n}", kind="person",
                            title="chief executive"))
    Party.objects.bulk_create(organisations + people)
    organisations = list(Party.objects.filter(slug__startswith="bench-org-"))
    people = list(Party.objects.filter(slug__startswith="bench-person-"))
    sources = Source.objects.bulk_create(
        Source(key=f"bench-src-{n}", title=f"{rng.choice(WORDS)} report number {n}", publisher="Benchmark Wire",
               url=f"https://news.example.com/{n}", published_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=n % 700))
        for n in range(600)
    )
    sources = list(Source.objects.filter(key__startswith="bench-src-"))
    quotes = Quote.objects.bulk_create(
        Quote(key=f"bench-quote-{n}", text=f"We are excited about what comes next, number {n}.",
              speaker=people[n % len(people)], source=sources[n % len(sources)], speaker_role="chief executive")
        for n in range(400)
    )
    quotes = list(Quote.objects.filter(key__startswith="bench-quote-"))
    now = timezone.now()
    made = 0
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            specs, briefs = [], []
            for i in range(made, made + size):
                p0, p1, p2 = rng.sample(organisations, 3)
                k0, k1 = rng.sample(sources, 2)
                quote = rng.choice(quotes)
                amount = Decimal(rng.choice((5, 12, 40, 150, 600, 2500))) * Decimal(10) ** 6
                body = rng.choice(TEMPLATES).format(
                    p0=p0.name, s0=p0.slug, p1=p1.name, s1=p1.slug, p2=p2.name, s2=p2.slug, k0=k0.key, k1=k1.key,
                    c0=quote.key, q0=quote.text, amount=f"${amount / 10**6:,.0f} million",
                    valuation=f"${amount * 5 / 10**6:,.0f} million", topic=rng.choice(TOPICS),
                )
                linked = linked_targets_from(
                    {p.slug: p.get_absolute_url() for p in (p0, p1, p2)}, [k0.key, k1.key], [quote.key], ["ctx"]
                )
                result = render_body(body, linked)
                assert result.ok, result.errors
                published = now - datetime.timedelta(minutes=17 * i + 60)
                briefs.append(Brief(
                    title=f"{p0.name} {'backs' if 'invest' in body else 'buys'} {p1.name}", slug=f"bench-{seed}-{i}",
                    dek=f"A {amount / 10**6:,.0f} million deal in {rng.choice(TOPICS)}.", body=body,
                    status="published", published_at=published, announced_on=published.date(),
                    deal_type="investment" if "invest" in body else "acquisition", amount=amount, currency="USD",
                    body_html=result.html, body_text=result.text, rendered_at=now,
                ))
                specs.append((result, (p0, p1, p2), (k0, k1), quote))
            briefs = Brief.objects.bulk_create(briefs)
            links, source_links, quote_links, notes = [], [], [], []
            for brief, (result, parties, cited, quote) in zip(briefs, specs):
                roles = ("investor", "target", "competitor") if brief.deal_type == "investment" else ("acquirer", "target", "mentioned")
                links += [BriefParty(brief=brief, party=p, role=r, position=n) for n, (p, r) in enumerate(zip(parties, roles))]
                source_links += [BriefSource(brief=brief, source=s, position=n, number=result.citation_numbers.get(s.key, n + 1))
                                 for n, s in enumerate(cited)]
                quote_links.append(BriefQuote(brief=brief, quote=quote, position=0))
                notes.append(Note(brief=brief, key="ctx", text="Figures are as reported; neither company commented."))
            BriefParty.objects.bulk_create(links)
            BriefSource.objects.bulk_create(source_links)
            BriefQuote.objects.bulk_create(quote_links)
            notes = Note.objects.bulk_create(notes)
            annotations = []
            for brief, note, (result, parties, cited, quote) in zip(briefs, notes, specs):
                targets = {("party", p.slug): p for p in parties} | {("source", s.key): s for s in cited}
                targets |= {("quote", quote.key): quote, ("note", "ctx"): note}
                for span in result.annotations:
                    annotations.append(Annotation(
                        brief=brief, ordinal=span.ordinal, kind=span.kind, exact=span.exact, prefix=span.prefix,
                        suffix=span.suffix, start=span.start, end=span.end, citation_number=span.citation_number,
                        **{span.kind: targets[(span.kind, span.key)]},
                    ))
            Annotation.objects.bulk_create(annotations)
        made += size
        if progress:
            progress(size)
    return made
