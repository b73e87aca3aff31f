"""Publishing a correction or an update of a live brief: the one way one is made (admin and API).

In one transaction: check the permission (``corrections.add_correction``, whatever else the
editor may do) and the input; record the correction; anchor it, by marking its passage in the body
(``[passage](correction:KEY)``) or taking a corrected body, saved through the brief's one save path
(``briefs.services.saving.save_brief``: versioned, rendered, a revision); correct a deal figure
through the deal's one save path, keeping how it read before and after; record it in the brief's
history as a Transition that keeps the status (who, when, the text); and announce it
(``briefs.events.brief_corrected``) once it commits. Anything refused saves nothing.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from briefs import events
from briefs.deal_wording import figure_value
from briefs.models import Brief, DealFigure, Transition
from briefs.models.choices import FigureKind
from briefs.services.deals import save_deal
from briefs.services.saving import save_brief
from briefs.text import describe, unaccepted

from .models import TEXT_LIMIT, Correction, CorrectionKind

PERMISSION = "corrections.add_correction"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
_ANCHOR = "[{passage}](correction:{key})"


class CorrectionNotAllowed(PermissionDenied):
    """The user may not publish corrections."""


class CorrectionInvalid(ValidationError):
    """Input that makes no correction; ``message_dict`` names each field at fault."""


def can_correct(user):
    return user is not None and user.is_active and user.has_perm(PERMISSION)


def correctable_briefs():
    """Only what readers can see is corrected in public; a draft is simply edited."""
    return Brief.objects.published()


@transaction.atomic
def publish_correction(
    brief,
    user,
    *,
    text,
    kind=CorrectionKind.CORRECTION,
    was="",
    key="",
    passage="",
    body=None,
    figure=None,
    figure_amount=None,
    figure_percent=None,
    opened_version=None,
):
    """Publish a correction (what `was` wrong, what is right: `text`) or an update (`text`: what
    happened since) of the live `brief`, as `user`; returns the Correction.

    Anchoring: `passage` is text of the body (as written) to mark as corrected; `body` is the
    corrected body, which may mark the passage itself. A correction must end up anchored; an
    update need not. `figure` (a DealFigure of a deal the brief is about) with `figure_amount` or
    `figure_percent` corrects that figure. `opened_version` (the brief version the editor read)
    refuses the correction with EditConflict if the brief changed since. Raises
    CorrectionNotAllowed, CorrectionInvalid, and save_brief's BriefMarkupInvalid.
    """
    if not can_correct(user):
        raise CorrectionNotAllowed("You are not allowed to publish corrections.")
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    if not brief.is_live:
        raise CorrectionInvalid(
            {"brief": ["Only a published brief is corrected in public; edit a draft or scheduled brief instead."]}
        )
    text, was, passage = (value.strip() if isinstance(value, str) else value for value in (text, was, passage))
    key = (key or "").strip() or _next_key(brief, kind)
    _check(brief, kind=kind, text=text, was=was, key=key, passage=passage, body=body)
    figure_change = _figure_change(brief, figure, figure_amount, figure_percent)
    correction = Correction.objects.create(
        brief=brief, kind=kind, key=key, was=was, text=text, by=user, published_at=timezone.now()
    )
    new_body = brief.body if body is None else body
    if passage:
        new_body = _anchored(new_body, passage, key)
    if new_body != brief.body or opened_version is not None:
        brief.body = new_body
        brief = save_brief(
            brief, user=user, opened_version=opened_version, comment=f"{correction.get_kind_display()}: {text}"
        )
    if kind == CorrectionKind.CORRECTION and f'data-ref="correction:{key}"' not in brief.body_html:
        raise CorrectionInvalid(
            {"passage": [f"Name the passage it corrects, or mark it in the body as [the passage](correction:{key})."]}
        )
    if figure_change is not None:
        _correct_figure(correction, user, *figure_change)
    Transition.objects.create(
        brief=brief,
        from_status=brief.status,
        to_status=brief.status,
        by=user,
        at=correction.published_at,
        comment=f"{correction.get_kind_display()}: {text}",
    )
    events.send_corrected(brief, correction, user)
    return correction


def _next_key(brief, kind):
    taken = set(Correction.objects.filter(brief=brief).values_list("key", flat=True))
    number = len(taken) + 1
    while f"{kind}-{number}" in taken:
        number += 1
    return f"{kind}-{number}"


def _check(brief, *, kind, text, was, key, passage, body):
    problems = {}

    def refuse(field, message):
        problems.setdefault(field, []).append(message)

    if kind not in CorrectionKind.values:
        refuse("kind", f"Choose one of: {', '.join(CorrectionKind.values)}.")
    if not text:
        refuse("text", "Say what is right (a correction) or what happened since (an update).")
    if kind == CorrectionKind.CORRECTION and not was:
        refuse("was", "Say what the brief said that was wrong.")
    if kind == CorrectionKind.UPDATE and was:
        refuse("was", "An update corrects nothing: leave “was” empty, or make it a correction.")
    for field, value, limit in (("text", text, TEXT_LIMIT), ("was", was, TEXT_LIMIT), ("passage", passage, 500)):
        if len(value) > limit:
            refuse(field, f"At most {limit:,} characters (this has {len(value):,}).")
        if unaccepted(value):
            refuse(field, f"Contains characters that cannot be published: {describe(unaccepted(value))}.")
    if body is not None:
        if not isinstance(body, str):
            refuse("body", "The corrected body is Markdown text.")
        elif unaccepted(body):
            refuse("body", f"Contains characters that cannot be published: {describe(unaccepted(body))}.")
    if not _KEY.match(key):
        refuse("key", "Letters, digits, hyphens and underscores, starting with a letter or digit (at most 100).")
    elif Correction.objects.filter(brief=brief, key=key).exists():
        refuse("key", f"This brief already has a correction or update “{key}”.")
    if passage and "](" in passage:
        refuse("passage", "The passage is text as it reads in the body, without markup.")
    elif passage and passage not in (brief.body if body is None else body or ""):
        refuse("passage", "This text is not in the brief's body as written; copy it from the body exactly.")
    if problems:
        raise CorrectionInvalid(problems)


def _anchored(body, passage, key):
    """`body` with the first plain occurrence of `passage` marked; a passage inside a link (an
    annotation) cannot be marked, so the renderer's nesting rule names it if that is the only one."""
    start = body.find(passage)
    return body[:start] + _ANCHOR.format(passage=passage, key=key) + body[start + len(passage) :]


