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


def describe(characters):
    """'U+000B (vertical tab), U+0000' — how an error names what was removed."""
    names = {"\x0b": "vertical tab", "\x0c": "form feed", "\x00": "NUL", "\x08": "backspace", "\x1b": "escape"}
    seen = []
    for character in characters:
        label = f"U+{ord(character):04X}" + (f" ({names[character]})" if character in names else "")
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)
