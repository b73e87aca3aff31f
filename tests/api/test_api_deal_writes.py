"""Writing deals: nested participants, stages and figures in one request, every rule a 400 naming its
field, model permissions, and If-Match on the deal's ETag."""

import datetime

import pytest

from briefs.models import Deal, DealFigure, DealParticipant, DealStage
from tests.factories import make_brief, make_party, make_source

from .conftest import make_user, token_client
from .deal_builders import about

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    return token_client(
        make_user("desk", "briefs.view_deal", "briefs.add_deal", "briefs.change_deal", "briefs.view_brief", staff=True)
    )


@pytest.fixture
def catalogue(db):
    make_party(slug="fund", name="Fund")
    make_party(slug="angel", name="Angel")
    make_party(slug="startup", name="Startup")
    make_source(key="ft", publisher="Financial Times")


def payload(**changes):
    data = {
        "name": "Startup's Series A",
        "slug": "startup-series-a",
        "type": "funding_round",
        "series": "series_a",
        "status": "announced",
        "announced_on": "2024-03-04",
        "announced_precision": "day",
        "currency": "EUR",
        "participants": [
            {"party": "fund", "role": "investor", "is_lead": True, "amount": "6000000.00", "currency": "EUR"},
            {"party": "angel", "role": "investor"},
            {"party": "startup", "role": "target"},
        ],
        "stages": [
            {"occurred_on": "2024-03-04", "description": "first close", "status": "announced"},
            {"occurred_on": "2024-06-03", "description": "second close", "amount": "2000000.00", "currency": "EUR"},
        ],
        "figures": [
            {"kind": "amount", "amount": "10000000.00", "currency": "EUR", "source": "ft"},
            {
                "kind": "amount",
                "basis": "reported",
                "amount": "12000000.00",
                "currency": "EUR",
                "reported_by": "Sifted",
            },
            {"kind": "stake", "percent": "15.00", "stage": 1},
        ],
    }
    data.update(changes)
    return data


def rows():
    return (
        list(Deal.objects.values_list("slug", "status", "name")),
        list(DealParticipant.objects.values_list("party__slug", "role", "is_lead", "amount")),
        list(DealStage.objects.values_list("description", "occurred_on")),
        list(DealFigure.objects.values_list("kind", "amount", "percent", "stage__description")),
    )


