"""The party page's stored parts (briefs/services/party_parts.py): the same page as one made from
the database, a fixed cost however busy the party, and never stale — whoever wrote (ORM, bulk
update, raw SQL) and when a scheduled brief goes live by the clock."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from briefs.models import Brief, Deal, Party, PartyPageParts
from briefs.services import party_parts
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def made_now(client, url):
    """The page with no stored parts: made from the database by the same code."""
    PartyPageParts.objects.all().delete()
    return page(client, url)


@pytest.fixture
def fund(db):
    fund = make_party(name="Busy Fund", slug="busy-fund")
    target = make_party(name="Target Robotics", slug="target")
    deal = deal_with(participants=[(fund, "investor", {"is_lead": True}), (target, "target")], amount="20000000")
    brief_about(deal, title="Busy Fund leads Target round", slug="round", parties=[(fund, "investor")])
    return {"fund": fund, "target": target, "deal": deal}


def test_a_party_page_stores_its_parts_and_the_next_request_uses_them(client, fund, django_assert_max_num_queries):
    first = page(client, "/parties/busy-fund/")
    assert PartyPageParts.objects.filter(party_id=fund["fund"].pk).exists()
    # The content state, the party, its parts, the page's briefs with their deal lines (5), its
    # roles in them, its quotes, the related parties.
    with django_assert_max_num_queries(11):
        again = page(client, "/parties/busy-fund/")
    assert again == first == made_now(client, "/parties/busy-fund/")
    assert "Lead investor" in again and "$20 million in one deal" in text_of(again)


def test_the_page_reads_no_aggregate_when_its_parts_are_stored(client, fund, django_assert_max_num_queries):
    for _ in range(30):  # thirty more deals and briefs: the stored page costs what it did
        deal = deal_with(participants=[(fund["fund"], "investor"), (make_party(), "target")], amount="1000000")
        brief_about(deal, parties=[(fund["fund"], "investor")])
    page(client, "/parties/busy-fund/")
    with django_assert_max_num_queries(11) as queries:
        body = page(client, "/parties/busy-fund/")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "COUNT(" not in sql and "SUM(" not in sql  # totals, counts and co-investors were stored
    assert "$30 million in 30 deals" in text_of(body)


def test_an_orm_write_makes_the_parts_stale_and_the_page_shows_it(client, fund):
    page(client, "/parties/busy-fund/")
    other = deal_with(
        participants=[(fund["fund"], "acquirer"), (make_party(name="Bought Co"), "target")], amount="5000000"
    )
    brief_about(other, title="Busy Fund buys Bought Co", parties=[(fund["fund"], "acquirer")])
    body = text_of(page(client, "/parties/busy-fund/"))
    assert "Acquirer $5 million in one deal" in body and "Busy Fund buys Bought Co" in body


def test_a_raw_sql_write_makes_the_parts_stale(client, fund):
    page(client, "/parties/busy-fund/")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Deal._meta.db_table} SET headline_usd = %s, headline_amount = %s WHERE id = %s",
            [70_000_000, 70_000_000, fund["deal"].pk],
        )
    assert "$70 million in one deal" in text_of(page(client, "/parties/busy-fund/"))


def test_a_withdrawn_brief_leaves_the_parts_and_the_list(client, fund):
    make_brief(title="Busy Fund profile", parties=[(fund["fund"], "mentioned")])  # keeps the party public
    page(client, "/parties/busy-fund/")
    Brief.objects.filter(slug="round").update(status="draft", published_at=None)  # a bulk update
    body = text_of(page(client, "/parties/busy-fund/"))
    assert "Busy Fund leads Target round" not in body and "Lead investor" not in body


def test_a_scheduled_brief_going_live_by_the_clock_reaches_the_stored_parts(client, fund, time_machine):
    later = timezone.now() + datetime.timedelta(hours=2)
    deal = deal_with(participants=[(fund["fund"], "lender"), (make_party(name="Borrower Co"), "target")])
    lends = make_brief(title="Busy Fund lends", slug="lends", published=False, parties=[(fund["fund"], "lender")])
    brief_about(deal, brief=lends)
    Brief.objects.filter(slug="lends").update(status="scheduled", published_at=later)
    before = text_of(page(client, "/parties/busy-fund/"))
    assert "Lender" not in before and "Busy Fund lends" not in before
    assert PartyPageParts.objects.get(party_id=fund["fund"].pk).until == later
    time_machine.move_to(later + datetime.timedelta(seconds=1))
    after = text_of(page(client, "/parties/busy-fund/"))  # no write since: the clock alone
    assert "Lender" in after and "Busy Fund lends" in after


def test_a_scheduled_brief_about_another_party_does_not_end_the_parts(client, fund):
    elsewhere = make_party(name="Elsewhere Foods", slug="elsewhere")
    make_brief(title="Later", slug="later", published=False, parties=[(elsewhere, "target")])
    Brief.objects.filter(slug="later").update(
        status="scheduled", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    page(client, "/parties/busy-fund/")
    assert PartyPageParts.objects.get(party_id=fund["fund"].pk).until is None


def test_parts_made_by_another_release_are_not_used(client, fund):
    page(client, "/parties/busy-fund/")
    PartyPageParts.objects.update(key="another-release", parts={"deals_html": "OLD", "brief_count": 0, "brief_ids": []})
    body = page(client, "/parties/busy-fund/")
    assert "OLD" not in body and "Busy Fund leads Target round" in body
    assert PartyPageParts.objects.get(party_id=fund["fund"].pk).key == party_parts.parts_key()


def test_pages_past_the_stored_ones_read_their_briefs_in_order(client, fund, settings):
    settings.DEALSITE = {**settings.DEALSITE, "PARTY_PAGE_SIZE": 2}
    now = timezone.now()
    for n in range(2 * party_parts.STORED_BRIEF_PAGES + 3):
        brief = make_brief(title=f"Numbered {n:02}", parties=[(fund["fund"], "investor"), (fund["fund"], "partner")])
        Brief.objects.filter(pk=brief.pk).update(published_at=now - datetime.timedelta(minutes=n))
    titles = []
    for number in range(1, party_parts.STORED_BRIEF_PAGES + 3):  # 14 briefs: 7 pages
        titles += re.findall(
            r"Numbered \d\d|Busy Fund leads Target round", page(client, f"/parties/busy-fund/?page={number}")
        )
    stored = PartyPageParts.objects.get(party_id=fund["fund"].pk).parts
    assert len(stored["brief_ids"]) == 2 * party_parts.STORED_BRIEF_PAGES and stored["brief_count"] == 14
    assert titles == [f"Numbered {n:02}" for n in range(13)] + ["Busy Fund leads Target round"], titles
    # Its roles in each brief, read for the page's briefs alone, in link order.
    assert '<span class="role">Investor</span><span class="role">Partner</span>' in page(
        client, "/parties/busy-fund/?page=7"
    )


def test_a_save_remakes_the_stale_parts_readers_had_and_drops_those_of_parties_gone(client, fund):
    lone = make_party(name="Lone Co", slug="lone")
    make_brief(title="Lone story", slug="lone-story", parties=[(lone, "target")])
    page(client, "/parties/busy-fund/")
    page(client, "/parties/lone/")
    Brief.objects.filter(slug="lone-story").update(status="draft", published_at=None)  # Lone Co is no longer public
    deal = deal_with(participants=[(fund["fund"], "investor"), (make_party(), "target")], amount="3000000")
    brief_about(deal)  # an app save: its render queues the refresh, which runs at the (test's) commit
    stored = PartyPageParts.objects.get(party_id=fund["fund"].pk)
    assert stored.counter == party_parts._counter(fund["fund"].pk)
    assert "Investor $3 million in one deal" in text_of(stored.parts["deals_html"])
    assert not PartyPageParts.objects.filter(party_id=lone.pk).exists()
    assert party_parts.refresh_stale_parts() == 0  # nothing left to do


def test_render_page_parts_stores_the_parts_of_every_public_party(fund):
    from django.core.management import call_command

    draft_only = make_party(name="Draft Only", slug="draft-only")
    make_brief(title="Unpublished", published=False, parties=[(draft_only, "target")])
    call_command("render_page_parts", "--no-progress")
    assert set(PartyPageParts.objects.values_list("party_id", flat=True)) == set(
        Party.objects.public().values_list("pk", flat=True)
    )
    assert not party_parts.parties_without_current_parts().exists()


def test_a_party_deleted_with_stored_parts_goes_and_the_refresh_drops_them(client, fund):
    gone = make_party(name="Gone Co", slug="gone")
    story = make_brief(title="Gone story", parties=[(gone, "target")])
    page(client, "/parties/gone/")
    gone_id = gone.pk
    story.delete()  # its links protect the party
    Party.objects.filter(pk=gone_id).delete()  # the stored parts hold nothing up
    # Left behind (as when a page stores them as the party goes), and stale: the next refresh drops them.
    assert PartyPageParts.objects.filter(party_id=gone_id).exists()
    party_parts.refresh_stale_parts()
    assert not PartyPageParts.objects.filter(party_id=gone_id).exists()


def test_one_refresh_runs_at_a_time(fund, client):
    from django.core.cache import cache

    page(client, "/parties/busy-fund/")
    PartyPageParts.objects.update(counter=-1)
    cache.add(party_parts.REFRESH_LOCK, True)  # another run under way
    try:
        assert party_parts.refresh_stale_parts() == 0
    finally:
        cache.delete(party_parts.REFRESH_LOCK)
    assert party_parts.refresh_stale_parts() == 1
