"""Short labels for records in lists and lookups: long text cut at a word boundary, with an ellipsis."""

ELLIPSIS = "…"


def shorten(text, limit):
    """`text` on one line in at most `limit` characters, ellipsis included, never cutting a word
    (only a single word longer than the limit is cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[: room + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut[:room]
    return head[:room].rstrip(" ,;:.-–—") + ELLIPSIS
