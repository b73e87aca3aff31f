import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse


@functools.cache
def _frame_links(script_prefix):
    """The addresses every page's frame links to: the same for every request under one script
    prefix, so reversed once per process rather than ten times per page."""
    return {
        "home": reverse("briefs:home"),
        "search": reverse("search:search"),
        "deals": reverse("briefs:deals"),
        "league": reverse("briefs:league"),
        "feed_rss": reverse("briefs:feed-rss"),
        "feed_atom": reverse("briefs:feed-atom"),
        "sitemap": reverse("sitemap"),
        "icon": static("favicon.svg"),
        "css": static("css/site.css"),
        "cards_js": static("js/cards.js"),
    }


def site(request):
    return {
        "site_name": settings.DEALSITE["SITE_NAME"],
        "site_url": settings.SITE_URL,
        "frame": _frame_links(get_script_prefix()),
    }
