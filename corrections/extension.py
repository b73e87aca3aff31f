"""What corrections add to a brief's markup, page, JSON-LD and API detail, and to a deal's page
(briefs.extensions). Each brief page or API detail reads the brief's corrections in one query."""

import re

from django.template.loader import render_to_string
from django.urls import reverse

from briefs.api.links import canonical
from briefs.extensions import BriefExtension
from briefs.structured_data import absolute

from .models import Correction

_TAG = re.compile(r'<a [^>]*\bdata-ref="correction:[^>]*>')
_REF = re.compile(r'\bdata-ref="correction:([A-Za-z0-9_-]+)"')
_ID = re.compile(r'\bid="(anno-\d+)"')


def corrections_of(brief):
    """The brief's corrections and updates, newest first; read once per brief object. Hooks get
    only briefs readers can see, so these are public."""
    cached = getattr(brief, "_corrections_newest_first", None)
    if cached is None:
        cached = list(Correction.objects.filter(brief=brief).select_related("deal").newest_first())
        brief._corrections_newest_first = cached
    return cached


def passage_ids(brief):
    """{correction key: id of its passage's highlight in the body} (the first, if marked twice)."""
    ids = {}
    for tag in _TAG.findall(brief.body_html or ""):
        key, anno_id = _REF.search(tag), _ID.search(tag)
        if key and anno_id:
            ids.setdefault(key.group(1), anno_id.group(1))
    return ids


def change_log(brief, corrections):
    """The brief's dated substantive changes, newest first: each correction and update, then its
    publication."""
    entries = [
        {"at": c.published_at, "kind": c.get_kind_display(), "text": c.text, "anchor": c.anchor} for c in corrections
    ]
    if brief.published_at:
        entries.append({"at": brief.published_at, "kind": "Published", "text": "", "anchor": ""})
    return entries


def policy_url(request=None):
    return absolute(request, reverse("corrections:policy"))


class CorrectionsExtension(BriefExtension):
    def anchor_keys(self, brief):
        return {"correction": set(Correction.objects.filter(brief=brief).values_list("key", flat=True))}

    def brief_page(self, brief, request):
        corrections = corrections_of(brief)
        ids = passage_ids(brief)
        entries = [{"correction": c, "passage_id": ids.get(c.key)} for c in corrections]
        context = {
            "brief": brief,
            "entries": entries,
            "changes": change_log(brief, corrections),
            "policy_url": reverse("corrections:policy"),
            "corrections_url": reverse("corrections:list"),
        }
        slots = {"end": render_to_string("corrections/_brief_changes.html", context, request)}
        if corrections:
            slots["top"] = render_to_string("corrections/_brief_corrections.html", context, request)
            if any(c.key in ids for c in corrections):
                slots["legend"] = render_to_string("corrections/_legend.html", context, request)
        return slots

    def brief_jsonld(self, brief, request):
        corrections = corrections_of(brief)
        url = absolute(request, brief.get_absolute_url())
        data = {"publishingPrinciples": policy_url(request), "correctionsPolicy": policy_url(request) + "#corrections"}
        comments = [
            {
                "@type": "CorrectionComment",
                "text": c.text,
                "datePublished": c.published_at.isoformat(),
                "url": f"{url}#{c.anchor}",
            }
            for c in corrections
            if c.is_correction
        ]
        if comments:
            data["correction"] = comments
        if corrections:
            data["dateModified"] = corrections[0].published_at.isoformat()
        return data

    def brief_api(self, brief, serializer):
        from .api.serializers import CorrectionSerializer

        corrections = corrections_of(brief)
        return {
            "corrections": CorrectionSerializer(corrections, many=True, context=serializer.context).data,
            "change_log": [
                {"at": entry["at"].isoformat(), "kind": entry["kind"].lower(), "text": entry["text"]}
                for entry in change_log(brief, corrections)
            ],
            "corrections_policy_url": canonical(reverse("corrections:policy")),
        }

    def brief_api_schema(self):
        return {
            "corrections": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Correction"},
                "readOnly": True,
                "description": "The brief's published corrections and updates.",
            },
            "change_log": {
                "type": "array",
                "readOnly": True,
                "description": "Dated substantive changes: publication, corrections and updates.",
                "items": {
                    "type": "object",
                    "required": ["at", "kind", "text"],
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "kind": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "corrections_policy_url": {"type": "string", "format": "uri", "readOnly": True},
        }

    def deal_page(self, deal, context):
        """Each figure row of the deal page with its public corrections: how it read before."""
        by_figure = {}
        for correction in Correction.objects.public().filter(deal=deal, figure__isnull=False).select_related("brief"):
            by_figure.setdefault(correction.figure_id, []).append(correction)
        for row in context.get("figures", []):
            row["corrections"] = by_figure.get(row["figure"].pk, [])


__all__ = ["CorrectionsExtension", "change_log", "corrections_of", "passage_ids", "policy_url"]
