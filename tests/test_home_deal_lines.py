"""The home page leads each deal line with the deal's announcement date; the brief's publication
date is there too, secondary, in the kicker."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_each_home_deal_line_starts_with_its_announcement_date(client, demo_brief):
    html = client.get("/").content.decode()
    items = re.findall(r'<li class="brief-item[^"]*">(.*?)</li>', html, re.S)
    assert len(items) >= 4
    for item in items:
        lines = re.findall(r'<p class="deal-line">(.*?)</p>', item, re.S)
        assert lines, item
        for line in lines:
            assert re.match(r'<span class="deal-date">(Announced|Reported) <time datetime="\d{4}', line), line
        assert re.search(r'<p class="kicker">.*<span class="published">Published <time', item, re.S), item
    demo = next(item for item in items if demo_brief.get_absolute_url() in item)
    assert re.search(r'<span class="deal-date">Announced <time datetime="2023-09', demo)
