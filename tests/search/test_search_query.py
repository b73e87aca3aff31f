"""The query parser and its compilers: pure functions, no database."""

import pytest

from search.money import amounts_in, money_tokens
from search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse, to_fts5, to_tsquery_sql


def test_words_phrases_exclusions_or_and_prefixes():
    parsed = parse('Amazon "minority  stake" -Microsoft google OR meta anthro*')
    assert to_fts5(parsed) == (
        '(("amazon" AND "minority stake" AND ("google" OR "meta") AND "anthro" *) NOT "microsoft")'
    )
    sql, params = to_tsquery_sql(parsed)
    assert params == ["amazon", '"minority stake"', "google", "meta", "anthro:*", "microsoft"]
    assert sql.count("%s") == len(params) and "!!(websearch_to_tsquery" in sql


@pytest.mark.parametrize(
    "text, amount",
    [
        ("$4 billion", 4_000_000_000),
        ("4bn", 4_000_000_000),
        ("$4B", 4_000_000_000),
        ("US$4,000,000,000", 4_000_000_000),
        ("€450m", 450_000_000),
        ("£1.25 billion", 1_250_000_000),
        ("CHF 12.5 million", 12_500_000),
        ("2 trillion", 2 * 10**12),
    ],
)
def test_amounts_are_recognised_in_every_usual_spelling(text, amount):
    assert amounts_in(f"It paid {text} for it.") == [amount]
    assert parse(text).money_amounts == {amount}


def test_plain_numbers_are_not_money():
    assert amounts_in("In 2023 it hired 40 staff in 3 cities, Series B.") == []
    assert parse("2023").clauses[0].terms[0].kind == "word"
    assert money_tokens(["up to $4 billion, $4bn"], [None]) == "amount4000000000"


@pytest.mark.parametrize(
    "text", ["NEAR(a b)", "title:x", "{a b}: c", "^x", "a + b", '"', "x AND (y OR", "\x00", "%'--"]
)
def test_engine_syntax_is_only_ever_text(text):
    fts = to_fts5(parse(text))
    assert all(ch.isalnum() or ch in ' "()*' for ch in fts.replace("AND", "").replace("OR", "").replace("NOT", ""))


def test_long_input_is_capped_and_said_so():
    parsed = parse("word " * 5000)
    assert len(parsed.raw) <= MAX_QUERY_LENGTH and parsed.truncated and parsed.notes
    many = parse(" ".join(f"w{n}" for n in range(50)))
    assert sum(len(c.terms) for c in many.clauses) == MAX_TERMS


def test_unbalanced_quote_runs_to_the_end_and_hyphenated_words_are_phrases():
    assert to_fts5(parse('"up to')) == '"up to"'
    assert to_fts5(parse("Claude-Next")) == '"claude next"'


def test_exclusions_alone_are_not_searchable():
    parsed = parse("-amazon -google")
    assert not parsed.searchable and to_fts5(parsed) == "" and to_tsquery_sql(parsed) == ("", [])
