from django import forms

from briefs.deal_wording import figure_text
from briefs.models import DealFigure

from .models import TEXT_LIMIT, CorrectionKind
from .publishing import correctable_briefs


class CorrectionForm(forms.Form):
    """The admin's correction form; the rules are publish_correction's, which reports to its fields."""

    brief = forms.ModelChoiceField(queryset=correctable_briefs().none(), help_text="A published brief.")
    kind = forms.ChoiceField(choices=CorrectionKind.choices, initial=CorrectionKind.CORRECTION)
    was = forms.CharField(
        label="What was wrong",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Corrections: what the brief said. Leave empty for an update.",
    )
    text = forms.CharField(
        label="What is right / what happened since",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to readers at the top of the brief, at the passage, and on the corrections page.",
    )
    passage = forms.CharField(
        required=False,
        max_length=500,
        help_text="Text of the body, exactly as written, to mark as corrected (or mark it yourself in the body).",
    )
    body = forms.CharField(
        label="Corrected body",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        help_text="Optional: the body with the error put right. Leave empty to keep it as it is.",
    )
    key = forms.SlugField(required=False, max_length=100, help_text="Optional; made for you (correction-1, …).")
    figure = forms.ModelChoiceField(
        queryset=DealFigure.objects.none(), required=False, help_text="A deal figure this corrects."
    )
    figure_amount = forms.DecimalField(required=False, max_digits=20, decimal_places=2, label="Corrected amount")
    figure_percent = forms.DecimalField(required=False, max_digits=5, decimal_places=2, label="Corrected stake (%)")

    def __init__(self, *args, brief=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brief"].queryset = correctable_briefs().order_by("-published_at")  # live as of this request
        if brief is not None:
            self.fields["brief"].initial = brief.pk
            self.fields["body"].initial = brief.body
            figures = DealFigure.objects.filter(deal__brief_links__brief=brief).select_related("deal").distinct()
            self.fields["figure"].queryset = figures
            self.fields["figure"].label_from_instance = lambda f: f"{f.deal.name}: {figure_text(f)}"
