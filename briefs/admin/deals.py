"""The deal admin: a deal with its participants, stages and figures inline, saved through the one
deal save path (briefs.services.deals.save_deal) after its cross-row rules are checked
(briefs.admin.deal_checks). What is derived at save time (USD equivalents, the headline) is shown,
never edited, with the reason whenever there is no US-dollar figure."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html

from ..deal_wording import describe_size
from ..exchange import usd_equivalent
from ..models import Deal, DealFigure, DealParticipant, DealStage
from ..money import format_money
from ..services.deals import save_deal
from . import deal_checks
from .accepted_text import AcceptedTextAdmin
from .inlines import POSITION_WIDGET, save_in_order


def with_default_currency(db_field, kwargs):
    """Form-field arguments where a currency field starts at DEFAULT_CURRENCY.

    An extra inline row left as it was shown (only the default currency in it) is unchanged, so the
    admin does not save it."""
    if db_field.name == "currency" and settings.DEFAULT_CURRENCY:
        return {"initial": settings.DEFAULT_CURRENCY, **kwargs}
    return kwargs


class DealForm(deal_checks.DealRulesFormMixin, forms.ModelForm):
    class Meta:
        model = Deal
        fields = "__all__"  # noqa: DJ007 (the admin chooses fields through its fieldsets)


class DealRowForm(deal_checks.DealRulesFormMixin, forms.ModelForm):
    pass


def usd_text(row):
    """A row's US-dollar equivalent with its rate, or why there is none."""
    if row is None or row.pk is None or row.amount is None:
        return "—"
    if row.amount_usd is None:
        return f"no USD: {row.usd_unavailable or 'not worked out yet'}"
    return f"{format_money(row.amount_usd, 'USD')} (at {row.usd_rate} USD per {row.currency}, ECB {row.usd_rate_on})"


class DealRowInline(admin.TabularInline):
    """A deal's rows are part of the deal: whoever may edit the deal may edit them."""

    form = DealRowForm
    extra = 1
    ordering = ["position", "pk"]
    deal_rows = None  # the deal_problems argument these rows are

    def _deal_perm(self, request, action):
        return request.user.has_perm(f"briefs.{action}_deal")

    def has_add_permission(self, request, obj):
        return self._deal_perm(request, "change" if obj is not None else "add")

    def has_change_permission(self, request, obj=None):
        return self._deal_perm(request, "change" if obj is not None else "add")

    def has_delete_permission(self, request, obj=None):
        return self._deal_perm(request, "change")

    def has_view_permission(self, request, obj=None):
        return self._deal_perm(request, "view") or self.has_change_permission(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs.update(widget=POSITION_WIDGET, help_text="", required=False, initial=None)
        return super().formfield_for_dbfield(db_field, request, **with_default_currency(db_field, kwargs))

    @admin.display(description="in USD")
    def usd(self, row):
        return usd_text(row)


class ParticipantInline(DealRowInline):
    model = DealParticipant
    deal_rows = "participants"
    fields = ["party", "role", "is_lead", "amount", "currency", "position", "usd"]
    readonly_fields = ["usd"]
    autocomplete_fields = ["party"]


class StageInline(DealRowInline):
    model = DealStage
    deal_rows = "stages"
    fields = ["position", "occurred_on", "precision", "status", "description", "amount", "currency", "usd"]
    readonly_fields = ["usd"]


class FigureInline(DealRowInline):
    model = DealFigure
    deal_rows = "figures"
    fields = ["stage", "kind", "basis", "amount", "currency", "percent", "as_of", "source", "reported_by"]
    fields += ["position", "usd"]
    readonly_fields = ["usd"]
    autocomplete_fields = ["source"]
    verbose_name_plural = "figures (each as one source gives it: two sources that disagree are two figures)"

    def get_formset(self, request, obj=None, **kwargs):
        self._deal = obj  # the stage choices are this deal's stages
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            deal = getattr(self, "_deal", None)
            kwargs["queryset"] = DealStage.objects.filter(deal=deal) if deal is not None else DealStage.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Deal)
class DealAdmin(AcceptedTextAdmin, admin.ModelAdmin):
    form = DealForm
    inlines = [ParticipantInline, StageInline, FigureInline]
    list_display = ["name", "deal_type", "status", "announced_on", "headline", "is_public"]
    list_filter = ["deal_type", "status", "series", "amount_disclosure", "announced_on"]
    search_fields = ["name", "slug", "summary", "participants__party__name"]
    date_hierarchy = "announced_on"
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["headline_summary", "reported_summary"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "deal_type", ("series", "series_qualifier"), "summary"]}),
        (
            "Status and dates",
            {
                "fields": [
                    "status",
                    "rumoured_on",
                    ("announced_on", "announced_precision"),
                    ("expected_close_on", "expected_close_precision"),
                    ("closed_on", "closed_precision"),
                    "ended_on",
                ]
            },
        ),
        (
            "Size",
            {
                "fields": [
                    "amount_disclosure",
                    "currency",
                    "stake_description",
                    "headline_summary",
                    "reported_summary",
                ],
                "description": "The amounts themselves are figures, below: exact sums in their currency, "
                "e.g. 1250000000 for $1.25 billion, each naming its source. The headline is worked out "
                "from the official figures when the deal is saved.",
            },
        ),
    ]

    def get_queryset(self, request):
        public = Deal.objects.public().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(public=Exists(public)).prefetch_related("figures")

    @admin.display(description="headline")
    def headline(self, deal):
        return describe_size(deal) or "—"

    @admin.display(description="public?", boolean=True, ordering="public")
    def is_public(self, deal):
        return deal.public

    @admin.display(description="headline size")
    def headline_summary(self, deal):
        if deal is None or deal.pk is None:
            return "Worked out from the official figures when the deal is saved."
        if deal.headline_amount is None:
            return "None: no official amount, “up to” or total to date among the figures."
        native = format_money(deal.headline_amount, deal.headline_currency)
        kind = deal.get_headline_kind_display().lower()
        if deal.headline_usd is None:
            reason = usd_equivalent(deal.headline_amount, deal.headline_currency, deal.announced_on).unavailable
            return f"{native} ({kind}); no USD: {reason}"
        if deal.headline_currency == "USD":
            return f"{native} ({kind})"
        return format_html(
            "{} ({}) = {} at {} USD per {}, the ECB rate of {}",
            native,
            kind,
            format_money(deal.headline_usd, "USD"),
            deal.headline_usd_rate,
            deal.headline_currency,
            deal.headline_usd_rate_on,
        )

    @admin.display(description="largest reported size")
    def reported_summary(self, deal):
        if deal is None or deal.reported_usd is None:
            return "—"
        return format_money(deal.reported_usd, "USD")

    # The form and its rows, checked together.

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(db_field, request, **with_default_currency(db_field, kwargs))

    def get_form(self, request, obj=None, change=False, **kwargs):
        return deal_checks.bind_form(super().get_form(request, obj, change=change, **kwargs), self._submission(request))

    def get_formsets_with_inlines(self, request, obj=None):
        submission = self._submission(request)
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            yield deal_checks.bind_formset(formset_class, submission, inline.deal_rows), inline

    def _submission(self, request):
        return deal_checks.submission_for(request)

    # Saving: the deal and its rows go through save_deal, which works out what is derived and
    # announces the change once it commits.

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        def save_rows(deal):
            form.save_m2m()
            for formset in formsets:
                save_in_order(formset)

        form.instance = save_deal(form.instance, rows=save_rows, user=request.user)
