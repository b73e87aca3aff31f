"""The deal admin, driven through the test client: the deal and its inline rows are checked together
by the deal's rules, each problem on the field it names, and saved through save_deal."""

from decimal import Decimal

import pytest
from django.urls import reverse

from briefs import events
from briefs.models import Deal, DealFigure, DealParticipant
from tests.deal_builders import brief_about, sourced_deal
from tests.factories import make_party, make_source
from tests.test_admin_briefs import inline

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:briefs_deal_add")
CHANGELIST_URL = reverse("admin:briefs_deal_changelist")
PREFIXES = ("participants", "stages", "figures")


def change_url(deal):
    return reverse("admin:briefs_deal_change", args=[deal.pk])


def deal_data(*, participants=(), stages=(), figures=(), initial=None, **fields):
    initial = initial or {}
    data = {
        "name": "Amazon’s investment in Anthropic",
        "slug": "amazon-anthropic",
        "deal_type": "investment",
        "series": "",
        "series_qualifier": "",
        "summary": "",
        "status": "announced",
        "rumoured_on": "",
        "announced_on": "2023-09-25",
        "announced_precision": "day",
        "expected_close_on": "",
        "expected_close_precision": "day",
        "closed_on": "",
        "closed_precision": "day",
        "ended_on": "",
        "amount_disclosure": "disclosed",
        "currency": "USD",
        "stake_description": "Minority stake",
        **fields,
    }
    for prefix, rows in zip(PREFIXES, (participants, stages, figures), strict=True):
        data.update(inline(prefix, list(rows), initial.get(prefix, 0)))
    return data


def figure(kind="amount", amount="1250000000", currency="USD", **fields):
    row = {"kind": kind, "basis": "official", "amount": amount, "currency": currency, "percent": "", "as_of": ""}
    row.update({"stage": "", "source": "", "reported_by": "", "position": ""}, **fields)
    return row


def stage(description, occurred_on, **fields):
    row = {"description": description, "occurred_on": occurred_on, "precision": "day", "status": "announced"}
    row.update({"amount": "", "currency": "", "position": ""}, **fields)
    return row


def participant(party, role="investor", **fields):
    row = {"party": party.pk, "role": role, "is_lead": "", "amount": "", "currency": "", "position": ""}
    row.update(fields)
    return row


def errors_of(response):
    """{"deal.<field>" | "<prefix>[i].<field>": [messages]} from the re-shown form."""
    found = {f"deal.{name}": list(errors) for name, errors in response.context["adminform"].form.errors.items()}
    for admin_formset in response.context["inline_admin_formsets"]:
        formset = admin_formset.formset
        for i, form in enumerate(formset.forms):
            for name, errors in form.errors.items():
                found[f"{formset.prefix}[{i}].{name}"] = list(errors)
    return found


@pytest.fixture
def amazon(db):
    return make_party(name="Amazon", slug="amazon")


@pytest.fixture
def anthropic(db):
    return make_party(name="Anthropic", slug="anthropic")


