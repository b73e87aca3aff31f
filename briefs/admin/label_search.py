"""Admin search that also finds a record by the label the admin shows for it (its __str__).

Lookups (autocomplete, the raw-id popup, the change list) show "TechCrunch: Amazon to invest…";
Django's search splits what is typed into words and wants each in one field, so the label itself,
pasted or typed as seen ("TechCrunch: Amazon"), finds nothing. Each admin names its label as a
database expression built like __str__; what is typed, without a trailing ellipsis, must occur in it.
"""

from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat

ELLIPSIS = ("…", "...")


def prefixed_label(prefix, text):
    """The expression of "prefix: text", or just text when prefix is empty (as the models' __str__)."""
    no_prefix = Q(**{prefix: ""}) | Q(**{f"{prefix}__isnull": True})
    labelled = Concat(F(prefix), Value(": "), F(text), output_field=TextField())
    return Case(When(no_prefix, then=F(text)), default=labelled, output_field=TextField())


class SearchByLabelMixin:
    """Mixed into a ModelAdmin (before admin.ModelAdmin) that sets `search_label`, a method making the
    label expression."""

    def search_label(self):
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        for ellipsis in ELLIPSIS:
            term = term.removesuffix(ellipsis).rstrip()
        if not term:
            return results, may_have_duplicates
        by_label = queryset.alias(displayed_label=self.search_label()).filter(displayed_label__icontains=term)
        return results | by_label, may_have_duplicates
