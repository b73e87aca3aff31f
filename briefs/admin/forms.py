"""Admin forms: the brief form with the markup cheat-sheet, and friendlier aliases for parties."""

from django import forms
from django.db import models
from django.template.loader import render_to_string

from ..models import Brief, Party, Source
from ..services.source_keys import suggest_key, unique_key

CHEATSHEET_TEMPLATE = "admin/briefs/brief/markup_cheatsheet.html"


class BriefAdminForm(forms.ModelForm):
    class Meta:
        model = Brief
        fields = "__all__"  # noqa: DJ007 (the admin chooses fields through its fieldsets)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField briefs-markup", "spellcheck": "true"}),
            "dek": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            # The admin shows help text as HTML; this one is a trusted template of ours.
            self.fields["body"].help_text = render_to_string(CHEATSHEET_TEMPLATE)


class AliasesField(forms.CharField):
    """A list of names edited one per line (stored as a JSON list)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        names = []
        for line in text.splitlines():
            name = line.strip()
            if name and name not in names:
                names.append(name)
        return names

    def has_changed(self, initial, data):
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data)


def assuming_https(db_field, kwargs):
    """Form field arguments where a URL typed without a scheme is taken as https (Django 6's default)."""
    return {"assume_scheme": "https", **kwargs} if isinstance(db_field, models.URLField) else kwargs


def https_formfield(db_field, **kwargs):
    """A ModelForm's formfield_callback that assumes https."""
    return db_field.formfield(**assuming_https(db_field, kwargs))


class AssumeHttpsAdmin:
    """Mixed into a ModelAdmin, whose own form-field hook replaces the form's formfield_callback."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return super().formfield_for_dbfield(db_field, request, **assuming_https(db_field, kwargs))


class PartyAdminForm(forms.ModelForm):
    aliases = AliasesField(required=False, help_text="Other names, one per line, e.g. AWS.")

    class Meta:
        model = Party
        fields = "__all__"  # noqa: DJ007 (the admin chooses fields through its fieldsets)
        formfield_callback = https_formfield


class SourceAdminForm(forms.ModelForm):
    """The key may be left blank: it is then the short key publisher-yyyy-mm-dd (see source_keys)."""

    class Meta:
        model = Source
        fields = "__all__"  # noqa: DJ007 (the admin chooses fields through its fieldsets)
        formfield_callback = https_formfield
        help_texts = {
            "key": "Used in markup: [$4 billion](source:KEY). Short keys read best: publisher-yyyy-mm-dd, "
            "e.g. techcrunch-2023-09-25; left blank, it is made so from the publisher and date.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields["key"].widget.attrs.update({"data-source-key": "", "autocomplete": "off"})

    def clean(self):
        cleaned_data = super().clean()
        if "key" in self.fields and not cleaned_data.get("key") and "key" not in self.errors:
            suggestion = suggest_key(
                cleaned_data.get("publisher", ""), cleaned_data.get("published_on"), cleaned_data.get("title", "")
            )
            cleaned_data["key"] = unique_key(suggestion, exclude_pk=self.instance.pk)
            self.instance.key = cleaned_data["key"]
        return cleaned_data
