"""Nested create/update of a deal: the deal with its participants, stages and figures in one request.

Participants and figures given replace the deal's own. Stages are matched by `id`: a stage with
the id of one of the deal's stages updates it (so briefs reporting it keep pointing at it), one
without an id is new, and a stage left out is removed with its figures. A figure names its stage
by position in `stages` (the request's, else the deal's). Every rule the deal breaks, across
rows too (services.deals.deal_problems), is a 400 naming its field path ("participants[1].amount").
"""

import copy
import re

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from ...models import Deal, DealFigure, DealParticipant, DealStage, Party, Source
from ...models.choices import (
    DatePrecision,
    DealStatus,
    DealType,
    FigureBasis,
    FigureKind,
    ParticipantRole,
    currency_codes,
)
from ...services.deals import deal_problems, save_deal
from .deals import DEAL_FACTS, DealSerializer, deal_queryset
from .writes import SlugReferenceField

MONEY = {"max_digits": 20, "decimal_places": 2, "min_value": 0, "allow_null": True, "required": False}
ROWS = ("participants", "stages", "figures")


def _currency():
    return serializers.ChoiceField(
        choices=sorted(currency_codes()), allow_blank=True, required=False, default="", help_text="ISO 4217 code."
    )


class ParticipantWriteSerializer(serializers.Serializer):
    party = SlugReferenceField(slug_field="slug", queryset=Party.objects.all(), help_text="Party slug.")
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    is_lead = serializers.BooleanField(default=False, help_text="Led the round (investors only).")
    amount = serializers.DecimalField(**MONEY, help_text='What it committed, e.g. "250000000.00".')
    currency = _currency()


class StageWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, min_value=1, help_text="One of the deal's stages, to update it.")
    occurred_on = serializers.DateField(allow_null=True, required=False)
    precision = serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)
    status = serializers.ChoiceField(choices=DealStatus.choices, default=DealStatus.ANNOUNCED)
    description = serializers.CharField(max_length=300)
    amount = serializers.DecimalField(**MONEY)
    currency = _currency()


class FigureWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FigureKind.choices)
    basis = serializers.ChoiceField(choices=FigureBasis.choices, default=FigureBasis.OFFICIAL)
    stage = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, help_text="Position (from 0) of its stage in `stages`."
    )
    amount = serializers.DecimalField(**MONEY)
    currency = _currency()
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, required=False
    )
    as_of = serializers.DateField(allow_null=True, required=False)
    source = SlugReferenceField(
        slug_field="key", queryset=Source.objects.all(), allow_null=True, required=False, help_text="Source key."
    )
    reported_by = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")


class DealWriteSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=120, validators=[UniqueValidator(queryset=Deal.objects.all())])
    type = serializers.ChoiceField(source="deal_type", choices=DealType.choices, default=DealType.INVESTMENT)
    currency = serializers.ChoiceField(
        choices=sorted(currency_codes()), allow_blank=True, required=False, help_text="ISO 4217 code."
    )
    participants = ParticipantWriteSerializer(many=True, required=False)
    stages = StageWriteSerializer(many=True, required=False)
    figures = FigureWriteSerializer(many=True, required=False)

    class Meta:
        model = Deal
        fields = [
            "slug",
            "name",
            *DEAL_FACTS,
            "participants",
            "stages",
            "figures",
        ]

    def validate(self, attrs):
        given = {name: attrs.pop(name) for name in ROWS if name in attrs}
        deal = copy.copy(self.instance) if self.instance is not None else Deal()
        for name, value in attrs.items():
            setattr(deal, name, value)
        errors = {}
        participants = self._participants(given, errors)
        stages = self._stages(given, errors)
        figures = self._figures(given, stages, errors)
        if not errors:
            for problem in deal_problems(deal, participants, stages, figures):
                _add_error(errors, problem.field, problem.message)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["_rows"] = {
            name: rows
            for name, rows in (("participants", participants), ("stages", stages), ("figures", figures))
            if name in given
        }
        return attrs

    def _saved(self, related):
        return list(getattr(self.instance, related).all()) if self.instance is not None else []

    def _participants(self, given, errors):
        if "participants" not in given:
            return self._saved("participants")
        rows, seen = [], set()
        for i, item in enumerate(given["participants"]):
            key = (item["party"].pk, item["role"])
            if key in seen:
                _add_error(errors, f"participants[{i}].party", "This party is listed twice in this role.")
            seen.add(key)
            rows.append(DealParticipant(position=i, **item))
        return rows

    def _stages(self, given, errors):
        if "stages" not in given:
            return self._saved("stages")
        saved = {stage.pk: stage for stage in self._saved("stages")}
        rows, seen = [], set()
        for i, item in enumerate(given["stages"]):
            item = dict(item)
            pk = item.pop("id", None)
            if pk is not None and pk not in saved:
                _add_error(errors, f"stages[{i}].id", f"This deal has no stage {pk}: leave the id out for a new stage.")
            elif pk is not None and pk in seen:
                _add_error(errors, f"stages[{i}].id", "This stage is listed twice.")
            seen.add(pk)
            stage = copy.copy(saved[pk]) if pk in saved else DealStage()
            for name, value in item.items():
                setattr(stage, name, value)
            stage.position = i
            rows.append(stage)
        return rows

    def _figures(self, given, stages, errors):
        if "figures" not in given:
            return self._saved("figures")
        rows = []
        for i, item in enumerate(given["figures"]):
            item = dict(item)
            index = item.pop("stage", None)
            stage = None
            if index is not None:
                if index >= len(stages):
                    _add_error(errors, f"figures[{i}].stage", f"There is no stage at position {index} in `stages`.")
                else:
                    stage = stages[index]
            item.setdefault("percent", None)
            figure = DealFigure(position=i, **item)
            figure.api_stage_index = index if stage is not None else None  # resolved once stages are saved
            rows.append(figure)
        return rows

    def create(self, validated_data):
        return self._save(Deal(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, deal, validated_data):
        rows = validated_data.pop("_rows")
        for name, value in validated_data.items():
            setattr(deal, name, value)
        return save_deal(deal, rows=lambda saved: _save_rows(saved, rows))

    def to_representation(self, instance):
        deal = deal_queryset(self.context["request"].user).get(pk=instance.pk)
        return DealSerializer(deal, context=self.context).data


def _save_rows(deal, rows):
    stages = rows.get("stages")
    if stages is not None:
        kept = [stage.pk for stage in stages if stage.pk]
        DealStage.objects.filter(deal=deal).exclude(pk__in=kept).delete()
        for stage in stages:
            stage.deal = deal
            stage.save()
    else:
        stages = list(DealStage.objects.filter(deal=deal))
    if "participants" in rows:
        DealParticipant.objects.filter(deal=deal).delete()
        for participant in rows["participants"]:
            participant.deal = deal
        DealParticipant.objects.bulk_create(rows["participants"])
    if "figures" in rows:
        DealFigure.objects.filter(deal=deal).delete()
        for figure in rows["figures"]:
            figure.deal = deal
            index = figure.api_stage_index
            figure.stage = stages[index] if index is not None else None
        DealFigure.objects.bulk_create(rows["figures"])


_PATH = re.compile(r"([a-z_]+)|\[(\d+)\]")


def _add_error(errors, path, message):
    """Put `message` at `path` ("participants[1].amount") in DRF's nested error structure, so the
    exception handler reports it at that same path."""
    parts = [name or int(index) for name, index in _PATH.findall(path)]
    parts = ["type" if part == "deal_type" else part for part in parts]
    node = errors
    for part, following in zip(parts, parts[1:], strict=False):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    last = parts[-1]
    node.setdefault(last, []).append(message)
