"""One rule for stored URLs put into output: http(s) only, surrounding spaces dropped, junk refused."""

import pytest

from briefs.markup.sanitize import web_url
from briefs.models.choices import LinkStatus
from briefs.services.linkcheck import check_url
from briefs.templatetags.briefs import safe_url

REFUSED = [
    "javascript:alert(1)",
    " JaVaScript:alert(1)",
    "data:text/html,x",
    "ftp://example.com/",
    "http://[",
    "",
    None,
]


@pytest.mark.parametrize(
    "url, expected", [("https://example.com/a", "https://example.com/a"), (" HTTP://x.io ", "HTTP://x.io")]
)
def test_web_urls_are_kept(url, expected):
    assert web_url(url) == expected == safe_url(url)


@pytest.mark.parametrize("url", REFUSED)
def test_other_urls_are_refused_by_pages_and_the_link_checker(url):
    assert web_url(url) is None
    assert safe_url(url) == ""
    if url:
        result = check_url(url, timeout=1)
        assert result.status == LinkStatus.BROKEN and result.error == "not an http(s) URL"
