"""One money recogniser: what search indexes as an amount, the citation check requires to be cited."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.markup.money import money_figures
from briefs.services import workflow
from briefs.services.citations import CitationsMissing
from search.money import amounts_in
from search.query import parse

from .factories import make_brief
from .workflow_helpers import make_user

FIGURES = {
    "SGD 40 million": 40_000_000,
    "KRW 3 trillion": 3 * 10**12,
    "€450 million": 450_000_000,
    "$1.25 billion": 1_250_000_000,
    "CHF 12,500": 12_500,
}


@pytest.mark.django_db
def test_an_uncited_figure_in_any_currency_blocks_submission_with_its_line():
    lines = [f"Line {n} paid {figure} for it." for n, figure in enumerate(FIGURES, start=1)]
    brief = make_brief("\n\n".join(lines), published=False)
    with pytest.raises(CitationsMissing) as refused:
        workflow.submit(brief, make_user("Writer"))
    problems = refused.value.problems
    assert [(p.text, p.line) for p in problems] == [(figure, 2 * n - 1) for n, figure in enumerate(FIGURES, start=1)]
    brief.refresh_from_db()
    assert brief.status == "draft"


@pytest.mark.parametrize("figure, amount", FIGURES.items())
def test_search_recognises_the_same_figures(figure, amount):
    assert amounts_in(f"It paid {figure} for it.") == [amount]
    assert parse(figure).money_amounts == {amount}


def test_currency_written_after_the_number_is_money_to_search_too():
    assert amounts_in("about 4 billion dollars and 1,250,000 USD") == [4_000_000_000, 1_250_000]


@given(st.text())
def test_any_text_gives_figures_that_are_its_own_substrings(text):
    last_end = 0
    for figure in money_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert last_end <= figure.start < figure.end
        last_end = figure.end


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30)


@given(words, st.sampled_from(sorted(FIGURES)), words)
def test_a_figure_between_arbitrary_words_is_found(before, figure, after):
    text = f"{before} {figure} {after}"
    found = {f.start: f for f in money_figures(text)}
    at = found[len(before) + 1]  # a currency word in `after` may extend it: "$1.25 billion usd"
    assert at.text.startswith(figure) and at.amount == FIGURES[figure]
