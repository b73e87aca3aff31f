"""The reader's query language, parsed once and compiled for each engine.

    anthropic amazon        every word must match (English stemming: "investing" finds "invests")
    "minority stake"        exact phrase
    -microsoft              exclude
    amazon OR google        either (binds tighter than the implicit AND)
    anthro*                 prefix
    $4 billion / 4bn        an amount, in any of its usual spellings (see search.money)

Anything else is treated as plain text: engine operators (FTS5 ``NEAR``, ``^``, ``:``, tsquery
``&|!<->``), unbalanced quotes, NUL bytes and control characters never reach the engine. Words are
the runs of letters and digits, exactly what both engines index, and are passed as quoted literals
or bound parameters, so parsing cannot fail and compiled queries are always valid.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from briefs.markup.money import money_figures

MAX_QUERY_LENGTH = 200  # characters kept from the reader's input
MAX_TERMS = 12  # terms kept, across all clauses

_WORD = re.compile(r"[^\W_]+")
_CONTROL = dict.fromkeys(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
_CONTROL[0x7F] = None


@dataclass(frozen=True)
class Term:
    kind: str  # "word", "prefix", "phrase", "money"
    words: tuple = ()  # lower-cased words (one for word/prefix)
    amount: int | None = None

    def display(self):
        if self.kind == "phrase":
            return '"' + " ".join(self.words) + '"'
        if self.kind == "prefix":
            return self.words[0] + "*"
        if self.kind == "money":
            return f"amount {self.amount:,}"
        return self.words[0]


@dataclass(frozen=True)
class Clause:
    """Terms joined by OR; a negated clause excludes what it matches."""

    terms: tuple
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    raw: str  # the cleaned, length-capped text
    clauses: tuple = ()
    truncated: bool = False
    notes: tuple = field(default_factory=tuple)

    @property
    def positive(self):
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self):
        return [c for c in self.clauses if c.negated]

    @property
    def is_empty(self):
        return not self.clauses

    @property
    def searchable(self):
        """At least one clause that can match (exclusions alone cannot)."""
        return bool(self.positive)

    @property
    def money_amounts(self):
        return {t.amount for c in self.positive for t in c.terms if t.kind == "money"}

    @property
    def plain_words(self):
        """Words of single-word, non-negated terms: candidates for "did you mean"."""
        return [t.words[0] for c in self.positive for t in c.terms if t.kind == "word"]


def clean(text):
    """NFKC-normalised text without control characters, capped in length."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = text.translate(_CONTROL)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cs", "Co", "Cn"))
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH], truncated


_TOKEN = re.compile(
    r"""
      (?P<neg>-)?"(?P<phrase>[^"]*)(?:"|$)          # "a phrase" (an unclosed quote runs to the end)
    | (?P<or>\bOR\b|\|)                             # OR
    | (?P<neg2>(?<![^\s(])-)?(?P<chunk>[^\s"|]+)    # a word, a prefix, an amount or punctuation
    """,
    re.VERBOSE,
)


