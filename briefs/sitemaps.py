from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.urls import reverse

from dealsite.site_url import site_domain, site_scheme

from .models import Brief, Party, Source


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


def per_request(queryset, changefreq, priority):
    """A GenericSitemap built each time the sitemap view calls it: the visibility rule reads the clock
    when the queryset is made, so one built at import would never see a scheduled brief go live."""

    def build():
        info = {"queryset": queryset().order_by("pk"), "date_field": "updated_at"}
        return CanonicalGenericSitemap(info, priority=priority, changefreq=changefreq)

    return build


SITEMAPS = {
    "home": HomeSitemap,
    "briefs": per_request(lambda: Brief.objects.published().only("slug", "updated_at"), "weekly", 0.8),
    "parties": per_request(lambda: Party.objects.public().only("slug", "updated_at"), "weekly", 0.5),
    "sources": per_request(lambda: Source.objects.public().only("key", "updated_at"), "monthly", 0.3),
}
