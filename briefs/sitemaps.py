from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Brief, Party, Source


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["briefs:home"]

    def location(self, item):
        return reverse(item)


class BriefSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Brief.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PartySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Party.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class SourceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Source.objects.public().order_by("pk").only("key", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "briefs": BriefSitemap, "parties": PartySitemap, "sources": SourceSitemap}
