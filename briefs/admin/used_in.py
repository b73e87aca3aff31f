"""The read-only "Used in" list on party, source and quote pages: one query, however many briefs."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join


def used_in_html(links):
    """`links` are BriefParty/BriefSource/BriefQuote rows with their brief selected.

    One item per brief, linking to its admin page, with its status and (for parties) its roles.
    """
    briefs, roles = [], {}
    for link in links:
        if link.brief_id not in roles:
            briefs.append(link.brief)
            roles[link.brief_id] = []
        role = getattr(link, "get_role_display", None)
        if role is not None:
            roles[link.brief_id].append(role())
    if not briefs:
        return "Not linked to any brief yet."
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> — {}{}</li>',
        (
            (
                reverse("admin:briefs_brief_change", args=[brief.pk]),
                brief.title,
                brief.get_status_display(),
                f" · {', '.join(roles[brief.pk])}" if roles[brief.pk] else "",
            )
            for brief in briefs
        ),
    )
    return format_html('<ul class="briefs-used-in">{}</ul>', items)


def links_with_briefs(queryset):
    """The rows for used_in_html, with their briefs (minus the long text fields) in the same query."""
    return (
        queryset.select_related("brief")
        .defer("brief__body", "brief__body_html", "brief__body_text")
        .order_by("-brief__updated_at", "brief_id", "position", "pk")
    )
