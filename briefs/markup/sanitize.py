"""What output may carry: the allow-list every rendered body passes through, and web_url() for
stored URLs put into links. Raw HTML is already escaped by the Markdown set-up; the allow-list is
the second wall, so nothing executable survives either way."""

from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "a",
    "sup",
    "sub",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id", "rel", "data-ref", "data-anno"},
    "sup": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
# Schemes a stored URL (a source's link, a party's website) may have to be linked or fetched.
WEB_SCHEMES = ("http", "https")
# A body may also link an address.
URL_SCHEMES = {*WEB_SCHEMES, "mailto"}


def web_url(url):
    """`url` (stripped) when it is http(s), else None: stored URLs are validated, but output never trusts that."""
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in WEB_SCHEMES else None


def sanitize_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
