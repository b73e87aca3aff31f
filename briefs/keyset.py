"""Keyset (cursor) paging: the one way deep lists page, whatever serves them (the API's lists, sync).

A page is the rows after (or before) the last row the reader saw, in the queryset's own order, so
its cost is one index range however deep it is, and a row inserted or deleted between two fetches
neither repeats nor skips another (an OFFSET shifts). The order must end in the primary key, which
makes every position unique; the ordering may name fields, aliases or annotations, ascending or
descending, with NULLs first or last (explicitly, or where the database puts them). A column that
cannot hold NULL in the rows paged (a NOT NULL field, or one the queryset's own filter compares, as
the visibility rule does `published_at`) gets no NULL terms in the boundary: an ``OR ... IS NULL``
there hides the index range from SQLite's planner, and a deep page then reads every row before it.

The cursor is opaque to readers: URL-safe base64 of the boundary row's key values, which way to go,
and a digest of the ordering, so a cursor made for one ordering is refused for another.
"""

import base64
import binascii
import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, Lookup, OrderBy, Q
from django.db.models.expressions import Col
from django.db.models.sql.where import AND, WhereNode


class InvalidCursor(ValueError):
    """A cursor this ordering did not make (tampered, truncated, or from another ordering)."""


@dataclass(frozen=True)
class Key:
    name: str
    descending: bool
    nulls_last: bool
    nullable: bool = True

    def order(self, nulls_largest):
        """As an order_by() term; NULLs placed explicitly only where the database would not put them
        there (an explicit NULLS LAST can keep SQLite from reading the order off an index)."""
        if self.name == "pk" or self.nulls_last == (self.descending != nulls_largest):
            return f"{'-' if self.descending else ''}{self.name}"
        expression = F(self.name)
        method = expression.desc if self.descending else expression.asc
        return method(nulls_last=True) if self.nulls_last else method(nulls_first=True)

    def reversed(self):
        return Key(self.name, not self.descending, not self.nulls_last, self.nullable)


@dataclass
class Page:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def keys_of(queryset):
    """The queryset's ordering as Keys, ending in the primary key (added, descending, if absent)."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    keys = []
    for item in ordering:
        if isinstance(item, str):
            descending = item.startswith("-")
            name = item.lstrip("-")
            nulls_last = descending != nulls_largest
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
            default = descending != nulls_largest
            nulls_last = True if item.nulls_last else False if item.nulls_first else default
        else:
            raise TypeError(f"keyset paging orders by named fields only, not {item!r}")
        if name in ("pk", "id", queryset.model._meta.pk.name):
            keys.append(Key("pk", descending, True, False))
            return keys
        keys.append(Key(name, descending, nulls_last, _may_be_null(queryset, name)))
    return [*keys, Key("pk", True, True, False)]


# Lookups that are never true of NULL: a filter made of them rules NULL out of the rows.
NULL_FREE_LOOKUPS = {"exact", "iexact", "lt", "lte", "gt", "gte", "in", "range"}


def _may_be_null(queryset, name):
    """Whether rows of `queryset` may hold NULL in field `name`: not for a NOT NULL field, nor for one
    a condition ANDed into the queryset's filter compares with a value (``published_at <= now``)."""
    try:
        field = queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        return True  # an annotation: nothing says what it holds
    if not field.null:
        return False
    base_table = next(iter(queryset.query.alias_map), None)
    for condition in _conjuncts(queryset.query.where):
        if not (isinstance(condition, Lookup) and isinstance(condition.lhs, Col)):
            continue
        if condition.lhs.alias != base_table or condition.lhs.target is not field:
            continue
        if condition.lookup_name == "isnull" and condition.rhs is False:
            return False
        if condition.lookup_name in NULL_FREE_LOOKUPS and condition.rhs is not None:
            return False
    return True


def _conjuncts(node):
    """The conditions a WHERE tree ANDs together at its top (through nested AND nodes, not ORs or NOTs)."""
    if node.negated or node.connector != AND:
        return
    for child in node.children:
        if isinstance(child, WhereNode):
            yield from _conjuncts(child)
        else:
            yield child


def _boundary_names(keys):
    return {key.name: f"_keyset_{index}" for index, key in enumerate(keys) if key.name != "pk"}


