"""Search behaviour, run on whichever database the suite uses (.ci/run runs it on SQLite and on
PostgreSQL): ranking, stemming, phrases, exclusion, prefixes, money, facets, suggestions,
visibility, index freshness and hostile input."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief
from briefs.services import workflow
from briefs.services.saving import save_brief
from search import search, service
from search.indexer import rebuild
from search.models import SearchEntry
from tests.committing import as_committed
from tests.deal_builders import brief_about, deal_with
from tests.factories import make_brief, make_party, make_quote, make_source
from tests.workflow_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Pages render without collectstatic's manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def titles(results):
    return [hit.brief.title for hit in results.hits]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


# Ranking, language --------------------------------------------------------------------------


def test_a_title_match_outranks_a_body_match():
    body_match = make_brief(
        "Long text. " * 30 + "It mentions a geothermal plant once.", title="Energy roundup", published_at=ago(hours=1)
    )
    title_match = make_brief(
        "Nothing special here.", title="Geothermal developer raises funds", published_at=ago(days=30)
    )
    assert titles(search("geothermal")) == [title_match.title, body_match.title]


def test_a_party_name_outranks_a_passing_mention_and_recency_breaks_ties():
    volta = make_party(name="Voltaic Systems")
    mention = make_brief("Analysts compared it with Voltaic rivals.", title="Battery market note")
    older = make_brief("Text.", title="Older", parties=[(volta, "target")], published_at=ago(days=9))
    newer = make_brief("Text.", title="Newer", parties=[(volta, "target")], published_at=ago(days=2))
    assert titles(search("voltaic")) == [newer.title, older.title, mention.title]


def test_english_stemming_investing_finds_invests():
    brief = make_brief("The fund invests in solar farms.", title="Solar")
    assert titles(search("investing")) == [brief.title]
    assert titles(search("invested")) == [brief.title]


def test_every_word_must_match():
    both = make_brief("Copper and cobalt miners merge.", title="Miners")
    make_brief("Copper prices rise.", title="Copper only")
    assert titles(search("copper cobalt")) == [both.title]


def test_an_exact_phrase_needs_the_words_together_and_in_order():
    exact = make_brief("Amazon takes a minority stake in the startup.", title="Exact")
    make_brief("A stake, though a minority of analysts disagree.", title="Scattered")
    assert titles(search('"minority stake"')) == [exact.title]


def test_exclusion_drops_briefs_with_the_word():
    keep = make_brief("Chip maker expands.", title="Keep")
    make_brief("Chip maker expands with Microsoft.", title="Drop")
    assert titles(search("chip -microsoft")) == [keep.title]


def test_or_finds_either_word():
    a = make_brief("A turbine order.", title="Turbines", published_at=ago(days=1))
    b = make_brief("A pipeline order.", title="Pipelines", published_at=ago(days=2))
    make_brief("A software order.", title="Software")
    assert set(titles(search("turbine OR pipeline"))) == {a.title, b.title}


def test_a_prefix_matches_the_start_of_words():
    brief = make_brief("Talks with Anthropic continue.", title="Talks")
    make_brief("An anthology of deals.", title="Anthology")
    assert titles(search("anthrop*")) == [brief.title]
    assert len(search("anth*").hits) == 2


@pytest.mark.parametrize(
    "query", ["$4 billion", "4bn", "$4B", "4 billion", "US$4,000,000,000", "4,000 million", "$4bn"]
)
def test_every_way_of_writing_an_amount_finds_the_same_briefs(query):
    written = make_brief(
        "Amazon will invest up to $4 billion in the startup.",
        title="Written out",
        amount=Decimal("1250000000"),
        amount_up_to=Decimal("4000000000"),
    )
    abbreviated = make_brief("A 4bn facility was agreed.", title="Abbreviated", amount=Decimal("1000000"))
    make_brief("A $40 billion merger.", title="Other amount", amount=Decimal("40000000000"))
    assert set(titles(search(query))) == {written.title, abbreviated.title}


def test_an_amount_in_the_deal_facts_is_found_even_when_the_text_words_it_differently():
    deal = deal_with(amount="450000000", currency="EUR")
    brief = brief_about(deal, body="The round was large.", title="Facts only")
    assert titles(search("€450m")) == [brief.title]
    assert titles(search("450 million")) == [brief.title]


def test_snippets_highlight_matches_and_escape_markup():
    make_brief("Hydrogen <script>alert(1)</script> plant financed.", title="Hydrogen & co")
    hit = search("hydrogen").hits[0]
    assert "<mark>Hydrogen</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html  # SQLite escapes it, ts_headline drops tags
    assert hit.title_html == "<mark>Hydrogen</mark> &amp; co"


def test_quotes_sources_and_aliases_are_searched():
    speaker = make_party(name="Imogen Vale", kind="person")
    quote = make_quote(speaker=speaker, text="We are thrilled by the partnership.")
    source = make_source(title="Quarterly filing", publisher="Gazette Herald")
    aws = make_party(name="Amazon Web Services", aliases=["AWS"])
    brief = make_brief(
        f"[Said](quote:{quote.key}) [here](source:{source.key}).",
        title="With links",
        quotes=[quote],
        sources=[source],
        parties=[(aws, "investor")],
    )
    for query in ("thrilled", "imogen vale", "gazette", "aws"):
        assert titles(search(query)) == [brief.title], query


# Facets, sorting, paging --------------------------------------------------------------------


def test_facet_counts_and_filters():
    acme, zenith = make_party(name="Acme Robotics", slug="acme"), make_party(name="Zenith Fund", slug="zenith")
    one = deal_with(
        deal_type="acquisition",
        amount="1000000",
        participants=[(acme, "target")],
        announced_on=datetime.date(2023, 5, 1),
    )
    two = deal_with(
        deal_type="acquisition",
        amount="2000000",
        currency="EUR",
        status="completed",
        closed_on=datetime.date(2024, 3, 1),
        participants=[(acme, "target"), (zenith, "acquirer")],
        announced_on=datetime.date(2024, 2, 1),
    )
    three = deal_with(
        deal_type="funding_round",
        series="series_b",
        amount="3000000",
        currency="EUR",
        participants=[(zenith, "investor", {"is_lead": True}), (acme, "target")],
        announced_on=datetime.date(2024, 3, 1),
    )
    for n, deal in enumerate((one, two, three), 1):
        brief_about(deal, body=f"Robot deal {n}.", title=f"Robot {n}")
    results = search("robot")
    counts = {name: {f.value: f.count for f in values} for name, values in results.facets.items()}
    assert counts["deal_type"] == {"acquisition": 2, "funding_round": 1}
    assert counts["status"] == {"announced": 2, "completed": 1}
    assert counts["series"] == {"series_b": 1} and counts["lead"] == {"zenith": 1}
    assert counts["currency"] == {"EUR": 2, "USD": 1}
    assert counts["year"] == {"2024": 2, "2023": 1}
    assert counts["party"] == {"acme": 3, "zenith": 2}
    assert [f.label for f in results.facets["party"]] == ["Acme Robotics", "Zenith Fund"]
    assert [f.label for f in results.facets["lead"]] == ["Zenith Fund"]

    assert titles(search("robot", deal_type="acquisition", currency="EUR")) == ["Robot 2"]
    assert titles(search("robot", status="completed")) == ["Robot 2"]
    assert titles(search("robot", series="series_b")) == titles(search("robot", lead="zenith")) == ["Robot 3"]
    assert search("robot", party="zenith", year=2024).total == 2
    assert search("robot", party="zenith", deal_type="acquisition").total == 1
    selected = {f.value: f.selected for f in search("robot", party="acme").facets["party"]}
    assert selected["acme"] is True


def test_filters_alone_browse_newest_first():
    old = brief_about(deal_with(deal_type="merger"), title="Old merger", published_at=ago(days=5))
    new = brief_about(deal_with(deal_type="merger"), title="New merger", published_at=ago(days=1))
    brief_about(deal_with(deal_type="ipo"), title="Not a merger")
    assert titles(search("", deal_type="merger")) == [new.title, old.title]


def test_sort_by_newest_and_by_amount_in_usd_across_currencies():
    # €100 million is worth more than $100 million at any ECB rate of 2024: sorted by USD, it comes first.
    euro = brief_about(
        deal_with(amount="100000000", currency="EUR"), body="Wind farm.", title="Euro", published_at=ago(days=1)
    )
    dollar = brief_about(deal_with(amount="100000000"), body="Wind farm.", title="Dollar", published_at=ago(days=4))
    small = brief_about(deal_with(amount="5000000"), body="Wind farm.", title="Small", published_at=ago(days=3))
    rumoured = deal_with(reported=[("900000000", "USD", "Bloomberg")], amount_disclosure="undisclosed")
    undisclosed = brief_about(rumoured, body="Wind farm.", title="Undisclosed", published_at=ago(days=2))
    assert titles(search("wind", sort="newest")) == [euro.title, undisclosed.title, small.title, dollar.title]
    assert titles(search("wind", sort="amount")) == [euro.title, dollar.title, small.title, undisclosed.title]
    # Only when asked: an undisclosed deal placed by what was reported of it.
    assert titles(search("wind", sort="amount_reported")) == [undisclosed.title, euro.title, dollar.title, small.title]


def test_pagination_and_capped_totals(monkeypatch):
    for n in range(5):
        make_brief("Lithium news.", title=f"Lithium {n}", published_at=ago(days=n))
    page2 = search("lithium", per_page=2, page=2)
    assert page2.total == 5 and not page2.total_is_capped and page2.num_pages == 3
    assert titles(page2) == ["Lithium 2", "Lithium 3"]
    monkeypatch.setattr(service, "CANDIDATE_CAP", 3)
    windowed = search("lithium")
    assert windowed.ranked == 3 and windowed.total == 5 and windowed.older is not None
    monkeypatch.setattr(service, "COUNT_LIMIT", 4)
    capped = search("lithium")
    assert capped.total == 4 and capped.total_is_capped and capped.total_display == "4+"
    monkeypatch.setattr(service, "COUNT_LIMIT", 5)  # exactly the limit: the count, not a floor
    exact = search("lithium")
    assert exact.total == 5 and not exact.total_is_capped and exact.total_display == "5"


# Suggestions --------------------------------------------------------------------------------


def test_a_misspelt_party_name_gets_a_did_you_mean():
    anthropic = make_party(name="Anthropic", slug="anthropic")
    make_brief("Text.", parties=[(anthropic, "target")])
    results = search("Antropic")
    assert results.total == 0 and results.suggestion == "Anthropic"
    assert search("antropic investment").suggestion == "Anthropic investment"
    spark = make_party(name="Spark Capital")
    make_brief("Text.", parties=[(spark, "investor")])
    assert search("capitol").suggestion == "Capital"
    assert search("sparc capitol").suggestion == "Spark Capital"


def test_suggestions_never_name_a_party_seen_only_in_drafts():
    secret = make_party(name="Quietcorp")
    make_brief("Unannounced.", parties=[(secret, "target")], published=False)
    assert search("Quietcrop").suggestion is None


# Visibility and index freshness --------------------------------------------------------------


def test_drafts_and_future_briefs_are_never_found():
    make_brief("Secret zeppelin merger.", title="Draft", published=False)
    make_brief("Secret zeppelin merger.", title="In review", status="in_review")
    scheduled = make_brief(
        "Secret zeppelin merger.",
        title="Scheduled",
        status="scheduled",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert search("zeppelin").total == 0
    assert search("", deal_type="investment").total == 0
    # A scheduled brief goes live by the clock alone, like everywhere else on the site.
    later = timezone.now() + datetime.timedelta(days=2)
    assert titles(search("zeppelin", now=later)) == [scheduled.title]


def test_the_index_follows_publish_edit_unpublish_withdraw_and_delete():
    """Through the real writers (the workflow's transitions and the save path), once each commits."""
    editor = make_user("admin")
    brief = make_brief("Original wording about limestone.", title="Quarry", published=False)
    assert search("limestone").total == 0

    with as_committed():
        workflow.submit(brief, editor)
        workflow.publish(brief, editor)
    assert titles(search("limestone")) == ["Quarry"]

    brief.body = "Rewritten wording about tunnels."
    with as_committed():
        save_brief(brief, user=editor)
    assert titles(search("tunnels")) == ["Quarry"] and search("limestone").total == 0

    with as_committed():
        workflow.withdraw(brief, editor)
    assert search("tunnels").total == 0 and not SearchEntry.objects.filter(brief=brief).exists()

    with as_committed():
        workflow.publish(brief, editor)
    assert search("tunnels").total == 1
    with as_committed():
        Brief.objects.get(pk=brief.pk).delete()
    assert search("tunnels").total == 0 and SearchEntry.objects.count() == 0


def test_renaming_a_party_updates_the_index():
    party = make_party(name="Oldname Holdings")
    speaker = make_party(name="Pat Speaker", kind="person")
    quote = make_quote(speaker=speaker, text="Words.")
    linked = make_brief("Text.", title="Linked", parties=[(party, "target")])
    quoted = make_brief(f"[Words](quote:{quote.key})", title="Quoted", quotes=[quote])
    party.name = "Newname Holdings"
    party.save()
    speaker.name = "Pat Renamed"
    speaker.save()
    assert titles(search("newname")) == [linked.title] and search("oldname").total == 0
    assert titles(search("renamed")) == [quoted.title]
    assert search("Newnome holdings").suggestion == "Newname holdings"


def test_with_a_broker_the_index_task_is_queued_only_after_commit(settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch("search.tasks.reindex_briefs_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            brief = save_brief(Brief(title="Queued", slug="queued", body="Text."))
            assert not delay.called  # nothing is queued for work that could still roll back
    delay.assert_called_once_with([brief.pk])


def test_rebuild_restores_a_lost_index(capsys):
    from django.core.management import call_command

    make_brief("Sapphire mine sold.", title="Sapphire")
    make_brief("Draft text about sapphire.", title="Draft", published=False)
    SearchEntry.objects.all().delete()
    assert search("sapphire").total == 0
    call_command("rebuild_search_index", "--no-progress")
    assert titles(search("sapphire")) == ["Sapphire"]
    assert "Indexed 1 briefs" in capsys.readouterr().out
    assert rebuild() == 1  # idempotent
    assert titles(search("sapphire")) == ["Sapphire"]


def test_the_demo_brief_is_searchable(demo_brief):
    assert demo_brief.title in titles(search("anthropic"))
    assert titles(search("jassy bedrock")) == [demo_brief.title]
    assert demo_brief.title in titles(search("4bn"))


# The page ------------------------------------------------------------------------------------


def test_search_page_lists_results_with_facet_links_and_at_most_three_queries(client, django_assert_max_num_queries):
    acme = make_party(name="Acme Robotics", slug="acme")
    for n in range(25):
        make_brief("Robot deal.", title=f"Robot {n}", parties=[(acme, "target")], published_at=ago(days=n))
    with django_assert_max_num_queries(3):
        response = client.get(reverse("search:search"), {"q": "robot", "page": 2})
    page = response.content.decode()
    assert response.status_code == 200
    assert "25 results" in page
    assert 'start="21"' in page and "<mark>Robot</mark> 20</a>" in page and "<mark>Robot</mark> 0</a>" not in page
    assert 'href="?q=robot&amp;party=acme"' in page
    assert 'rel="prev" href="?q=robot&amp;page=1"' in page
    with django_assert_max_num_queries(3):
        filtered = client.get(reverse("search:search"), {"q": "robot", "party": "acme", "sort": "newest"})
    assert "Clear filters" in filtered.content.decode()


def test_search_page_messages(client, django_assert_max_num_queries):
    anthropic = make_party(name="Anthropic")
    make_brief("Text.", parties=[(anthropic, "target")])
    with django_assert_max_num_queries(0):
        empty = client.get(reverse("search:search")).content.decode()
    assert "Search every published brief" in empty
    with django_assert_max_num_queries(3):
        typo = client.get(reverse("search:search"), {"q": "antropic"}).content.decode()
    assert "Did you mean" in typo and 'href="?q=Anthropic"' in typo and "No published brief matches" in typo
    only_minus = client.get(reverse("search:search"), {"q": "-anthropic"}).content.decode()
    assert "exclusions (-word) alone match nothing" in only_minus


HOSTILE = [
    "",
    " ",
    '"',
    '"""',
    'unbalanced "quote',
    "-",
    "--",
    "*",
    "**",
    "OR",
    "OR OR",
    "AND",
    "NOT",
    "NEAR(a b, 2)",
    "title:secret",
    "{title body}: x",
    "^start",
    "a + b",
    "col : word",
    "x AND (y OR",
    "(((",
    ")))",
    "a & b | !c <-> d:*",
    "!!",
    "'; DROP TABLE briefs_brief; --",
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "%",
    "_",
    "\\",
    "🙂 emoji",
    "ｆｕｌｌｗｉｄｔｈ",
    "\u202e rtl",
    "\ud800",
    "x" * 10000,
    "word " * 3000,
    "$",
    "$$$",
    "1e999",
    "99999999999999999999 billion",
    "-$4bn",
    "€",
    "0bn",
    "anthro**",
    "*anthro",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_errors(client, query):
    make_brief("Some text.", title="Anything")
    assert search(query, page=-1, sort="x", year="abcd", party="<script>").total >= 0
    if query.encode("utf-8", "replace").decode("utf-8") != query:
        return  # a lone surrogate cannot travel in a URL; search() itself copes (above)
    response = client.get(reverse("search:search"), {"q": query, "page": "-1", "sort": "x", "year": "abcd"})
    assert response.status_code == 200


def test_engine_specific_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('briefs_search_fts', 'briefs_party_trgm')"
            )
            assert cursor.fetchone()[0] == 2
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'briefs_searchentry_document_gin'")
            assert "gin (document)" in cursor.fetchone()[0]


def test_highlight_markers_in_content_cannot_forge_markup():
    make_brief("Odd \ue000text\ue001 with markers \x1e inside.", title="Marker \ue000test")
    hit = search("markers").hits[0]
    assert hit.title_html == "<mark>Marker</mark> test"
    assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>") == 1


def test_result_deal_lines_show_who_did_what(client):
    a, b = make_party(name="Alpha Grid"), make_party(name="Beta Grid")
    deal = deal_with(
        deal_type="partnership", amount_disclosure="not_applicable", participants=[(a, "partner"), (b, "partner")]
    )
    brief_about(deal, body="Grid partnership.", title="Grid deal")
    page = client.get(reverse("search:search"), {"q": "grid"}).content.decode()
    assert (
        f'<a href="/parties/{a.slug}/">Alpha Grid</a> &amp; <a href="/parties/{b.slug}/">Beta Grid</a> · Partnership'
        in page
    )


def test_a_changed_deal_reindexes_the_briefs_about_it():
    deal = deal_with(amount="1000000", status="announced")
    brief = brief_about(deal, body="Basalt quarry.", title="Quarry deal")
    assert search("basalt", status="completed").total == 0
    deal.status, deal.closed_on = "completed", datetime.date(2024, 2, 1)
    from briefs.services.deals import save_deal

    with as_committed():
        save_deal(deal)
    assert titles(search("basalt", status="completed")) == [brief.title]
    assert "Completed" in search("basalt").hits[0].deals[0]["status"]
