"""Checking a brief's body against the links submitted with it, across the admin's inlines.

The admin validates the brief form first and its inline formsets afterwards. Each link formset is
bound to one per-request MarkupSubmission that also knows the brief form, so when the formsets are
validated the body is checked against the parties, sources, quotes and notes in the submitted rows:
rows being added count, rows marked for deletion do not. Problems go on the body field, one message
per problem, and the formsets report themselves invalid so that nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME

from ..services.rendering import BriefMarkupInvalid, linked_targets_for, validate_markup

KINDS = ("party", "source", "quote", "note")
_REQUEST_ATTRIBUTE = "_briefs_admin_markup_submission"


def submission_for(request):
    """The MarkupSubmission of this request, created on first use."""
    submission = getattr(request, _REQUEST_ATTRIBUTE, None)
    if submission is None:
        submission = MarkupSubmission()
        setattr(request, _REQUEST_ATTRIBUTE, submission)
    return submission


class MarkupSubmission:
    body_field = "body"

    def __init__(self):
        self.form = None
        self.formsets = {}  # kind -> bound link formset
        self._result = None  # None until checked, then the list of messages
        self.checked_body = None  # the CheckedBody of a valid body, for the save to store as rendered
        self.refusal = None  # why a save of this submission failed after validation (shown on the form)

    def add_form(self, form):
        self.form = form
        self._result = None

    def add_formset(self, formset):
        self.formsets[formset.markup_kind] = formset
        self._result = None

    def check(self):
        """Check the body once; put any problems on the body field. True when the markup is valid."""
        if self._result is None:
            self._result = self._problems()
        return not self._result

    def _problems(self):
        form = self.form
        if form is None or not form.is_bound:
            return []
        form.is_valid()
        body = form.cleaned_data.get(self.body_field)
        if body is None:  # the field has its own error already
            return []
        try:
            self.checked_body = validate_markup(body, self.linked_targets())
        except BriefMarkupInvalid as invalid:
            form.add_error(self.body_field, invalid)
            return invalid.messages
        return []

    def linked_targets(self):
        """What the brief will link once saved: submitted rows, or the saved links of kinds not on the form."""
        instance = self.form.instance if self.form is not None else None

        def given(kind, key=lambda target: target.key):
            return [key(target) for target in self.submitted(kind)] if kind in self.formsets else None

        return linked_targets_for(
            instance,
            parties=given("party", key=lambda party: party),
            source_keys=given("source"),
            quote_keys=given("quote"),
            note_keys=given("note", key=lambda note: note),
        )

    def submitted(self, kind):
        """The targets of one kind in the submitted rows that are not marked for deletion."""
        formset = self.formsets[kind]
        field = formset.markup_field
        targets = []
        for form in formset.forms:
            form.errors  # validates the row on its own (never the whole formset: no recursion)  # noqa: B018 (the property validates the row)
            data = getattr(form, "cleaned_data", None) or {}
            if data.get(DELETION_FIELD_NAME):
                continue
            target = data.get(field)
            if target is not None and kind != "note" and not isinstance(target, models.Model):
                # A view-only row: the admin gives it its initial data, i.e. the primary key.
                target = getattr(form.instance, field, None)
            if target:
                targets.append(target)
        return targets


class MarkupLinkFormSetMixin:
    """Mixed into an inline formset class bound to a MarkupSubmission (see bind_formset)."""

    markup_submission = None
    markup_kind = None
    markup_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.markup_submission.add_formset(self)

    def clean(self):
        super().clean()
        if self.is_bound:
            self.markup_submission.check()

    def is_valid(self):
        valid = super().is_valid()
        # A markup problem is reported on the body field; failing here keeps the admin from saving.
        return (self.markup_submission.check() if self.is_bound else True) and valid


def bind_formset(formset_class, submission, kind, field):
    return type(
        formset_class.__name__,
        (MarkupLinkFormSetMixin, formset_class),
        {"markup_submission": submission, "markup_kind": kind, "markup_field": field},
    )


def bind_form(form_class, submission):
    """A subclass of the brief form class that registers its instances with `submission`."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        submission.add_form(self)

    def clean(self):
        cleaned_data = form_class.clean(self)
        if submission.refusal:
            raise ValidationError(submission.refusal, code="not_saved")
        # With no link inlines on the form (no permission for them), check against the saved links here.
        if self.is_bound and not submission.formsets:
            submission.check()
        return cleaned_data

    return type(form_class.__name__, (form_class,), {"__init__": __init__, "clean": clean})
