"""The CSV export streams: its peak memory does not grow with the rows exported (500 → 2,000)."""

import csv
import io
import tracemalloc

import pytest

from tests.deal_market import bulk_public_deals

pytestmark = pytest.mark.django_db


def export_peak(client):
    """(peak bytes allocated while the export is produced and read, the CSV's rows)."""
    tracemalloc.start()
    try:
        response = client.get("/deals/export.csv")
        lines, size = 0, 0
        for chunk in response.streaming_content:  # read as a client would, and dropped
            lines += chunk.count(b"\n")
            size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, lines, size


def test_csv_export_memory_stays_flat_as_rows_grow(client):
    bulk_public_deals(500)
    peak_500, lines_500, size_500 = export_peak(client)
    bulk_public_deals(1500, start=500)
    peak_2000, lines_2000, size_2000 = export_peak(client)
    assert (lines_500, lines_2000) == (501, 2001)  # a header and a row per deal
    assert size_2000 > 3.5 * size_500
    # Four times the rows in no more than a third more memory (a list of them would be four times).
    assert peak_2000 < 1.35 * peak_500, (peak_500, peak_2000)


def test_a_large_export_is_valid_utf8_csv_with_every_deal(client):
    bulk_public_deals(2000)
    response = client.get("/deals/export.csv", {"ordering": "headline_usd"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert len(rows) == 2000 and len({row["slug"] for row in rows}) == 2000
    assert rows[0]["targets"] == "Zürich Startup 0" and rows[0]["amount"] == "1000000.00"
    assert rows[0]["lead_investors"] == "Société Générale Ventures"
    usd = [float(row["amount_usd"]) for row in rows]
    assert usd == sorted(usd)