def test_adding_a_deal_saves_its_rows_through_save_deal_with_usd_and_headline(
    admin_client, amazon, anthropic, django_capture_on_commit_callbacks
):
    source = make_source(key="techcrunch", publisher="TechCrunch")
    heard = []

    def hear(sender, deal, created, **kwargs):
        heard.append((deal.slug, created))

    events.deal_changed.connect(hear)
    data = deal_data(
        participants=[
            participant(amazon, is_lead="on", amount="1250000000", currency="USD"),
            participant(anthropic, "target"),
        ],
        stages=[stage("First $1.25 billion", "2023-09-25")],
        figures=[figure(source=source.pk), figure("up_to", "4000000000", source=source.pk)],
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(ADD_URL, data)
    finally:
        events.deal_changed.disconnect(hear)
    assert response.status_code == 302, errors_of(response)
    deal = Deal.objects.get(slug="amazon-anthropic")
    assert [(p.party.slug, p.role, p.is_lead) for p in deal.participants.all()] == [
        ("amazon", "investor", True),
        ("anthropic", "target", False),
    ]
    assert deal.stages.get().description == "First $1.25 billion"
    assert deal.headline_kind == "up_to" and deal.headline_usd == Decimal("4000000000.00")
    assert ("amazon-anthropic", True) in heard  # saved through save_deal, which announces it


def test_a_participant_committing_more_than_the_total_is_refused_on_that_rows_amount(admin_client, amazon, anthropic):
    data = deal_data(
        participants=[participant(anthropic, "target"), participant(amazon, amount="5000000000", currency="USD")],
        figures=[figure()],
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors == {"participants[1].amount": [errors["participants[1].amount"][0]]}
    assert "Amazon cannot have committed more than the deal's total" in errors["participants[1].amount"][0]
    assert not Deal.objects.exists()


def test_stages_out_of_date_order_are_refused_on_the_later_rows_date(admin_client):
    data = deal_data(stages=[stage("Completed", "2024-03-27"), stage("Announced", "2023-09-25")], figures=[figure()])
    response = admin_client.post(ADD_URL, data)
    errors = errors_of(response)
    assert list(errors) == ["stages[1].occurred_on"]
    assert "Stages go in date order" in errors["stages[1].occurred_on"][0]
    assert not Deal.objects.exists()


def test_stage_order_follows_the_positions_given_not_the_form_order(admin_client):
    data = deal_data(
        stages=[stage("Completed", "2024-03-27", position="1"), stage("Announced", "2023-09-25", position="0")],
        figures=[figure()],
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    assert [s.description for s in Deal.objects.get().stages.all()] == ["Announced", "Completed"]


def test_a_completed_deal_without_a_closing_date_is_refused_on_closed_on_once(admin_client):
    response = admin_client.post(ADD_URL, deal_data(status="completed", figures=[figure()]))
    errors = errors_of(response)
    assert errors == {"deal.closed_on": ["A completed deal needs the date it completed."]}  # no second, anonymous one
    assert not Deal.objects.exists()


def test_a_lead_flag_on_a_non_investor_is_refused_on_that_rows_lead_field(admin_client, anthropic):
    response = admin_client.post(ADD_URL, deal_data(participants=[participant(anthropic, "target", is_lead="on")]))
    assert errors_of(response) == {"participants[0].is_lead": ["Only an investor can lead a deal."]}
    assert not Deal.objects.exists()


def test_rows_marked_for_deletion_do_not_count_against_the_rules(admin_client, amazon):
    deal = sourced_deal(
        participants=[{"party": amazon, "role": "investor", "amount": Decimal("10"), "currency": "USD"}]
    )
    row = deal.participants.get()
    bad = participant(amazon, amount="9000000000", currency="USD", id=row.pk, deal=deal.pk, DELETE="on")
    kept = deal.figures.get()
    data = deal_data(
        slug=deal.slug,
        participants=[bad],
        figures=[figure(id=kept.pk, deal=deal.pk, position="0")],
        initial={"participants": 1, "figures": 1},
    )
    response = admin_client.post(change_url(deal), data)
    assert response.status_code == 302, errors_of(response)
    assert not DealParticipant.objects.filter(deal=deal).exists()


def test_a_conversion_the_ecb_cannot_give_keeps_the_native_amount_and_says_why(admin_client):
    data = deal_data(currency="VES", figures=[figure(amount="500000000", currency="VES")])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    deal = Deal.objects.get()
    assert deal.headline_amount == Decimal("500000000.00") and deal.headline_usd is None
    page = admin_client.get(change_url(deal)).content.decode()
    assert "VES 500 million (amount); no USD: The ECB publishes no reference rate for VES." in page
    assert "no USD: The ECB publishes no reference rate for VES." in page  # the figure row says so too


def test_the_headline_shows_its_usd_with_the_rate_and_its_date(admin_client):
    data = deal_data(currency="EUR", figures=[figure(amount="450000000", currency="EUR")])
    admin_client.post(ADD_URL, data)
    deal = Deal.objects.get()
    page = admin_client.get(change_url(deal)).content.decode()
    assert f"at {deal.headline_usd_rate} USD per EUR, the ECB rate of {deal.headline_usd_rate_on}" in page
    assert deal.headline_usd_rate_on is not None


def test_two_sources_that_disagree_are_both_kept(admin_client):
    bloomberg, reuters = make_source(publisher="Bloomberg"), make_source(publisher="Reuters")
    data = deal_data(
        amount_disclosure="undisclosed",
        figures=[
            figure(basis="reported", amount="10000000000", source=bloomberg.pk),
            figure(basis="reported", amount="8000000000", source=reuters.pk),
        ],
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    assert sorted(DealFigure.objects.values_list("source__publisher", "amount")) == [
        ("Bloomberg", Decimal("10000000000.00")),
        ("Reuters", Decimal("8000000000.00")),
    ]
    listing = admin_client.get(CHANGELIST_URL).content.decode()
    assert "Undisclosed (reported: $10 billion, by Bloomberg; $8 billion, by Reuters)" in listing


def test_changelist_lists_deals_with_their_headline_and_whether_they_are_public(admin_client):
    hidden = sourced_deal(name="A rumour in a draft", status="rumoured")
    brief_about(hidden, published=False)
    public = sourced_deal(name="A published deal")
    brief_about(public)
    response = admin_client.get(CHANGELIST_URL)
    rows = {deal.pk: deal.public for deal in response.context["cl"].result_list}
    assert rows == {hidden.pk: False, public.pk: True}
    assert "$1.25 billion" in response.content.decode()
    searched = admin_client.get(CHANGELIST_URL, {"q": "rumour"}).context["cl"].result_list
    assert [deal.pk for deal in searched] == [hidden.pk]
    filtered = admin_client.get(CHANGELIST_URL, {"status__exact": "rumoured"}).context["cl"].result_list
    assert [deal.pk for deal in filtered] == [hidden.pk]


def test_a_figures_stage_choices_are_the_deals_own_stages(admin_client):
    deal = sourced_deal(stages=[{"description": "Tranche one", "occurred_on": "2023-09-25"}])
    other = sourced_deal(stages=[{"description": "Someone else's tranche", "occurred_on": "2023-09-25"}])
    response = admin_client.get(change_url(deal))
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "figures")
    choices = set(formset.forms[0].fields["stage"].queryset)
    assert choices == {deal.stages.get()} and other.stages.get() not in choices


def test_a_deal_cannot_take_the_slug_of_a_page_under_deals(admin_client):
    response = admin_client.post(ADD_URL, deal_data(slug="league", figures=[figure()]))
    assert errors_of(response) == {
        "deal.slug": ["“league” is the address of a page under /deals/; choose another slug."]
    }
    assert not Deal.objects.exists()
