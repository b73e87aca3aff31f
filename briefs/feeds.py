"""RSS and Atom feeds of the latest published briefs, site-wide and per party.

Feed readers render titles and descriptions as HTML, so every text taken from the database is
HTML-escaped here (as Django's own Feed.item_title default does); the XML layer escapes again.
XML 1.0 cannot carry control characters at all: inputs refuse them (briefs.text), and every text
that reaches a feed passes briefs.text.printable too, so a row written around the inputs (raw SQL,
an old row) cannot take a feed down.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from dealsite.site_url import absolute_url

from .deal_line import deal_lines
from .deal_wording import kind_text
from .models import Brief, Party
from .services.presence import display_name
from .text import printable

FEED_SIZE = 30


def _printable(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_printable(item) for item in value)
    return printable(value)


class _PrintableFeed:
    """A feed generator that never writes a character XML 1.0 cannot carry."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_printable, args), **{key: _printable(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_printable, args), **{key: _printable(value) for key, value in kwargs.items()})


class RssFeed(_PrintableFeed, Rss201rev2Feed):
    pass


class AtomFeed(_PrintableFeed, Atom1Feed):
    pass


class LatestBriefsFeed(Feed):
    feed_type = RssFeed
    title = "Dealsite: latest deal briefs"
    description = "Annotated, sourced briefs on investments, acquisitions and funding rounds."

    def link(self):
        return absolute_url(reverse("briefs:home"))

    def feed_url(self):
        return absolute_url(reverse("briefs:feed-rss"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return (
            Brief.objects.published().latest_first().for_listing().with_deals().prefetch_related("authors")[:FEED_SIZE]
        )

    def item_title(self, item):
        return escape(item.title)

    def item_description(self, item):
        """The dek, then each deal's size as the site words it (deal_wording.describe_size), so
        a feed reader sees "Undisclosed (reported: …, by …)" rather than a bare figure."""
        sizes = [f"{line.deal.name}: {line.size}" for line in deal_lines(item) if line.size]
        return escape(" ".join([item.dek, *(f"{size}." for size in sizes)]))

    def item_author_name(self, item):
        names = [display_name(user) for user in item.authors.all()]
        return escape(", ".join(names)) if names else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return list(dict.fromkeys(kind_text(link.deal) for link in item.deal_links.all()))


class LatestBriefsAtomFeed(LatestBriefsFeed):
    feed_type = AtomFeed
    subtitle = LatestBriefsFeed.description

    def feed_url(self):
        return absolute_url(reverse("briefs:feed-atom"))


class PartyBriefsFeed(LatestBriefsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Party.objects.public(), slug=slug)

    def title(self, party):
        return f"Dealsite: deals involving {escape(party.name)}"

    def description(self, party):
        return f"Published deal briefs in which {escape(party.name)} takes part or is mentioned."

    def link(self, party):
        return absolute_url(party.get_absolute_url())

    def feed_url(self, party):
        return absolute_url(reverse("briefs:party-feed-rss", args=[party.slug]))

    def items(self, party):
        return (
            Brief.objects.published()
            .filter(party_links__party=party)
            .distinct()
            .latest_first()
            .for_listing()
            .with_deals()
            .prefetch_related("authors")[:FEED_SIZE]
        )


class PartyBriefsAtomFeed(PartyBriefsFeed):
    feed_type = AtomFeed

    def feed_url(self, party):
        return absolute_url(reverse("briefs:party-feed-atom", args=[party.slug]))

    def subtitle(self, party):
        return self.description(party)
