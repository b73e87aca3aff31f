"""django-filter FilterSets for the list endpoints."""

import datetime

import django_filters as filters
from django.db.models import F
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError

from ..models import Brief, BriefParty, Party
from ..models.choices import BriefStatus, DealType, PartyKind, PartyRole, currency_codes


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


class BriefFilter(filters.FilterSet):
    party = filters.CharFilter(method="filter_party_role", help_text="Slug of a party in the deal.")
    role = filters.ChoiceFilter(
        choices=PartyRole.choices,
        method="filter_party_role",
        help_text="A role in the deal; with `party`, that party's role.",
    )
    deal_type = filters.ChoiceFilter(choices=DealType.choices)
    announced_after = filters.DateFilter(
        field_name="announced_on", lookup_expr="gte", help_text="On or after (YYYY-MM-DD)."
    )
    announced_before = filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", help_text="On or before (YYYY-MM-DD)."
    )
    amount_min = filters.NumberFilter(
        field_name="headline_amount",
        lookup_expr="gte",
        help_text="Headline amount (the amount, else the “up to” maximum) at least this; needs `currency`.",
    )
    amount_max = filters.NumberFilter(
        field_name="headline_amount", lookup_expr="lte", help_text="Headline amount at most this; needs `currency`."
    )
    currency = filters.ChoiceFilter(choices=[(code, code) for code in sorted(currency_codes())])
    status = filters.ChoiceFilter(
        choices=BriefStatus.choices, help_text="Staff only: others see published briefs whatever they ask."
    )
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this time (ISO 8601), for syncing."
    )
    ordering = StableOrderingFilter(
        fields=(
            ("announced_on", "announced_on"),
            ("published_at", "published_at"),
            ("headline_amount", "amount"),
            ("title", "title"),
            ("updated_at", "updated_at"),
        ),
        help_text="announced_on, published_at, amount, title or updated_at; prefix - for descending.",
    )

    class Meta:
        model = Brief
        fields = []

    @property
    def qs(self):
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if (data.get("amount_min") is not None or data.get("amount_max") is not None) and not data.get("currency"):
            raise ValidationError(
                {
                    "currency": [
                        "Give a currency with amount_min or amount_max: amounts in different currencies do not compare."
                    ]
                }
            )
        return super().qs

    def filter_queryset(self, queryset):
        queryset = queryset.alias(headline_amount=Coalesce("amount", "amount_up_to"))
        return super().filter_queryset(queryset)

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


class PartyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PartyKind.choices)
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Party
        fields = []
