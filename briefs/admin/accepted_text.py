"""Text the product does not accept (briefs.text) is removed from every admin form as it is
submitted, and the editor is told what was removed from which field.

AcceptedTextAdmin is mixed into each ModelAdmin whose forms carry text: it gives the form and the
inline row forms AcceptedTextFormMixin, which cleans the submitted text fields before Django's own
validation runs (Django would otherwise refuse a NUL outright and store a vertical tab as typed).
The form shown again after another error carries the cleaned text too, so either way the editor
sees the message and the text as it will be saved.
"""

from django import forms
from django.contrib import messages

from ..text import printable, summarise, unaccepted

_TOLD = "_briefs_admin_told_removed_text"


class AcceptedTextFormMixin:
    """A form whose submitted text fields lose the characters the product does not accept;
    `removed_characters` maps each such field's label to what it lost."""

    def full_clean(self):
        if self.is_bound and not hasattr(self, "removed_characters"):
            self.removed_characters = self._remove_unaccepted_text()
        super().full_clean()

    def _remove_unaccepted_text(self):
        removed = {}
        data = None
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or field.disabled:
                continue
            key = self.add_prefix(name)
            if key not in self.data:
                continue
            values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data[key]]
            found = [character for value in values for character in unaccepted(value)]
            if not found:
                continue
            if data is None:
                data = self.data.copy()
            cleaned = [printable(value) for value in values]
            if hasattr(data, "setlist"):
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned[0]
            removed[str(field.label or name.replace("_", " ").capitalize())] = found
        if data is not None:
            self.data = data
        return removed


def with_accepted_text(form_class):
    if issubclass(form_class, AcceptedTextFormMixin):
        return form_class
    return type(form_class.__name__, (AcceptedTextFormMixin, form_class), {})


def removal_messages(form, formsets):
    """One message per field that lost characters, naming the inline row for row forms."""
    found = [(label, characters) for label, characters in getattr(form, "removed_characters", {}).items()]
    for formset in formsets:
        rows = formset.model._meta.verbose_name
        for index, row in enumerate(formset.forms, start=1):
            for label, characters in getattr(row, "removed_characters", {}).items():
                found.append((f"{label} ({rows} {index})", characters))
    return [f"Removed {summarise(characters)} from {label}." for label, characters in found]


class AcceptedTextAdmin:
    """Mixed into a ModelAdmin (before admin.ModelAdmin): its form and inline row forms clean
    unaccepted text, and the editor gets a warning naming what was removed where."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_accepted_text(super().get_form(request, obj, change=change, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            accepted = type(formset_class.__name__, (formset_class,), {"form": with_accepted_text(formset_class.form)})
            yield accepted, inline

    def construct_change_message(self, request, form, formsets, add=False):
        # Django asks for the change message once the form and its rows are saved, whichever
        # save_related the admin has.
        self._tell_removed(request, form, formsets)
        return super().construct_change_message(request, form, formsets, add)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        if adminform is not None and adminform.form.is_bound:  # shown again: not saved
            formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
            self._tell_removed(request, adminform.form, formsets)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _tell_removed(self, request, form, formsets):
        if getattr(request, _TOLD, False):  # the brief's revision comment asks for the change message too
            return
        setattr(request, _TOLD, True)
        for message in removal_messages(form, formsets):
            self.message_user(request, message, messages.WARNING)
