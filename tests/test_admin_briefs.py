"""The editor's brief admin, driven through the Django test client."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from briefs.models import Annotation, Brief, BriefParty, Note
from tests.deal_builders import brief_about, sourced_deal
from tests.factories import make_brief, make_party, make_quote, make_source

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:briefs_brief_add")
CHANGELIST_URL = reverse("admin:briefs_brief_changelist")


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def inline(prefix, rows, initial=0):
    """Management-form data plus one set of fields per row, as the admin page posts them."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def brief_data(body, *, deals=(), parties=(), sources=(), quotes=(), notes=(), initial=None, **fields):
    """POST data for the brief form with its five inlines; `initial` counts existing rows per prefix."""
    initial = initial or {}
    data = {
        "title": "Amazon to invest up to $4 billion in Anthropic",
        "slug": "amazon-anthropic-admin",
        "dek": "Amazon takes a minority stake now, with an option to reach $4 billion.",
        "body": body,
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "base_version": "1",  # the version the form was opened at (optimistic locking); new briefs are at 1
        **fields,
    }
    data.update(inline("deal_links", list(deals), initial.get("deal_links", 0)))
    data.update(inline("party_links", list(parties), initial.get("party_links", 0)))
    data.update(inline("source_links", list(sources), initial.get("source_links", 0)))
    data.update(inline("quote_links", list(quotes), initial.get("quote_links", 0)))
    data.update(inline("notes", list(notes), initial.get("notes", 0)))
    return data


def body_errors(response):
    return response.context["adminform"].form.errors.get("body", [])


@pytest.fixture
def library(db):
    """Parties, a source and a quote an editor links from the brief form."""
    amazon = make_party(name="Amazon", slug="amazon")
    anthropic = make_party(name="Anthropic", slug="anthropic")
    jassy = make_party(name="Andy Jassy", slug="andy-jassy", kind="person", affiliation=amazon)
    techcrunch = make_source(
        key="techcrunch-2023-09-25", title="Amazon to invest up to $4B in Anthropic", publisher="TechCrunch"
    )
    quote = make_quote(key="jassy-bedrock", text="Customers are quite excited", speaker=jassy, source=techcrunch)
    return {"amazon": amazon, "anthropic": anthropic, "jassy": jassy, "techcrunch": techcrunch, "quote": quote}


COMPLETE_BODY = (
    "[Amazon](party:amazon) will invest [up to $4 billion](source:techcrunch-2023-09-25) in\n"
    "[Anthropic](party:anthropic).\n"
    "\n"
    "[“Customers are quite excited”](quote:jassy-bedrock), said its chief executive, about\n"
    "[Claude-Next](note:claude-next).\n"
)


def complete_brief_data(library, body=COMPLETE_BODY, **fields):
    return brief_data(
        body,
        parties=[
            {"party": library["amazon"].pk, "role": "investor", "position": "0"},
            {"party": library["anthropic"].pk, "role": "target", "position": "1"},
        ],
        sources=[{"source": library["techcrunch"].pk, "position": "0"}],
        quotes=[{"quote": library["quote"].pk, "position": "0"}],
        notes=[{"key": "claude-next", "text": "Anthropic's planned next-generation model.", "position": "0"}],
        **fields,
    )


# Pages


