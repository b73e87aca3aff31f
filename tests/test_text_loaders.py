"""The demo loader and the synthetic generator write text through the product's rule (briefs.text):
whatever their content carries, nothing they store has a character the product does not accept."""

import copy

import pytest
from django.apps import apps
from django.db import models

from briefs.demo import content
from briefs.demo.loader import load_demo
from briefs.models import Brief
from briefs.services.rendering import render_brief
from briefs.synthetic import generator
from briefs.synthetic import words as W
from briefs.text import unaccepted
from tests.test_synthetic import snapshot

pytestmark = pytest.mark.django_db

PASTED = "\x0b"  # a vertical tab, as pasted from a word processor


def stored_text_with_unaccepted_characters():
    """(model, field, value) for every stored text value of the briefs app that breaks the rule."""
    found = []
    for model in apps.get_app_config("briefs").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                for value in model.objects.values_list(field.attname, flat=True):
                    if unaccepted(str(value) if not isinstance(value, str) else value):
                        found.append((model.__name__, field.name, value))
    return found


def test_the_demo_loader_stores_no_unaccepted_character_whatever_its_content_carries(monkeypatch):
    parties = copy.deepcopy(content.PARTIES)
    slug, name, kind, fields = parties[0]
    fields["description"] += PASTED
    parties[0] = (slug, name + PASTED, kind, fields)
    sources = copy.deepcopy(content.SOURCES)
    sources[0][1]["title"] += PASTED
    quotes = copy.deepcopy(content.QUOTES)
    quotes[0][1]["speaker_role"] = PASTED + quotes[0][1].get("speaker_role", "")
    deals = copy.deepcopy(content.DEALS)
    deals[0]["fields"]["name"] += PASTED
    deals[0]["stages"][0]["description"] += PASTED
    briefs = copy.deepcopy(content.BRIEFS)
    briefs[0]["fields"]["dek"] += PASTED + "\x00"
    briefs[0]["fields"]["title"] = PASTED + briefs[0]["fields"]["title"]
    for name, value in (("PARTIES", parties), ("SOURCES", sources), ("QUOTES", quotes), ("DEALS", deals)):
        monkeypatch.setattr(content, name, value)
    monkeypatch.setattr(content, "BRIEFS", briefs)

    brief, _ = load_demo()
    assert stored_text_with_unaccepted_characters() == []
    assert brief.dek == content.BRIEF["dek"]  # the demo's own text, less what was pasted into it
    _, changes = load_demo()
    assert changes == 0  # still idempotent: what is compared is the cleaned value


def test_the_generator_stores_no_unaccepted_character_and_what_it_stores_is_still_what_rendering_stores(
    monkeypatch,
):
    for name in ("NAME_HEADS", "FIRST_NAMES", "SECTORS", "CITIES", "SUBJECTS", "PUBLISHERS", "QUOTE_OPENERS"):
        monkeypatch.setattr(W, name, [word + PASTED for word in getattr(W, name)])
    monkeypatch.setattr(generator, "TEMPLATES", [template + PASTED for template in generator.TEMPLATES])

    generator.Generator(seed=5, count=30).run()
    assert stored_text_with_unaccepted_characters() == []
    for brief in Brief.objects.order_by("pk")[:10]:
        generated = snapshot(brief)
        render_brief(brief)
        assert snapshot(brief) == generated, brief.slug
