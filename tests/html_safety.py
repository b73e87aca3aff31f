"""Checks that a piece of HTML cannot run script: parsed, not pattern-matched, so escaped text is fine."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "form",
    "input",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "applet",
    "img",
    "video",
    "audio",
    "source",
    "textarea",
    "button",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Collector(HTMLParser):
    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_parts(html, allowed_tags=()):
    collector = _Collector(set(allowed_tags))
    collector.feed(html)
    collector.close()
    return collector.problems


def assert_no_executable_html(html, allowed_tags=()):
    problems = executable_parts(html, allowed_tags)
    assert not problems, f"executable HTML survived: {problems}"