def test_brief_changelist_shows_title_status_and_its_first_deals_size(admin_client):
    deal = sourced_deal(
        name="Amazon’s investment in Anthropic",
        figures=[
            {"kind": "amount", "amount": Decimal("1250000000"), "currency": "USD"},
            {"kind": "up_to", "amount": Decimal("4000000000"), "currency": "USD"},
        ],
    )
    brief = brief_about(deal, sourced_deal(name="Another deal"), title="Amazon to invest up to $4 billion in Anthropic")
    bare = brief_about(title="A brief about no deal")
    response = admin_client.get(CHANGELIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert brief.title in content and bare.title in content
    assert "Amazon’s investment in Anthropic: $1.25 billion, up to $4 billion" in content
    assert "Another deal" not in content  # the first deal only
    assert "Published" in content


def test_brief_add_page_renders_with_the_five_inlines_and_the_markup_cheat_sheet(admin_client):
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    content = response.content.decode()
    for prefix in ("deal_links", "party_links", "source_links", "quote_links", "notes"):
        assert f'name="{prefix}-TOTAL_FORMS"' in content
    assert "Markup cheat-sheet" in content
    for example in ("(party:amazon)", "(source:techcrunch-2023-09-25)", "(quote:jassy-bedrock)", "(note:claude-next)"):
        assert example in content
    assert "Raw HTML is not rendered" in content
    # Fieldsets, and the slug filled in from the title.
    for legend in ("Publication", "Related"):
        assert legend in content
    assert "Deal facts" not in content and 'name="amount"' not in content  # the brief's deals carry them
    assert "data-prepopulated-fields" in content and "#id_slug" in content


def test_brief_change_page_renders_with_a_preview_button_and_the_linked_rows(admin_client, demo_brief):
    response = admin_client.get(change_url(demo_brief))
    assert response.status_code == 200
    content = response.content.decode()
    preview = reverse("briefs:preview", kwargs={"pk": demo_brief.pk})
    assert f'href="{preview}"' in content
    assert "briefs-preview-link" in content
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert formsets["party_links"].initial_form_count() == demo_brief.party_links.count()
    assert formsets["notes"].initial_form_count() == demo_brief.notes.count()


# Creating and editing through the admin


def test_editor_creates_a_complete_brief_with_all_four_inlines_and_then_sees_it_published(
    admin_client, admin_user, library
):
    data = complete_brief_data(library)
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert brief.status == "draft"
    # Status changes only through the workflow buttons (briefs.admin.workflow): submit, then publish.
    transition_url = reverse("admin:briefs_brief_transition", args=[brief.pk])
    for name in ("submit", "publish"):
        assert admin_client.post(transition_url, {"transition": name, "comment": ""}).status_code == 302
    brief.refresh_from_db()
    assert brief.status == "published"
    assert list(brief.party_links.values_list("party__slug", "role")) == [
        ("amazon", "investor"),
        ("anthropic", "target"),
    ]
    assert list(brief.source_links.values_list("source__key", "number")) == [("techcrunch-2023-09-25", 1)]
    assert list(brief.quote_links.values_list("quote__key", flat=True)) == ["jassy-bedrock"]
    assert list(brief.notes.values_list("key", flat=True)) == ["claude-next"]
    assert list(brief.authors.all()) == [admin_user]
    # Rendered once everything was saved: HTML, text and one annotation per reference.
    assert brief.rendered_at is not None
    assert sorted(Annotation.objects.filter(brief=brief).values_list("kind", flat=True)) == [
        "note",
        "party",
        "party",
        "quote",
        "source",
    ]
    assert "Customers are quite excited" in brief.body_text

    public = admin_client.get(brief.get_absolute_url())
    assert public.status_code == 200
    page = public.content.decode()
    assert brief.title in page
    assert "Claude-Next" in page and "](quote:jassy-bedrock)" not in page
    assert "Customers are quite excited" in page
    # Anonymous readers see it too: it is published, not a preview.
    admin_client.logout()
    assert admin_client.get(brief.get_absolute_url()).status_code == 200


def test_body_with_an_unlinked_quote_rerenders_the_form_with_reference_and_line_and_saves_nothing(
    admin_client, library
):
    other = make_quote(key="jassy-2", speaker=library["jassy"])
    body = COMPLETE_BODY.replace("quote:jassy-bedrock", "quote:jassy-2")
    data = complete_brief_data(library, body=body)
    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert body_errors(response) == ["quote:jassy-2 is not linked to this brief: link it under Quotes, line 4"]
    content = response.content.decode()
    assert "quote:jassy-2 is not linked to this brief: link it under Quotes, line 4" in content
    # The editor's text and every inline row are still in the form.
    assert "[“Customers are quite excited”](quote:jassy-2), said its chief executive" in content
    assert response.context["adminform"].form["body"].value() == body
    formsets = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    assert formsets["party_links"].total_form_count() == 2
    assert formsets["notes"].forms[0]["key"].value() == "claude-next"
    assert "Anthropic&#x27;s planned next-generation model." in content
    assert not Brief.objects.exists()
    assert not BriefParty.objects.exists() and not Note.objects.exists()
    assert other.brief_links.count() == 0


def test_every_markup_problem_gets_its_own_message_on_the_body_field(admin_client, library):
    body = "[Google](party:google) and\n\n[Amazon](party:amazon) and [a note](note:missing) and\n[x](source:nowhere)"
    data = brief_data(body, parties=[{"party": library["amazon"].pk, "role": "investor", "position": "0"}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert len(body_errors(response)) == 3
    assert any("party:google" in message and message.endswith("line 1") for message in body_errors(response))
    assert any("note:missing" in message and message.endswith("line 3") for message in body_errors(response))
    assert any("source:nowhere" in message and message.endswith("line 4") for message in body_errors(response))
    assert not Brief.objects.exists()


def test_reference_to_a_party_deleted_in_the_same_post_is_rejected(admin_client, library):
    brief = make_brief(
        "[Amazon](party:amazon) invests in [Anthropic](party:anthropic).",
        parties=[(library["amazon"], "investor"), (library["anthropic"], "target")],
        published=False,
    )
    amazon_link, anthropic_link = brief.party_links.order_by("position")
    data = brief_data(
        brief.body,
        slug=brief.slug,
        parties=[
            {
                "id": amazon_link.pk,
                "brief": brief.pk,
                "party": library["amazon"].pk,
                "role": "investor",
                "position": "0",
                "DELETE": "on",
            },
            {
                "id": anthropic_link.pk,
                "brief": brief.pk,
                "party": library["anthropic"].pk,
                "role": "target",
                "position": "1",
            },
        ],
        initial={"party_links": 2},
    )
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 200
    assert body_errors(response) == [
        "party:amazon is not linked to this brief: link it under Parties in this deal, line 1"
    ]
    assert brief.party_links.count() == 2  # nothing deleted

    # Dropping the reference along with the link is accepted.
    data["body"] = "Amazon invests in [Anthropic](party:anthropic)."
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 302
    assert list(brief.party_links.values_list("party__slug", flat=True)) == ["anthropic"]
    assert list(brief.annotations.values_list("kind", "exact")) == [("party", "Anthropic")]


def test_references_to_rows_added_on_the_change_form_are_accepted_and_the_brief_is_rerendered(admin_client, library):
    brief = make_brief("[Amazon](party:amazon) invests.", parties=[(library["amazon"], "investor")], published=False)
    link = brief.party_links.get()
    body = "[Amazon](party:amazon) invests in [Anthropic](party:anthropic) ([why](note:why))."
    data = brief_data(
        body,
        slug=brief.slug,
        parties=[
            {"id": link.pk, "brief": brief.pk, "party": library["amazon"].pk, "role": "investor", "position": "0"},
            {"brief": brief.pk, "party": library["anthropic"].pk, "role": "target", "position": "1"},
        ],
        notes=[{"brief": brief.pk, "key": "why", "text": "Cloud credits.", "position": "0"}],
        initial={"party_links": 1},
    )
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 302
    brief.refresh_from_db()
    assert 'data-ref="party:anthropic"' in brief.body_html and 'data-ref="note:why"' in brief.body_html
    assert sorted(brief.annotations.values_list("kind", flat=True)) == ["note", "party", "party"]


def test_a_brief_links_its_deals_inline_with_the_stage_it_reports(admin_client, library):
    deal = sourced_deal(stages=[{"description": "First tranche", "occurred_on": "2023-09-25"}])
    tranche = deal.stages.get()
    data = brief_data("A brief.", deals=[{"deal": deal.pk, "stage": tranche.pk, "position": ""}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302
    link = Brief.objects.get().deal_links.get()
    assert (link.deal, link.stage, link.position) == (deal, tranche, 0)
    page = admin_client.get(change_url(link.brief)).content.decode()
    formset = next(
        f.formset
        for f in admin_client.get(change_url(link.brief)).context["inline_admin_formsets"]
        if f.formset.prefix == "deal_links"
    )
    assert set(formset.forms[0].fields["stage"].queryset) == {tranche}  # that deal's stages only
    assert "First tranche" in page


def test_a_stage_of_another_deal_is_refused_on_the_stage_field(admin_client, library):
    deal = sourced_deal(name="Amazon’s investment in Anthropic")
    other = sourced_deal(name="Google’s investment", stages=[{"description": "Google's tranche"}])
    data = brief_data("A brief.", deals=[{"deal": deal.pk, "stage": other.stages.get().pk, "position": "0"}])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "deal_links")
    assert formset.forms[0].errors["stage"] == [
        "“Google's tranche” is a stage of “Google’s investment”, not of “Amazon’s investment in Anthropic”: "
        "choose one of this deal's stages (save the deal first to see them here), or none."
    ]
    assert not Brief.objects.exists()


def test_markup_and_deal_link_errors_are_reported_together(admin_client, library):
    deal, other = sourced_deal(), sourced_deal(stages=[{"description": "Elsewhere"}])
    data = brief_data("[Who](party:nobody)", deals=[{"deal": deal.pk, "stage": other.stages.get().pk}])
    response = admin_client.post(ADD_URL, data)
    errors = response.context["adminform"].form.errors
    assert errors["body"] == [
        "party:nobody: no party has the slug nobody; create it, then link it under Parties in this deal, line 1"
    ]
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "deal_links")
    assert "stage" in formset.forms[0].errors


# Preview and view on site


def test_preview_link_on_a_draft_opens_the_staff_preview(admin_client, library):
    brief = make_brief("[Amazon](party:amazon) invests.", parties=[(library["amazon"], "investor")], published=False)
    page = admin_client.get(change_url(brief)).content.decode()
    preview = reverse("briefs:preview", kwargs={"pk": brief.pk})
    assert f'href="{preview}"' in page
    response = admin_client.get(preview)
    assert response.status_code == 200
    assert response.context["is_preview"] is True
    assert brief.title in response.content.decode()
    assert admin_client.get(brief.get_absolute_url()).status_code == 404


def test_preview_redirects_anonymous_users_to_the_login_page(client, library):
    brief = make_brief("A draft.", published=False)
    response = client.get(reverse("briefs:preview", kwargs={"pk": brief.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_view_on_site_is_the_public_page_when_live_and_the_preview_otherwise(admin_client):
    live = make_brief("Live.")
    draft = make_brief("Draft.", published=False)
    scheduled = make_brief(
        "Later.", status="scheduled", published_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    )
    assert live.get_absolute_url() in admin_client.get(change_url(live)).content.decode()
    for brief in (draft, scheduled):
        page = admin_client.get(change_url(brief)).content.decode()
        assert brief.get_absolute_url() not in page
        assert 'class="viewsitelink"' in page


# Search and filters


def test_brief_search_finds_by_title_dek_slug_and_party_name(admin_client):
    ollama = make_party(name="Ollamaworks")
    by_party = make_brief("x", title="First", parties=[(ollama, "target")])
    by_dek = make_brief("x", title="Second", dek="A quantum annealing deal.")
    by_slug = make_brief("x", title="Third", slug="zebra-merger")
    other = make_brief("x", title="Fourth")

    def found(term):
        return set(admin_client.get(CHANGELIST_URL, {"q": term}).context["cl"].result_list)

    assert found("ollamaworks") == {by_party}
    assert found("quantum annealing") == {by_dek}
    assert found("zebra") == {by_slug}
    assert found("Fourth") == {other}


def test_brief_list_filters_by_status_and_by_its_deals_type_and_status(admin_client):
    draft = brief_about(sourced_deal(deal_type="acquisition", status="rumoured"), published=False)
    live = brief_about(sourced_deal(deal_type="investment"))

    def listed(**params):
        return set(admin_client.get(CHANGELIST_URL, params).context["cl"].result_list)

    assert listed(status__exact="draft") == {draft}
    assert listed(deal_links__deal__deal_type="investment") == {live}
    assert listed(deal_links__deal__status="rumoured") == {draft}
    assert listed(published_at__isnull="True") == {draft}


# Permissions


def test_staff_user_without_permissions_cannot_open_the_brief_admin_or_preview_drafts(client, django_user_model):
    draft = make_brief("A draft.", published=False)
    staff = django_user_model.objects.create_user("intern", password="x-Not-used-1", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    assert client.get(reverse("briefs:preview", kwargs={"pk": draft.pk})).status_code == 404

    staff.user_permissions.add(Permission.objects.get(codename="view_brief"))
    client.force_login(django_user_model.objects.get(pk=staff.pk))
    assert client.get(CHANGELIST_URL).status_code == 200
    assert client.get(reverse("briefs:preview", kwargs={"pk": draft.pk})).status_code == 200
    # Viewing is not changing.
    assert client.post(change_url(draft), brief_data("Changed.", slug=draft.slug)).status_code == 403


def test_link_rows_added_without_a_position_go_after_the_existing_ones_in_form_order(admin_client, library):
    brief = make_brief("x", sources=[library["techcrunch"]], published=False)
    existing = brief.source_links.get()
    first, second = make_source(key="added-first"), make_source(key="added-second")
    data = brief_data(
        "x",
        slug=brief.slug,
        sources=[
            {"id": existing.pk, "brief": brief.pk, "source": library["techcrunch"].pk, "position": "0"},
            {"brief": brief.pk, "source": first.pk, "position": ""},
            {"brief": brief.pk, "source": second.pk, "position": ""},
        ],
        initial={"source_links": 1},
    )
    assert admin_client.post(change_url(brief), data).status_code == 302
    assert list(brief.source_links.order_by("position").values_list("source__key", "position")) == [
        ("techcrunch-2023-09-25", 0),
        ("added-first", 1),
        ("added-second", 2),
    ]
    # Uncited sources are numbered after the cited ones, in that order.
    assert list(brief.source_links.order_by("number").values_list("source__key", flat=True)) == [
        "techcrunch-2023-09-25",
        "added-first",
        "added-second",
    ]


@pytest.fixture
def editor(django_user_model):
    """A staff editor with the brief permissions and view access to the library, nothing more."""
    user = django_user_model.objects.create_user("editor", password="x-Not-used-1", is_staff=True)
    codenames = ["add_brief", "change_brief", "view_brief", "view_party", "view_source", "view_quote", "view_deal"]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="briefs", codename__in=codenames))
    return user


def test_an_editor_with_only_the_brief_permissions_edits_every_inline_and_uses_the_autocomplete(
    client, editor, library
):
    client.force_login(editor)
    page = client.get(ADD_URL)
    assert {f.formset.prefix for f in page.context["inline_admin_formsets"]} == {
        "deal_links",
        "party_links",
        "source_links",
        "quote_links",
        "notes",
    }
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "briefs",
            "model_name": "briefparty",
            "field_name": "party",
            "term": "anthro",
        },
    )
    assert [row["text"] for row in autocomplete.json()["results"]] == ["Anthropic"]
    sourced_deal(name="Amazon’s investment in Anthropic")
    deals = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "briefs", "model_name": "briefdeal", "field_name": "deal", "term": "anthropic"},
    )
    assert [row["text"] for row in deals.json()["results"]] == ["Amazon’s investment in Anthropic"]

    response = client.post(ADD_URL, complete_brief_data(library))
    assert response.status_code == 302, response.context and response.context["errors"]
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert brief.party_links.count() == 2 and brief.notes.count() == 1
    assert list(brief.authors.all()) == [editor]


def test_without_link_formsets_the_body_is_checked_against_the_saved_links(rf, admin_user, library):
    from django.contrib import admin as django_admin

    from briefs.admin.briefs import BriefAdmin

    brief = make_brief("[Amazon](party:amazon).", parties=[(library["amazon"], "investor")], published=False)
    request = rf.post("/")
    request.user = admin_user
    form_class = BriefAdmin(Brief, django_admin.site).get_form(request, brief, change=True)
    fields = {k: v for k, v in brief_data("x", slug=brief.slug).items() if "-" not in k}

    form = form_class({**fields, "body": "[Amazon](party:amazon) and\n[Zoom](party:zoom)."}, instance=brief)
    assert not form.is_valid()
    assert form.errors["body"] == [
        "party:zoom: no party has the slug zoom; create it, then link it under Parties in this deal, line 2"
    ]

    request = rf.post("/")
    request.user = admin_user
    form_class = BriefAdmin(Brief, django_admin.site).get_form(request, brief, change=True)
    form = form_class({**fields, "body": "[Amazon](party:amazon) again."}, instance=brief)
    assert form.is_valid(), form.errors


def test_save_and_preview_saves_the_brief_then_opens_its_preview(admin_client, library):
    assert 'name="_preview"' in admin_client.get(ADD_URL).content.decode()
    response = admin_client.post(ADD_URL, {**complete_brief_data(library), "_preview": "Save and preview"})
    brief = Brief.objects.get(slug="amazon-anthropic-admin")
    assert response.status_code == 302
    assert response["Location"] == reverse("briefs:preview", kwargs={"pk": brief.pk})
    preview = admin_client.get(response["Location"])
    assert preview.status_code == 200 and preview.context["is_preview"] is True

    data = {**complete_brief_data(library, title="Amazon and Anthropic", slug=brief.slug), "_preview": "1"}
    data.update(
        {
            "party_links-INITIAL_FORMS": "2",
            "party_links-0-id": str(brief.party_links.get(party__slug="amazon").pk),
            "party_links-1-id": str(brief.party_links.get(party__slug="anthropic").pk),
            "source_links-INITIAL_FORMS": "1",
            "source_links-0-id": str(brief.source_links.get().pk),
            "quote_links-INITIAL_FORMS": "1",
            "quote_links-0-id": str(brief.quote_links.get().pk),
            "notes-INITIAL_FORMS": "1",
            "notes-0-id": str(brief.notes.get().pk),
        }
    )
    response = admin_client.post(change_url(brief), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("briefs:preview", kwargs={"pk": brief.pk})
    brief.refresh_from_db()
    assert brief.title == "Amazon and Anthropic"
    assert brief.party_links.count() == 2 and brief.notes.count() == 1
