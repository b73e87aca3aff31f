"""django-filter FilterSets for the list endpoints."""

import datetime

import django_filters as filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, OuterRef, Subquery
from rest_framework.exceptions import ValidationError

from ..models import Brief, BriefDeal, BriefParty, Deal, DealParticipant, Party
from ..models.choices import (
    BriefStatus,
    DealStatus,
    DealType,
    FundingSeries,
    ParticipantRole,
    PartyKind,
    PartyRole,
    currency_choices,
)


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """ISO 8601 with any offset, compared in UTC (PostgreSQL refuses some offsets as given)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise ValidationError({"updated_since": ["Date and time out of range."]}) from None
        return super().filter(qs, value)


class StableOrderingFilter(filters.OrderingFilter):
    """Ordering by the given fields, nulls last, then newest id: a stable order for paging."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            descending = param.startswith("-")
            field = self.param_map[param.lstrip("-")]
            expression = F(field)
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "-pk")


class StrictFilterSet(filters.FilterSet):
    """A FilterSet that ignores no parameter it knows: a given but empty value is a 400 naming it, as
    is a range whose lower bound is above its upper (RANGES: (lower, upper) parameter names)."""

    RANGES = ()

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and any(not str(value).strip() for value in self.data.getlist(name)):
                self.form.add_error(name, DjangoValidationError("Give a value, or leave the parameter out.", "blank"))
                valid = False
        data = getattr(self.form, "cleaned_data", {})
        for lower, upper in self.RANGES:
            if data.get(lower) is not None and data.get(upper) is not None and data[lower] > data[upper]:
                self.form.add_error(
                    lower, DjangoValidationError(f"{lower} must not exceed {upper}: nothing can match.", "empty_range")
                )
                valid = False
        return valid


class BriefFilter(StrictFilterSet):
    party = filters.CharFilter(method="filter_party_role", help_text="Slug of a party in the brief.")
    role = filters.ChoiceFilter(
        choices=PartyRole.choices,
        method="filter_party_role",
        help_text="A party's role in the brief; with `party`, that party's role.",
    )
    # The deal conditions apply to one deal the brief is about, all together (see filter_deals).
    deal_type = filters.ChoiceFilter(choices=DealType.choices, method="filter_deals", help_text="A deal's type.")
    announced_after = filters.DateFilter(
        method="filter_deals", help_text="A deal announced on or after (YYYY-MM-DD); not after `announced_before`."
    )
    announced_before = filters.DateFilter(
        method="filter_deals", help_text="A deal announced on or before (YYYY-MM-DD)."
    )
    amount_min = filters.NumberFilter(
        method="filter_deals",
        help_text="A deal whose headline size in US dollars is at least this (any currency); not above `amount_max`.",
    )
    amount_max = filters.NumberFilter(
        method="filter_deals", help_text="A deal whose headline size in US dollars is at most this (any currency)."
    )
    status = filters.ChoiceFilter(
        choices=BriefStatus.choices, help_text="Staff only: others see published briefs whatever they ask."
    )
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this time (ISO 8601), for syncing."
    )
    ordering = StableOrderingFilter(
        fields=(
            ("deal_announced_on", "announced_on"),
            ("published_at", "published_at"),
            ("deal_usd", "amount"),
            ("title", "title"),
            ("updated_at", "updated_at"),
        ),
        help_text="announced_on, published_at, amount (headline USD), title or updated_at (announced_on and "
        "amount: of the brief's first deal); prefix - for descending.",
    )

    RANGES = (("amount_min", "amount_max"), ("announced_after", "announced_before"))
    DEAL_CONDITIONS = {
        "deal_type": "deal__deal_type",
        "announced_after": "deal__announced_on__gte",
        "announced_before": "deal__announced_on__lte",
        "amount_min": "deal__headline_usd__gte",
        "amount_max": "deal__headline_usd__lte",
    }

    class Meta:
        model = Brief
        fields = []

    def filter_queryset(self, queryset):
        first_deal = BriefDeal.objects.filter(brief=OuterRef("pk")).order_by("position", "pk")
        queryset = queryset.alias(
            deal_announced_on=Subquery(first_deal.values("deal__announced_on")[:1]),
            deal_usd=Subquery(first_deal.values("deal__headline_usd")[:1]),
        )
        return super().filter_queryset(queryset)

    def filter_deals(self, queryset, name, value):
        # Handled once, for the first condition given, with every condition given.
        data = self.form.cleaned_data
        given = {key: data[key] for key in self.DEAL_CONDITIONS if data.get(key) not in (None, "")}
        if not given or name != next(iter(given)):
            return queryset
        links = BriefDeal.objects.filter(**{self.DEAL_CONDITIONS[key]: value for key, value in given.items()})
        return queryset.filter(pk__in=links.values("brief_id"))

    def filter_party_role(self, queryset, name, value):
        # party and role apply to the same link: handled once, with both values.
        party, role = self.form.cleaned_data.get("party"), self.form.cleaned_data.get("role")
        if name == "role" and party:
            return queryset
        links = BriefParty.objects.all()
        if party:
            links = links.filter(party__slug=party)
        if role:
            links = links.filter(role=role)
        return queryset.filter(pk__in=links.values("brief_id"))


