import dataclasses

from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from dealsite.site_url import absolute_url, site_domain, site_scheme

from .models import Brief, Deal, Party, Source


class OnSiteUrl:
    """Locations on SITE_URL, whichever host the sitemap was asked on."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


class HomeSitemap(OnSiteUrl, Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["briefs:home"]

    def location(self, item):
        return reverse(item)


class CanonicalGenericSitemap(OnSiteUrl, GenericSitemap):
    pass


# URLs per sitemap page: the protocol allows 50,000; smaller pages keep each one quick to make.
SITEMAP_PAGE_SIZE = 5000


def per_request(queryset, changefreq, priority, order=("pk",)):
    """A GenericSitemap built each time the sitemap view calls it: the visibility rule reads the clock
    when the queryset is made, so one built at import would never see a scheduled brief go live.
    Served in pages of SITEMAP_PAGE_SIZE under the sitemap index (/sitemap.xml)."""

    def build():
        info = {"queryset": queryset().order_by(*order), "date_field": "updated_at"}
        sitemap = CanonicalGenericSitemap(info, priority=priority, changefreq=changefreq)
        sitemap.limit = SITEMAP_PAGE_SIZE
        return sitemap

    return build


SITEMAPS = {
    "home": HomeSitemap,
    # In publication order, the order of the index on the live statuses (brief_live_latest_idx): a
    # page reads its rows off the index; a new brief lands on the last page.
    "briefs": per_request(
        lambda: Brief.objects.published().only("slug", "updated_at"), "weekly", 0.8, order=("published_at", "pk")
    ),
    "parties": per_request(lambda: Party.objects.public().only("slug", "updated_at"), "weekly", 0.5),
    "sources": per_request(lambda: Source.objects.public().only("key", "updated_at"), "monthly", 0.3),
    "deals": per_request(lambda: Deal.objects.public().only("slug", "updated_at"), "weekly", 0.6),
}


def index(request, **kwargs):
    """Django's sitemap index, naming its pages on SITE_URL: Django builds their addresses from the
    host the index was asked on, and every address the site prints is canonical."""
    response = sitemap_views.index(request, **kwargs)
    asked = f"{request.scheme}://{request.get_host()}"
    response.context_data["sitemaps"] = [
        dataclasses.replace(item, location=absolute_url(item.location.removeprefix(asked)))
        for item in response.context_data["sitemaps"]
    ]
    return response
