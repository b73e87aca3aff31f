import re
from dataclasses import dataclass

SCHEMES = ("party", "source", "quote", "note", "correction")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SCHEME = re.compile(r"^\s*(party|source|quote|note|correction):(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    kind: str
    key: str

    def __str__(self):
        return f"{self.kind}:{self.key}"


class MalformedReference(ValueError):
    pass


def parse_reference(href):
    """Reference for an annotation href, None for any other link, MalformedReference if broken."""
    match = _SCHEME.match(href or "")
    if not match:
        return None
    kind, key = match.group(1).lower(), match.group(2).strip()
    if not _KEY.match(key):
        raise MalformedReference(f"{kind}:{key}")
    return Reference(kind, key)


def line_of(text, needle):
    """1-based line of the first place `needle` appears as a link target in `text` (1 if absent)."""
    for pattern in (f"({needle})", f"({needle} ", f"({needle}\t", f"]: {needle}", needle):
        index = text.find(pattern)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    lowered = text.lower().find(needle.lower())
    return text.count("\n", 0, lowered) + 1 if lowered >= 0 else 1
