"""What text the product accepts: any Unicode except characters no output can carry.

Removed at every input (admin, API, loaders): C0 and C1 control characters other than tab, line
feed and carriage return (XML 1.0, hence every feed and sitemap, cannot carry them; a vertical tab
pasted from a word processor is the usual one), lone surrogates (not encodable as UTF-8), and the
Unicode non-characters U+FFFE and U+FFFF (not allowed in XML either). Outputs that must not fail on
text stored before this rule or written around it (raw SQL) pass it through ``printable`` too.
"""

import re

# C0 controls but \t \n \r; DEL and the C1 block; UTF-16 surrogates; U+FFFE, U+FFFF.
_UNACCEPTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def unaccepted(value):
    """The characters of `value` that the product does not accept, in order of appearance."""
    return _UNACCEPTED.findall(value) if isinstance(value, str) else []


def printable(value):
    """`value` without the characters the product does not accept (non-strings unchanged)."""
    return _UNACCEPTED.sub("", value) if isinstance(value, str) else value


def printable_in(value):
    """`value` with `printable` applied to every string in it, through lists, tuples and dicts
    (keys included): how a loader cleans the values it is about to write."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return type(value)(printable_in(item) for item in value)
    if isinstance(value, dict):
        return {printable_in(key): printable_in(item) for key, item in value.items()}
    return value


def printable_fields(instance):
    """Clean every text value of a model instance in place (for rows written in bulk); returns it."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        cleaned = printable_in(value)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
    return instance


_NAMES = {"\x0b": "vertical tab", "\x0c": "form feed", "\x00": "NUL", "\x08": "backspace", "\x1b": "escape"}


def _kind(character):
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return "lone surrogate"
    if code in (0xFFFE, 0xFFFF):
        return "non-character"
    return "control character"


def summarise(characters):
    """'2 control characters (vertical tab) and 1 lone surrogate (U+D800)': how an editor is told
    what was removed, counted by kind, each kind naming its characters once."""
    kinds = {}
    for character in characters:
        kinds.setdefault(_kind(character), []).append(character)
    parts = []
    for kind, found in kinds.items():
        names = []
        for character in found:
            name = _NAMES.get(character, f"U+{ord(character):04X}")
            if name not in names:
                names.append(name)
        plural = "" if len(found) == 1 else "s"
        parts.append(f"{len(found)} {kind}{plural} ({', '.join(names)})")
    return " and ".join(parts)


def describe(characters):
    """'U+000B (vertical tab), U+0000' — how an error names what was removed."""
    seen = []
    for character in characters:
        label = f"U+{ord(character):04X}" + (f" ({_NAMES[character]})" if character in _NAMES else "")
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)
