"""Nested create/update of a brief: facts, party roles, sources, quotes and notes in one request."""

import copy
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.validators import UniqueValidator

from ...models import Brief, Deal, DealStage, Party, Quote, Source
from ...models.choices import PartyRole
from ...services.rendering import BriefMarkupInvalid, linked_targets_for, validate_markup
from ...services.saving import Links, save_brief

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class SlugReferenceField(serializers.SlugRelatedField):
    """A slug or key naming an existing row. Checked as a slug before any query: some databases
    reject some strings outright (PostgreSQL and NUL bytes), which must be a 400, not a 500."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "invalid_slug": "“{value}” is not a valid slug.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _SLUG.fullmatch(data) or len(data) > 120:
            self.fail("invalid_slug", value=str(data)[:50].replace("\x00", ""))
        return super().to_internal_value(data)


class PartyLinkWriteSerializer(serializers.Serializer):
    party = SlugReferenceField(slug_field="slug", queryset=Party.objects.all(), help_text="Party slug.")
    role = serializers.ChoiceField(choices=PartyRole.choices)


class SourceLinkWriteSerializer(serializers.Serializer):
    source = SlugReferenceField(slug_field="key", queryset=Source.objects.all(), help_text="Source key.")


class QuoteLinkWriteSerializer(serializers.Serializer):
    quote = SlugReferenceField(slug_field="key", queryset=Quote.objects.all(), help_text="Quote key.")


class NoteWriteSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=100)
    text = serializers.CharField()


class DealLinkWriteSerializer(serializers.Serializer):
    deal = SlugReferenceField(slug_field="slug", queryset=Deal.objects.all(), help_text="Deal slug.")
    stage = serializers.IntegerField(
        min_value=0,
        allow_null=True,
        required=False,
        help_text="The stage the brief reports: its position (from 0) in the deal's `stages`.",
    )


class BriefWriteSerializer(serializers.ModelSerializer):
    """Each link list replaces the brief's list when given and is kept as it is when omitted.

    `body` is validated exactly as in the admin: every party:/source:/quote:/note: reference must
    be linked by this request (or already, for lists left out)."""

    slug = serializers.SlugField(max_length=120, validators=[UniqueValidator(queryset=Brief.objects.all())])
    deals = DealLinkWriteSerializer(many=True, required=False)
    parties = PartyLinkWriteSerializer(many=True, required=False)
    sources = SourceLinkWriteSerializer(many=True, required=False)
    quotes = QuoteLinkWriteSerializer(many=True, required=False)
    notes = NoteWriteSerializer(many=True, required=False)

    class Meta:
        model = Brief
        fields = [
            "title",
            "slug",
            "dek",
            "body",
            "status",
            "published_at",
            "deals",
            "parties",
            "sources",
            "quotes",
            "notes",
        ]

    def validate(self, attrs):
        links = {name: attrs.pop(name) for name in ("deals", "parties", "sources", "quotes", "notes") if name in attrs}
        # Status and publication time change only through the workflow's transitions (the view).
        attrs["_workflow"] = {name: attrs.pop(name) for name in ("status", "published_at") if name in attrs}
        self._check_duplicates(links)
        if "deals" in links:
            links["deals"] = self._deal_stages(links["deals"])
        self._check_model_rules(attrs)
        attrs["_checked_body"] = self._check_markup(attrs, links)
        attrs["_links"] = links
        return attrs

    def _check_duplicates(self, links):
        errors = {}
        for name, key_of in (
            ("deals", lambda item: item["deal"].pk),
            ("parties", lambda item: (item["party"].pk, item["role"])),
            ("sources", lambda item: item["source"].pk),
            ("quotes", lambda item: item["quote"].pk),
            ("notes", lambda item: item["key"]),
        ):
            seen, item_errors = set(), []
            for item in links.get(name, []):
                key = key_of(item)
                item_errors.append({"non_field_errors": ["Listed twice."]} if key in seen else {})
                seen.add(key)
            if any(item_errors):
                errors[name] = item_errors
        if errors:
            raise serializers.ValidationError(errors)

    def _deal_stages(self, items):
        """[(deal, stage or None)], each stage found by its position in its deal's stages."""
        stages = {}
        for stage in DealStage.objects.filter(deal__in=[item["deal"] for item in items]).order_by("position", "pk"):
            stages.setdefault(stage.deal_id, []).append(stage)
        resolved, errors = [], []
        for item in items:
            deal, position = item["deal"], item.get("stage")
            of_deal = stages.get(deal.pk, [])
            if position is not None and position >= len(of_deal):
                errors.append({"stage": [f"{deal.name} has {len(of_deal)} stage(s): no stage at position {position}."]})
                continue
            errors.append({})
            resolved.append((deal, of_deal[position] if position is not None else None))
        if any(errors):
            raise serializers.ValidationError({"deals": errors})
        return resolved

    def _candidate(self, attrs):
        candidate = copy.copy(self.instance) if self.instance is not None else Brief()
        for name, value in attrs.items():
            if not name.startswith("_"):
                setattr(candidate, name, value)
        return candidate

    def _check_model_rules(self, attrs):
        """The model's own rules (clean() and its database constraints), reported at API field paths."""
        candidate = self._candidate(attrs)
        try:
            candidate.clean()
            candidate.validate_constraints()
        except DjangoValidationError as error:
            raise serializers.ValidationError(_at_api_paths(error)) from None

    def _check_markup(self, attrs, links):
        brief = self.instance
        body = attrs.get("body", brief.body if brief else "")

        def given(name, value):
            return [value(item) for item in links[name]] if name in links else None

        linked = linked_targets_for(
            brief,
            parties=given("parties", lambda item: item["party"]),
            source_keys=given("sources", lambda item: item["source"].key),
            quote_keys=given("quotes", lambda item: item["quote"].key),
            note_keys=given("notes", lambda item: item["key"]),
        )
        try:
            return validate_markup(body, linked)
        except BriefMarkupInvalid as invalid:
            raise serializers.ValidationError({"body": markup_error_details(invalid)}) from None

    def create(self, validated_data):
        # The brief's own deal-fact columns are being replaced by its deals: a new brief gets the one
        # legacy value their database constraints accept without figures.
        return self._save(Brief(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, brief, validated_data):
        links = validated_data.pop("_links")
        validated_data.pop("_workflow", None)
        opened_version = validated_data.pop("_opened_version", None)
        checked_body = validated_data.pop("_checked_body", None)
        authors = validated_data.pop("authors", None)
        for name, value in validated_data.items():
            setattr(brief, name, value)
        try:
            return save_brief(
                brief,
                links=Links(
                    deals=links.get("deals"),
                    parties=[(item["party"], item["role"]) for item in links["parties"]]
                    if "parties" in links
                    else None,
                    sources=[item["source"] for item in links["sources"]] if "sources" in links else None,
                    quotes=[item["quote"] for item in links["quotes"]] if "quotes" in links else None,
                    notes=[(item["key"], item["text"]) for item in links["notes"]] if "notes" in links else None,
                ),
                authors=authors,
                opened_version=opened_version,
                checked_body=checked_body,
                user=self.context["request"].user if "request" in self.context else None,
                comment="Saved through the API.",
            )
        except BriefMarkupInvalid as invalid:  # validated above; a concurrent edit may still break it
            raise serializers.ValidationError({"body": markup_error_details(invalid)}) from None

    def to_representation(self, instance):
        from ...queries import brief_detail_queryset
        from .briefs import BriefDetailSerializer
        from .deals import embedded_deals_prefetch

        # The saved brief as a GET shows it to this user, prefetched: its annotations' targets are not
        # one query each, and its deals are the ones the user may see (the same representation, the same ETag).
        user = self.context["request"].user if "request" in self.context else None
        saved = (
            brief_detail_queryset(Brief.objects.filter(pk=instance.pk))
            .prefetch_related(embedded_deals_prefetch(user))
            .get()
        )
        return BriefDetailSerializer(saved, context=self.context).data


def markup_error_details(invalid):
    """Each markup problem as {message, reference, line}: the exception handler keeps them apart."""
    return [
        {"message": str(error), "reference": error.reference, "line": error.line, "code": error.code}
        for error in invalid.markup_errors
    ]


def _at_api_paths(error):
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    result = {}
    for field, field_errors in error.error_dict.items():
        messages = [ErrorDetail(message, code=e.code or "invalid") for e in field_errors for message in e.messages]
        result.setdefault(field if field != "__all__" else "non_field_errors", []).extend(messages)
    return result