class BriefSyncFilter(BriefFilter):
    ordering = None  # the cursor fixes the order: least recently changed first

    class Meta(BriefFilter.Meta):
        pass


class PartyFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=PartyKind.choices)
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Party
        fields = []


class DealFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=DealStatus.choices)
    series = filters.ChoiceFilter(choices=FundingSeries.choices, help_text="Funding rounds: the series.")
    deal_type = filters.ChoiceFilter(choices=DealType.choices)
    party = filters.CharFilter(method="filter_participant", help_text="Slug of a party taking part.")
    role = filters.ChoiceFilter(
        choices=ParticipantRole.choices,
        method="filter_participant",
        help_text="A role in the deal; with `party`, that party's role.",
    )
    lead = filters.CharFilter(method="filter_lead", help_text="Slug of the party that led the round.")
    amount_usd_min = filters.NumberFilter(
        field_name="headline_usd",
        lookup_expr="gte",
        help_text="Headline size in US dollars at least this; not above `amount_usd_max`.",
    )
    amount_usd_max = filters.NumberFilter(
        field_name="headline_usd", lookup_expr="lte", help_text="Headline size in US dollars at most this."
    )
    announced_after = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="gte",
        help_text="On or after (YYYY-MM-DD); not after `announced_before`.",
    )
    announced_before = filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", help_text="On or before (YYYY-MM-DD)."
    )
    year = filters.NumberFilter(
        method="filter_year",
        decimal_places=0,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Announced in this year (e.g. 2024).",
    )
    currency = filters.ChoiceFilter(
        field_name="headline_currency", choices=currency_choices, help_text="Headline size in this currency (ISO 4217)."
    )
    ordering = StableOrderingFilter(
        fields=(
            ("announced_on", "announced_on"),
            ("headline_usd", "headline_usd"),
            ("name", "name"),
            ("target_name", "target"),
            ("lead_name", "lead"),
        ),
        help_text="announced_on, headline_usd (unknown sizes last either way), name, target or lead (the first "
        "target's or lead investor's name; deals without one last); prefix - for descending.",
    )

    RANGES = (("amount_usd_min", "amount_usd_max"), ("announced_after", "announced_before"))

    class Meta:
        model = Deal
        fields = []

    def filter_queryset(self, queryset):
        first = DealParticipant.objects.filter(deal=OuterRef("pk")).order_by("position", "pk")
        queryset = queryset.alias(
            target_name=Subquery(first.filter(role=ParticipantRole.TARGET).values("party__name")[:1]),
            lead_name=Subquery(first.filter(is_lead=True).values("party__name")[:1]),
        )
        return super().filter_queryset(queryset)

    def filter_year(self, queryset, name, value):
        # A date range rather than __year, so the announcement index serves it.
        year = int(value)
        return queryset.filter(
            announced_on__gte=datetime.date(year, 1, 1), announced_on__lte=datetime.date(year, 12, 31)
        )

    def filter_participant(self, queryset, name, value):
        # party and role apply to the same participant: handled once, with both values.
        party, role = self.form.cleaned_data.get("party"), self.form.cleaned_data.get("role")
        if name == "role" and party:
            return queryset
        rows = DealParticipant.objects.all()
        if party:
            rows = rows.filter(party__slug=party)
        if role:
            rows = rows.filter(role=role)
        return queryset.filter(pk__in=rows.values("deal_id"))

    def filter_lead(self, queryset, name, value):
        leads = DealParticipant.objects.filter(party__slug=value, is_lead=True)
        return queryset.filter(pk__in=leads.values("deal_id"))
