"""Signed, expiring preview links for reviewers without an account.

The token is signed with the site's SECRET_KEY (django.core.signing.TimestampSigner) and carries the
brief id and its lifetime. A link stops working when it expires, when the brief goes live
(published, or scheduled and its time has come) or is withdrawn: from then on the public page, or
nothing, is what anyone sees.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import Brief, BriefStatus

SALT = "briefs.preview-link"
PREVIEWABLE = (BriefStatus.DRAFT, BriefStatus.IN_REVIEW, BriefStatus.SCHEDULED)


class PreviewUnavailable(Exception):
    """The link is valid but no longer opens a preview (expired, or the brief is live or withdrawn)."""


def default_max_age():
    return settings.WORKFLOW["PREVIEW_MAX_AGE_SECONDS"]


def make_token(brief, max_age=None):
    max_age = int(max_age or default_max_age())
    return signing.TimestampSigner(salt=SALT).sign_object({"b": brief.pk, "m": max_age}, compress=True)


def preview_path(brief, max_age=None):
    return reverse("briefs:shared-preview", kwargs={"token": make_token(brief, max_age)})


def brief_for_token(token):
    """The brief a token opens. BadSignature if forged; PreviewUnavailable if expired/live/withdrawn."""
    signer = signing.TimestampSigner(salt=SALT)
    payload = signer.unsign_object(token)  # raises BadSignature for a forged or damaged token
    try:
        signer.unsign_object(token, max_age=payload["m"])
    except signing.SignatureExpired:
        raise PreviewUnavailable("This preview link has expired; ask the editor for a new one.") from None
    brief = Brief.objects.filter(pk=payload["b"]).first()
    if brief is None:
        raise signing.BadSignature("no such brief")
    if brief.status == BriefStatus.WITHDRAWN:
        raise PreviewUnavailable("This brief has been withdrawn.")
    if brief.status not in PREVIEWABLE or brief.is_live:
        raise PreviewUnavailable("This brief is published now: read it on the site.")
    return brief
