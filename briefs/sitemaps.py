import dataclasses

from django.contrib.sitemaps import GenericSitemap, Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.functional import cached_property

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


# URLs per sitemap page at most: the protocol allows 50,000; smaller pages keep each one quick to make.
SITEMAP_PAGE_SIZE = 5000


def end_of(queryset, field, last=True):
    """The greatest (or least) value of `field` in `queryset`, in the form each database reads off
    an index on `field` however many rows there are: SQLite reads MAX() there (its min/max
    optimisation) but sorts for ORDER BY … LIMIT 1 when another index serves the filter, as the
    visibility rule's does; PostgreSQL reads ORDER BY … LIMIT 1 there but computes MAX() over every
    row once it has turned the rule's EXISTS into a join."""
    rows = queryset.order_by().filter(**{f"{field}__isnull": False})
    if connections[rows.db].vendor == "sqlite":
        return rows.aggregate(value=(Max if last else Min)(field))["value"]
    return rows.order_by(f"-{field}" if last else field).values_list(field, flat=True).first()


class KeyBlockPaginator(Paginator):
    """A sitemap section's pages as blocks of primary keys: page n lists the section's public rows
    whose keys fall in the n-th block of SITEMAP_PAGE_SIZE keys, counted from the block of the
    table's first key.

    Django's Paginator counts the rows to number the pages, and counting the public rows reads every
    one of them (for deals, each checked for a published brief). Here two index probes number them:
    the table's first key and the last public one. A page reads one key range. And a page keeps its
    number and its rows when others are published or withdrawn, where offsets would shift every page
    after a change. A block with no public row (a run of drafts) is served as an empty page, as Django
    serves an empty section."""

    @cached_property
    def key_range(self):
        last = end_of(self.object_list, "pk")
        if last is None:
            return None
        first = end_of(self.object_list.model._base_manager.all(), "pk", last=False)
        return (first - 1) // self.per_page, (last - 1) // self.per_page

    @cached_property
    def num_pages(self):
        if self.key_range is None:
            return 1  # the empty first page
        first_block, last_block = self.key_range
        return last_block - first_block + 1

    def page(self, number):
        number = self.validate_number(number)
        if self.key_range is None:
            return self._get_page(self.object_list.none(), number, self)
        after = (self.key_range[0] + number - 1) * self.per_page
        rows = self.object_list.filter(pk__gt=after, pk__lte=after + self.per_page).order_by("pk")
        return self._get_page(rows, number, self)


class KeyBlockSitemap(OnSiteUrl, GenericSitemap):
    """A section in key blocks, its last change read off an index on the date field (for which
    Django's ORDER BY … LIMIT 1 has SQLite sort every published brief)."""

    @cached_property
    def paginator(self):
        return KeyBlockPaginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        return end_of(self.queryset, self.date_field)


def per_request(queryset, changefreq, priority):
    """A section built each time the sitemap view calls it: the visibility rule reads the clock
    when the queryset is made, so one built at import would never see a scheduled brief go live.
    Served in pages of SITEMAP_PAGE_SIZE under the sitemap index (/sitemap.xml)."""

    def build():
        info = {"queryset": queryset().order_by("pk"), "date_field": "updated_at"}
        sitemap = KeyBlockSitemap(info, priority=priority, changefreq=changefreq)
        sitemap.limit = SITEMAP_PAGE_SIZE
        return sitemap

    return build


SITEMAPS = {
    "home": HomeSitemap,
    "briefs": per_request(lambda: Brief.objects.published().only("slug", "updated_at"), "weekly", 0.8),
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
