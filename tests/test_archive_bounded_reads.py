"""Reads whose cost must not grow with the archive: they touch the rows of what they show, never a
list of everything in the archive that happens to be public."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Deal, DealParticipant, Party
from briefs.models.choices import ParticipantRole
from tests.factories import make_deal

DEMO_SLUG = "amazon-invests-up-to-4-billion-in-anthropic"
# `deal_id IN (SELECT id FROM deals WHERE <public>)`: the database lists every public deal first.
EVERY_PUBLIC_DEAL = re.compile(r'"deal_id" IN \(SELECT [^ ]+"id" FROM "briefs_deal"', re.IGNORECASE)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url", ["/parties/amazon/", "/parties/anthropic/", f"/api/v1/briefs/{DEMO_SLUG}/"])
def test_deal_visibility_is_checked_per_row_not_by_listing_every_public_deal(client, demo_brief, url):
    listing = [sql for sql in queries_of(client, url) if EVERY_PUBLIC_DEAL.search(sql)]
    assert listing == [], url


def test_exists_for_keeps_exactly_the_rows_of_public_deals(demo_brief):
    amazon = Party.objects.get(slug="amazon")
    hidden = make_deal(name="Not announced anywhere", participants=[(amazon, ParticipantRole.INVESTOR)])
    rows = DealParticipant.objects.filter(Deal.objects.public().exists_for("deal_id"))
    public = set(Deal.objects.public().values_list("pk", flat=True))
    assert public and hidden.pk not in public
    assert set(rows.values_list("deal_id", flat=True)) == public