def _figure_change(brief, figure, amount, percent):
    """(figure, field, value) for a figure correction, checked; None without one."""
    if figure is None:
        if amount is not None or percent is not None:
            raise CorrectionInvalid({"figure": ["Name the figure whose amount or percentage is corrected."]})
        return None
    if not isinstance(figure, DealFigure):
        figure = DealFigure.objects.filter(pk=figure).first()
    if figure is None or not brief.deal_links.filter(deal_id=figure.deal_id).exists():
        raise CorrectionInvalid({"figure": ["Name a figure of a deal this brief is about."]})
    field, value = ("percent", percent) if figure.kind == FigureKind.STAKE else ("amount", amount)
    other = amount if field == "percent" else percent
    if value is None or other is not None:
        raise CorrectionInvalid(
            {f"figure_{field}": [f"A {figure.get_kind_display().lower()} figure is corrected by its {field}."]}
        )
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CorrectionInvalid({f"figure_{field}": ["A number, e.g. 500000000.00."]}) from None
    limit = Decimal("100") if field == "percent" else Decimal("1e18")
    if not value.is_finite() or value <= 0 or value >= limit or value != value.quantize(Decimal("0.01")):
        raise CorrectionInvalid({f"figure_{field}": [f"A positive number below {limit:,}, to at most 2 decimals."]})
    if getattr(figure, field) == value:
        raise CorrectionInvalid({f"figure_{field}": ["This is the figure as it stands: nothing to correct."]})
    return figure, field, value


def _correct_figure(correction, user, figure, field, value):
    before = figure_value(figure)

    def rows(deal):
        setattr(figure, field, value)
        figure.save(update_fields=[field])

    save_deal(figure.deal, rows=rows, user=user)
    figure.refresh_from_db()
    correction.deal_id, correction.figure = figure.deal_id, figure
    correction.figure_label = figure.get_kind_display()
    correction.figure_was, correction.figure_now = before, figure_value(figure)
    correction.save(update_fields=["deal", "figure", "figure_label", "figure_was", "figure_now"])
