"""Absolute URLs for API resources and canonical page URLs, built cheaply once per request."""

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse

from dealsite.site_url import absolute_url

API_PREFIX = "/api/v1/"


def canonical(path):
    """The canonical public URL of a site path (SITE_URL based, whatever host served the request)."""
    return absolute_url(path)


class ApiLinks:
    """`links.brief(slug)` → absolute API URL; one reverse-free f-string per link. Canonical
    (SITE_URL), like the page URLs beside them: a record's links do not depend on the host asked."""

    def __init__(self, request=None):
        self.base = canonical(API_PREFIX)

    def brief(self, slug):
        return f"{self.base}briefs/{slug}/"

    def annotations(self, slug):
        return f"{self.base}briefs/{slug}/annotations/"

    def annotation(self, slug, pk):
        return f"{self.base}briefs/{slug}/annotations/{pk}/"

    def party(self, slug):
        return f"{self.base}parties/{slug}/"

    def deal(self, slug):
        return f"{self.base}deals/{slug}/"

    def source(self, key):
        return f"{self.base}sources/{key}/"

    def quote(self, key):
        return f"{self.base}quotes/{key}/"


_MARK = "dealsite-placeholder"


@lru_cache(maxsize=64)
def _page_template(name, kwarg, script_prefix):
    return reverse(name, kwargs={kwarg: _MARK})


def _page(name, kwarg, value):
    """reverse() once per URL name (and script prefix), then string formatting: list pages build
    hundreds of these."""
    return canonical(_page_template(name, kwarg, get_script_prefix()).replace(_MARK, value))


def brief_page(slug):
    return _page("briefs:brief", "slug", slug)


def party_page(slug):
    return _page("briefs:party", "slug", slug)


def source_page(key):
    return _page("briefs:source", "key", key)


def deal_page(slug):
    """The deal page, /deals/<slug>/; built by hand where the URL is not routed (yet)."""
    try:
        return _page("briefs:deal", "slug", slug)
    except NoReverseMatch:
        return canonical(f"{get_script_prefix()}deals/{slug}/")


def links_for(serializer):
    """The ApiLinks in a serializer's context, made once per request."""
    context = serializer.context
    links = context.get("links")
    if links is None:
        links = context["links"] = ApiLinks(context.get("request"))
    return links