def test_create_a_deal_with_its_rows_in_one_request(catalogue, desk):
    response = desk.post("/api/v1/deals/", payload(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (
        response["Location"] == data["api_url"] == "http://127.0.0.1:8000/api/v1/deals/startup-series-a/"
    )  # SITE_URL, not the host asked
    assert [(p["party"]["slug"], p["is_lead"]) for p in data["participants"]] == [
        ("fund", True),
        ("angel", False),
        ("startup", False),
    ]
    assert [s["description"] for s in data["stages"]] == ["first close", "second close"]
    assert data["figures"][2]["stage"] == 1
    assert data["size"]["amount"] == "10000000.00" and data["size"]["amount_usd"] is not None
    assert data["participants"][0]["usd"]["rate_on"] == "2024-03-04"  # converted when saved
    stake = DealFigure.objects.get(kind="stake")
    assert stake.stage.description == "second close"
    assert data["briefs"] == []


def test_a_patch_keeps_rows_not_given_and_stage_ids_keep_the_briefs_reporting_them(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    deal = Deal.objects.get()
    second = deal.stages.get(description="second close")
    brief = about(make_brief(published=False), deal, stages=[second])
    first = deal.stages.get(description="first close")
    response = desk.patch(
        "/api/v1/deals/startup-series-a/",
        {
            "status": "completed",
            "closed_on": "2024-06-03",
            "stages": [
                {"id": first.pk, "occurred_on": "2024-03-04", "description": "first close"},
                {"id": second.pk, "occurred_on": "2024-06-03", "description": "final close", "status": "completed"},
                {"occurred_on": "2024-07-01", "description": "extension"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "completed"
    assert [(s["id"], s["description"]) for s in data["stages"]][:2] == [
        (first.pk, "first close"),
        (second.pk, "final close"),
    ]
    assert len(data["participants"]) == 3 and len(data["figures"]) == 3  # not given: kept
    assert brief.deal_links.get().stage_id == second.pk
    assert DealFigure.objects.get(kind="stake").stage_id == second.pk


def test_a_stage_left_out_is_removed(catalogue, desk):
    desk.post("/api/v1/deals/", payload(figures=[]), format="json")
    first = DealStage.objects.get(description="first close")
    response = desk.patch(
        "/api/v1/deals/startup-series-a/",
        {"stages": [{"id": first.pk, "occurred_on": "2024-03-04", "description": "first close"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(DealStage.objects.values_list("description", flat=True)) == ["first close"]


BAD_INPUT = [
    ({"slug": "not a slug!"}, "slug"),
    ({"name": ""}, "name"),
    ({"type": "merger-ish"}, "type"),
    ({"status": "imagined"}, "status"),
    ({"currency": "XYZ"}, "currency"),
    ({"announced_on": "soon"}, "announced_on"),
    ({"announced_precision": "week"}, "announced_precision"),
    ({"type": "acquisition"}, "series"),
    ({"status": "completed"}, "closed_on"),
    ({"status": "withdrawn"}, "ended_on"),
    ({"closed_on": "2024-01-01"}, "closed_on"),
    ({"participants": [{"party": "nobody", "role": "investor"}]}, "participants[0].party"),
    ({"participants": [{"party": "fund", "role": "emperor"}]}, "participants[0].role"),
    ({"participants": [{"party": "startup", "role": "target", "is_lead": True}]}, "participants[0].is_lead"),
    ({"participants": [{"party": "fund", "role": "investor", "amount": "5.00"}]}, "participants[0].currency"),
    (
        {"participants": [{"party": "fund", "role": "investor", "amount": "-5.00", "currency": "EUR"}]},
        "participants[0].amount",
    ),
    (
        {
            "participants": [
                {"party": "angel", "role": "investor"},
                {"party": "fund", "role": "investor", "amount": "99000000.00", "currency": "EUR"},
            ]
        },
        "participants[1].amount",
    ),
    (
        {"participants": [{"party": "fund", "role": "investor"}, {"party": "fund", "role": "investor"}]},
        "participants[1].party",
    ),
    (
        {
            "stages": [
                {"occurred_on": "2024-06-03", "description": "later"},
                {"occurred_on": "2024-03-04", "description": "earlier"},
            ],
            "figures": [],
        },
        "stages[1].occurred_on",
    ),
    ({"stages": [{"description": "tranche", "amount": "5.00"}], "figures": []}, "stages[0].currency"),
    ({"stages": [{"occurred_on": "2024-03-04"}], "figures": []}, "stages[0].description"),
    ({"stages": [{"id": 999999, "description": "someone else's"}], "figures": []}, "stages[0].id"),
    ({"figures": [{"kind": "stake", "amount": "5.00", "currency": "EUR"}]}, "figures[0].percent"),
    ({"figures": [{"kind": "stake", "percent": "150"}]}, "figures[0].percent"),
    ({"figures": [{"kind": "amount"}]}, "figures[0].amount"),
    ({"figures": [{"kind": "valuation_post", "amount": "5.00"}]}, "figures[0].currency"),
    (
        {"figures": [{"kind": "amount", "amount": "5.00", "currency": "EUR", "basis": "reported"}]},
        "figures[0].reported_by",
    ),
    ({"figures": [{"kind": "amount", "amount": "5.00", "currency": "EUR", "stage": 7}]}, "figures[0].stage"),
    ({"figures": [{"kind": "amount", "amount": "5.00", "currency": "EUR", "source": "nowhere"}]}, "figures[0].source"),
    ({"figures": [{"kind": "guess", "amount": "5.00", "currency": "EUR"}]}, "figures[0].kind"),
]


@pytest.mark.parametrize("changes, field", BAD_INPUT)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(catalogue, desk, changes, field):
    before = rows()
    response = desk.post("/api/v1/deals/", payload(**changes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in [error["field"] for error in body["errors"]], body
    assert rows() == before


def test_bad_input_on_update_is_400_naming_the_field_and_changes_nothing(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    before = rows()
    response = desk.patch("/api/v1/deals/startup-series-a/", {"status": "terminated"}, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["ended_on"]
    assert rows() == before


def test_a_duplicate_slug_is_400(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    response = desk.post("/api/v1/deals/", payload(), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "slug"


def test_writes_need_a_token_and_the_deal_permissions(client, catalogue):
    assert client.post("/api/v1/deals/", payload(), format="json").status_code == 401
    reader = token_client(make_user("reader"))
    assert reader.post("/api/v1/deals/", payload(), format="json").status_code == 403
    adder = token_client(make_user("adder", "briefs.add_deal", staff=True))
    assert adder.post("/api/v1/deals/", payload(), format="json").status_code == 201
    assert adder.patch("/api/v1/deals/startup-series-a/", {"name": "Renamed"}, format="json").status_code == 403
    assert Deal.objects.get().name == "Startup's Series A"


# If-Match ---------------------------------------------------------------------------------------------


def test_if_match_with_the_current_etag_saves_and_returns_the_new_one(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    etag = desk.get("/api/v1/deals/startup-series-a/")["ETag"]
    response = desk.patch("/api/v1/deals/startup-series-a/", {"name": "Renamed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response["ETag"] == desk.get("/api/v1/deals/startup-series-a/")["ETag"]


def test_if_match_with_a_stale_etag_is_412_and_saves_nothing(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    stale = desk.get("/api/v1/deals/startup-series-a/")["ETag"]
    assert desk.patch("/api/v1/deals/startup-series-a/", {"name": "First"}, format="json").status_code == 200
    response = desk.patch("/api/v1/deals/startup-series-a/", {"name": "Second"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "precondition_failed" and body["current_etag"].startswith('"deal-')
    assert Deal.objects.get().name == "First"
    assert (
        desk.put(
            "/api/v1/deals/startup-series-a/", payload(name="Third"), format="json", HTTP_IF_MATCH=stale
        ).status_code
        == 412
    )
    again = desk.patch(
        "/api/v1/deals/startup-series-a/", {"name": "Second"}, format="json", HTTP_IF_MATCH=body["current_etag"]
    )
    assert again.status_code == 200 and Deal.objects.get().name == "Second"


@pytest.mark.parametrize("header", ['W/"deal-1-t1"', '"brief-1-v1"', "garbage"])
def test_if_match_that_names_no_current_version_is_412(catalogue, desk, header):
    desk.post("/api/v1/deals/", payload(), format="json")
    response = desk.patch("/api/v1/deals/startup-series-a/", {"name": "x"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 412 and Deal.objects.get().name == "Startup's Series A"


def test_if_match_star_matches_any_current_deal(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    response = desk.patch("/api/v1/deals/startup-series-a/", {"name": "x"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


def test_a_weak_form_of_the_current_etag_does_not_match(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    etag = desk.get("/api/v1/deals/startup-series-a/")["ETag"]
    response = desk.patch("/api/v1/deals/startup-series-a/", {"name": "x"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412


# Briefs name their deals ---------------------------------------------------------------------------------


def test_a_brief_write_names_its_deals_and_the_stage_it_reports(catalogue, desk):
    desk.post("/api/v1/deals/", payload(), format="json")
    editor = token_client(
        make_user(
            "editor", "briefs.view_brief", "briefs.add_brief", "briefs.change_brief", "briefs.view_deal", staff=True
        )
    )
    brief = {"title": "Startup raises", "slug": "startup-raises", "dek": "A round.", "body": "Plain."}
    response = editor.post(
        "/api/v1/briefs/", {**brief, "deals": [{"deal": "startup-series-a", "stage": 1}]}, format="json"
    )
    assert response.status_code == 201, response.content
    (deal,) = response.json()["deals"]
    second = DealStage.objects.get(description="second close")
    assert (deal["slug"], deal["stage"]["id"], deal["stage"]["position"]) == ("startup-series-a", second.pk, 1)
    response = editor.patch("/api/v1/briefs/startup-raises/", {"deals": [{"deal": "startup-series-a"}]}, format="json")
    assert response.status_code == 200 and response.json()["deals"][0]["stage"] is None


@pytest.mark.parametrize(
    "deals, field",
    [
        ([{"deal": "no-such-deal"}], "deals[0].deal"),
        ([{"deal": "startup-series-a", "stage": 5}], "deals[0].stage"),
        ([{"deal": "startup-series-a", "stage": -1}], "deals[0].stage"),
        ([{"deal": "startup-series-a"}, {"deal": "startup-series-a"}], "deals[1]"),
    ],
)
def test_a_brief_naming_a_bad_deal_is_400(catalogue, desk, deals, field):
    desk.post("/api/v1/deals/", payload(), format="json")
    editor = token_client(make_user("editor", "briefs.view_brief", "briefs.add_brief", staff=True))
    brief = {"title": "T", "slug": "t", "dek": "D.", "body": "Plain.", "deals": deals}
    response = editor.post("/api/v1/briefs/", brief, format="json")
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_figure_is_converted_at_the_rate_of_its_own_date(catalogue, desk):
    response = desk.post(
        "/api/v1/deals/",
        payload(figures=[{"kind": "amount", "amount": "10000000.00", "currency": "EUR", "as_of": "2024-03-09"}]),
        format="json",
    )
    assert response.status_code == 201, response.content
    figure = response.json()["figures"][0]
    # A Saturday: the ECB published nothing that day; its Friday rate is used, and named.
    assert figure["usd"]["rate_on"] == str(datetime.date(2024, 3, 8))