def _after(keys, values, names):
    """Rows strictly after the boundary row in the order of `keys`."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        column = names.get(key.name, "pk")
        if value is None:
            beyond = None if key.nulls_last else Q(**{f"{column}__isnull": False})
            same = Q(**{f"{column}__isnull": True})
        else:
            beyond = Q(**{f"{column}__{'lt' if key.descending else 'gt'}": value})
            if key.nulls_last and key.nullable:
                beyond |= Q(**{f"{column}__isnull": True})
            same = Q(**{column: value})
        if beyond is not None:
            condition |= equal & beyond
        equal &= same
    first, value = keys[0], values[0]
    if value is not None and not (first.nullable and first.nulls_last):
        # The same rows, with the first key's bound also as a term of its own: an index range the
        # planner can see, where the ORs above only filter.
        column = names.get(first.name, "pk")
        condition = Q(**{f"{column}__{'lte' if first.descending else 'gte'}": value}) & condition
    return condition


def page(queryset, *, size, cursor=None, offset=0):
    """One page of `queryset` in its order: the first (from `offset`, for the cheap first pages a
    list may still number), or the one a cursor from an earlier page points to."""
    keys = keys_of(queryset)
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    names = _boundary_names(keys)
    signature = _signature(keys)
    base = queryset.annotate(**{alias: F(name) for name, alias in names.items()}) if names else queryset
    if cursor is None:
        rows = list(base.order_by(*(key.order(nulls_largest) for key in keys))[offset : offset + size + 1])
        more, rows = len(rows) > size, rows[:size]
        return Page(
            rows,
            _make(keys, names, rows[-1], "next", signature) if more else None,
            _make(keys, names, rows[0], "previous", signature) if rows and offset else None,
        )
    values, direction = _read(cursor, keys, signature)
    walk = keys if direction == "next" else [key.reversed() for key in keys]
    rows = list(
        _filtered_first(base, _after(walk, values, names)).order_by(*(key.order(nulls_largest) for key in walk))[
            : size + 1
        ]
    )
    more, rows = len(rows) > size, rows[:size]
    if direction == "previous":
        rows.reverse()
        following = _make(keys, names, rows[-1], "next", signature) if rows else None
        preceding = _make(keys, names, rows[0], "previous", signature) if more else None
        return Page(rows, following, preceding)
    preceding = _make(keys, names, rows[0], "previous", signature) if rows else None
    return Page(rows, _make(keys, names, rows[-1], "next", signature) if more else None, preceding)


def _filtered_first(queryset, condition):
    """`queryset` filtered by `condition`, which comes first in the WHERE clause. Given two bounds on
    one indexed column as parameters (the visibility rule's `published_at <= now` and a page's
    boundary), SQLite cannot tell which is the tighter and ranges over the first it reads: with the
    boundary first, a deep page is one index seek rather than a walk down from now. PostgreSQL
    keeps the tighter bound whatever the order."""
    filtered = queryset.filter(condition)
    before, where = queryset.query.where, filtered.query.where
    if before.connector == where.connector == AND and not (before.negated or where.negated):
        added = len(where.children) - len(before.children)
        if added > 0:
            where.children[:] = where.children[-added:] + where.children[:-added]
    return filtered


def _signature(keys):
    text = ",".join(f"{'-' if key.descending else ''}{key.name}{'' if key.nulls_last else '^'}" for key in keys)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _make(keys, names, row, direction, signature):
    values = [row.pk if key.name == "pk" else getattr(row, names[key.name]) for key in keys]
    payload = {"o": signature, "d": direction, "v": [_encode(value) for value in values]}
    text = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read(cursor, keys, signature):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        payload = json.loads(text)
        values = [_decode(value) for value in payload["v"]]
        direction = payload["d"]
        matches = payload["o"] == signature and direction in ("next", "previous") and len(values) == len(keys)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, InvalidOperation):
        matches = False
    if not matches or values[-1] is None:
        raise InvalidCursor("This cursor was not made for this list and ordering: start from the first page.")
    return values, direction


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, float):
        return {"n": repr(value)}
    if value is None or isinstance(value, int | str):
        return value
    raise TypeError(f"keyset paging cannot carry {type(value).__name__} values")


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), *_ = value.items()
        if not isinstance(text, str) or len(text) > 64:
            raise ValueError("bad cursor value")
        if tag == "t":
            return datetime.datetime.fromisoformat(text)
        if tag == "d":
            return datetime.date.fromisoformat(text)
        if tag == "n" and Decimal(text).is_finite():
            return Decimal(text)
    if value is None or isinstance(value, int | str) and not isinstance(value, bool):
        if isinstance(value, str) and len(value) > 1000:
            raise ValueError("bad cursor value")
        return value
    raise ValueError("bad cursor value")
