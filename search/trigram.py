"""Trigram similarity as pg_trgm computes it, so both engines rank suggestions the same way."""

import re

_WORD = re.compile(r"[^\W_]+")


def trigrams(text):
    grams = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a, b):
    left, right = trigrams(a), trigrams(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0
