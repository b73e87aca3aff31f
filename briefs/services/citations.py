"""The citation check run before a brief is submitted for review.

Every figure in the body (money amounts as briefs.markup.money defines them, percentages) must sit
inside a source citation or an editorial note, and every quote the brief uses must name the source
it appeared in. Problems are listed with the text of the span and its line in the Markdown body.
The structured figures the brief shows (those of the deals it is about, in its fact box) must name
their source too; each one that does not is listed with its deal.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..deal_wording import figure_text
from ..markup import render_body
from ..markup.money import money_figures
from ..markup.references import line_of
from ..models import BriefDeal
from .rendering import linked_targets_for

_NUMBER = r"\d(?:[\d,]*\d)?(?:\.\d+)?"
PERCENT = re.compile(rf"\b{_NUMBER}\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
COVERING_KINDS = ("source", "note")


@dataclass(frozen=True)
class CitationProblem:
    text: str
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class FigureProblem:
    """A deal figure with no source; `field` is its path from the brief, e.g. deals[0].figures[1].source."""

    field: str
    message: str
    code = "figure_unsourced"

    def __str__(self):
        return self.message


class CitationsMissing(ValidationError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__([str(problem) for problem in problems], code="citations_missing")


def figures_in(text):
    """(start, end, exact) of every money amount and percentage in plain `text`, in order."""
    found = {}
    for figure in money_figures(text):
        found.setdefault(figure.start, (figure.start, figure.end, figure.text))
    for match in PERCENT.finditer(text):
        found.setdefault(match.start(), (match.start(), match.end(), match.group(0)))
    spans, last_end = [], -1
    for start, end, exact in sorted(found.values()):
        if start >= last_end:  # drop a match that overlaps the previous one
            spans.append((start, end, exact))
            last_end = end
    return spans


def citation_problems(body, linked, quotes=()):
    """Problems in `body` given the brief's linked targets; `quotes` are the linked Quote objects."""
    result = render_body(body, linked)
    covering = [(a.start, a.end) for a in result.annotations if a.kind in COVERING_KINDS]
    problems = []
    seen_in_text = {}
    for start, end, exact in figures_in(result.text):
        nth = seen_in_text.get(exact, 0)
        seen_in_text[exact] = nth + 1
        if any(a_start <= start and end <= a_end for a_start, a_end in covering):
            continue
        problems.append(
            CitationProblem(
                exact,
                _line_of_nth(body, exact, nth),
                f"the figure “{exact}” is not inside a source citation or a note — "
                f"write it as [{exact}](source:KEY) or [{exact}](note:KEY)",
            )
        )
    used = {a.key for a in result.annotations if a.kind == "quote"}
    for quote in quotes:
        if quote.source_id is None:
            where = "used" if quote.key in used else "linked"
            problems.append(
                CitationProblem(
                    quote.text,
                    line_of(body, f"quote:{quote.key}") if quote.key in used else 1,
                    f"quote:{quote.key} ({where} in this brief) has no source — give the quote its source",
                )
            )
    return sorted(problems, key=lambda problem: problem.line)


def check_citations(brief):
    """Raise CitationsMissing listing every uncited figure and unsourced quote of a saved brief."""
    quotes = [link.quote for link in brief.quote_links.select_related("quote")]
    problems = citation_problems(brief.body, linked_targets_for(brief), quotes) + figure_problems(brief)
    if problems:
        raise CitationsMissing(problems)


def figure_problems(brief):
    """The figures of the brief's deals that name no source, in the brief's order of deals."""
    links = BriefDeal.objects.filter(brief=brief).select_related("deal").prefetch_related("deal__figures")
    problems = []
    for i, link in enumerate(links.order_by("position", "pk")):
        for j, figure in enumerate(link.deal.figures.all()):
            if figure.source_id is None:
                problems.append(
                    FigureProblem(
                        f"deals[{i}].figures[{j}].source",
                        f"Deal “{link.deal}”: {figure_text(figure)} names no source — give the figure its "
                        "source in the deal",
                    )
                )
    return problems


def _line_of_nth(body, exact, nth):
    """Line of the nth occurrence of `exact` in the Markdown (best effort: markup may split it)."""
    index = -1
    for _ in range(nth + 1):
        found = body.find(exact, index + 1)
        if found < 0:
            break
        index = found
    if index < 0:
        digits = re.search(r"\d[\d,.]*", exact)
        index = body.find(digits.group(0)) if digits else -1
    return body.count("\n", 0, index) + 1 if index >= 0 else 1