def parse(text):
    raw, truncated = clean(text)
    notes = []
    if truncated:
        notes.append(f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters.")
    # Amounts first: "$4 billion" spans a space, so it is lifted out before splitting.
    pieces = []
    position = 0
    for figure in money_figures(raw):
        if figure.amount is None:
            continue
        start = figure.start
        negated = start > 0 and raw[start - 1] == "-" and (start == 1 or raw[start - 2].isspace())
        pieces.append(("text", raw[position : start - 1 if negated else start]))
        pieces.append(("money", figure.amount, negated))
        position = figure.end
    pieces.append(("text", raw[position:]))

    items = []  # Term, "OR", or (Term, negated)
    for piece in pieces:
        if piece[0] == "money":
            items.append((Term("money", amount=piece[1]), piece[2]))
            continue
        for match in _TOKEN.finditer(piece[1]):
            if match.group("or"):
                items.append("OR")
            elif match.group("phrase") is not None:
                words = tuple(w.lower() for w in _WORD.findall(match.group("phrase")))
                if words:
                    term = Term("phrase", words) if len(words) > 1 else Term("word", words)
                    items.append((term, bool(match.group("neg"))))
            else:
                chunk = match.group("chunk")
                words = tuple(w.lower() for w in _WORD.findall(chunk))
                if not words:
                    continue
                negated = bool(match.group("neg2"))
                if len(words) == 1:
                    kind = "prefix" if chunk.rstrip(")").endswith("*") and len(words[0]) >= 2 else "word"
                    items.append((Term(kind, words), negated))
                else:  # "Claude-Next", "AT&T", "e.g.": the words in that order
                    items.append((Term("phrase", words), negated))

    clauses = []
    pending_or = False
    kept = 0
    for item in items:
        if item == "OR":
            pending_or = bool(clauses)
            continue
        term, negated = item
        if kept >= MAX_TERMS:
            if not any("terms" in n for n in notes):
                notes.append(f"Only the first {MAX_TERMS} terms were used.")
            break
        kept += 1
        if pending_or and clauses and clauses[-1].negated == negated:
            previous = clauses.pop()
            clauses.append(Clause(previous.terms + (term,), negated))
        else:
            clauses.append(Clause((term,), negated))
        pending_or = False
    # Drop repeated clauses, keep order.
    unique = list(dict.fromkeys(clauses))
    return ParsedQuery(raw=raw, clauses=tuple(unique), truncated=truncated, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------
# SQLite FTS5


def _fts_term(term):
    if term.kind == "money":
        return f'"amount{term.amount}"'
    if term.kind == "phrase":
        return '"' + " ".join(term.words) + '"'
    if term.kind == "prefix":
        return f'"{term.words[0]}" *'
    return f'"{term.words[0]}"'


def _fts_clause(clause):
    parts = [_fts_term(t) for t in clause.terms]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def to_fts5(parsed, filter_tokens=()):
    """An FTS5 MATCH expression; every token is a quoted literal of letters and digits.
    `filter_tokens` (search.facets) are ANDed in."""
    parts = [_fts_clause(c) for c in parsed.positive] + [f'"{token}"' for token in filter_tokens]
    if not parts:
        return ""
    expression = f"({' AND '.join(parts)})" if len(parts) > 1 else parts[0]
    for clause in parsed.negative:
        expression = f"({expression} NOT {_fts_clause(clause)})"
    return expression


# ---------------------------------------------------------------------------------------------
# PostgreSQL: one tsquery built from websearch_to_tsquery (words, phrases), to_tsquery for
# prefixes (letters and digits only, then ":*") and the 'simple' config for amount tokens.


def _pg_term(term):
    if term.kind == "money":
        return "to_tsquery('simple', %s)", [f"amount{term.amount}"]
    if term.kind == "prefix":
        return "to_tsquery('english', %s)", [f"{term.words[0]}:*"]
    if term.kind == "phrase":
        return "websearch_to_tsquery('english', %s)", ['"' + " ".join(term.words) + '"']
    return "websearch_to_tsquery('english', %s)", [term.words[0]]


def _pg_clause(clause):
    sqls, params = [], []
    for term in clause.terms:
        sql, p = _pg_term(term)
        sqls.append(sql)
        params += p
    return ("(" + " || ".join(sqls) + ")" if len(sqls) > 1 else sqls[0]), params


def to_tsquery_sql(parsed, filter_tokens=()):
    """(SQL expression of type tsquery, params), or ("", []) when nothing can match.
    `filter_tokens` (search.facets) are ANDed in."""
    sqls, params = [], []
    for clause in parsed.positive:
        sql, p = _pg_clause(clause)
        sqls.append(sql)
        params += p
    for token in filter_tokens:
        sqls.append("to_tsquery('simple', %s)")
        params.append(token)
    if not sqls:
        return "", []
    for clause in parsed.negative:
        sql, p = _pg_clause(clause)
        sqls.append(f"!!({sql})")
        params += p
    return "(" + " && ".join(sqls) + ")", params
