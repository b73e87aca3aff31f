"""Checking a deal against the rows submitted with it, across the deal admin's inlines.

The deal form and its participant, stage and figure formsets are validated one by one, but the
deal's rules (briefs.services.deals.deal_problems) span them: a participant cannot commit more than
the deal's total, stages go in date order. Each formset is bound to one per-request DealSubmission
that also knows the deal form; when the formsets are validated the rules run once over the deal and
the submitted rows (rows marked for deletion and untouched blank rows do not count), each problem
goes on the form field it names, and the formsets report themselves invalid so nothing is saved.

The database constraints that encode the same rules are left to deal_problems on these forms, so
an editor sees one message on the field at fault rather than a second, anonymous one.
"""

import re

from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import InlineForeignKeyField

from ..services.deals import deal_problems

ROW_KINDS = ("participants", "stages", "figures")
RULE_CONSTRAINTS = frozenset(
    {
        "deal_completed_has_closing_date",
        "deal_ended_has_end_date",
        "deal_series_only_for_rounds",
        "deal_lead_is_an_investor",
        "deal_participant_amount_has_currency",
        "deal_stage_amount_has_currency",
        "deal_figure_value_matches_kind",
    }
)
_ROW_FIELD = re.compile(r"^(?P<kind>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")
_REQUEST_ATTRIBUTE = "_briefs_admin_deal_submission"


class DealRulesFormMixin:
    """For the deal form and its row forms: model validation without the constraints deal_problems
    reports (see the module docstring); the other constraints are checked as usual."""

    def _post_clean(self):
        instance = self.instance
        instance.full_clean = _without_constraints(instance.full_clean)
        try:
            super()._post_clean()
        finally:
            del instance.full_clean
        self._check_other_constraints()

    def _check_other_constraints(self):
        exclude = self._get_validation_exclusions() | set(self.errors)
        exclude |= {name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)}
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if constraint.name in RULE_CONSTRAINTS:
                continue
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                self.add_error(None, error)


def _without_constraints(full_clean):
    def clean(*args, **kwargs):
        kwargs["validate_constraints"] = False
        return full_clean(*args, **kwargs)

    return clean


def submission_for(request):
    submission = getattr(request, _REQUEST_ATTRIBUTE, None)
    if submission is None:
        submission = DealSubmission()
        setattr(request, _REQUEST_ATTRIBUTE, submission)
    return submission


class DealSubmission:
    def __init__(self):
        self.form = None
        self.formsets = {}  # kind -> bound formset
        self._result = None

    def add_form(self, form):
        self.form, self._result = form, None

    def add_formset(self, formset):
        self.formsets[formset.deal_rows], self._result = formset, None

    def check(self):
        """Run the deal's rules once; put each problem on its field. True when there is none."""
        if self._result is None:
            self._result = self._problems()
        return not self._result

    def _problems(self):
        form = self.form
        if form is None or not form.is_bound or not form.is_valid():
            return []  # the deal form's own errors come first
        rows = {kind: self.submitted(kind) for kind in ROW_KINDS}
        instances = {kind: self._instances(kind, rows[kind]) for kind in ROW_KINDS}
        problems = deal_problems(form.instance, instances["participants"], instances["stages"], instances["figures"])
        for problem in problems:
            self._report(problem, rows)
        return problems

    def _instances(self, kind, forms):
        if kind in self.formsets:
            return [form.instance for form in forms]
        deal = self.form.instance  # rows not on the form (no permission for them): the saved ones
        return list(getattr(deal, kind).all()) if deal.pk else []

    def _report(self, problem, rows):
        match = _ROW_FIELD.match(problem.field)
        if match is None:
            target, field = self.form, problem.field
        else:
            kind, index = match["kind"], int(match["index"])
            forms = rows.get(kind) or []
            target, field = (forms[index], match["field"]) if index < len(forms) else (self.form, None)
        target.add_error(field if field in target.fields else None, problem.message)

    def submitted(self, kind):
        """The row forms of one kind that will be saved, in the order the deal will have them: by
        position, rows with none after the others in form order. Rows with errors of their own are
        left out (their errors are shown already)."""
        formset = self.formsets.get(kind)
        if formset is None:
            return []
        kept = []
        for index, form in enumerate(formset.forms):
            if form.errors or not getattr(form, "cleaned_data", None):  # validates the row on its own
                continue
            if form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            kept.append((index, form))
        return [
            form for _, form in sorted(kept, key=lambda pair: _order(pair[1].cleaned_data.get("position"), pair[0]))
        ]


def _order(position, index):
    return (position is None, position if position is not None else 0, index)


class DealRowsFormSetMixin:
    deal_submission = None
    deal_rows = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.deal_submission.add_formset(self)

    def is_valid(self):
        valid = super().is_valid()
        return (self.deal_submission.check() if self.is_bound else True) and valid


def bind_formset(formset_class, submission, kind):
    return type(
        formset_class.__name__,
        (DealRowsFormSetMixin, formset_class),
        {"deal_submission": submission, "deal_rows": kind},
    )


def bind_form(form_class, submission):
    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        submission.add_form(self)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})
