"""RSS and Atom feeds of the latest published briefs, site-wide and per party."""
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Brief, Party

FEED_SIZE = 30


class LatestBriefsFeed(Feed):
    title = "Dealsite: latest deal briefs"
    description = "Annotated, sourced briefs on investments, acquisitions and funding rounds."

    def link(self):
        return reverse("briefs:home")

    def items(self):
        return Brief.objects.published().latest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_deal_type_display()]


class LatestBriefsAtomFeed(LatestBriefsFeed):
    feed_type = Atom1Feed
    subtitle = LatestBriefsFeed.description


class PartyBriefsFeed(LatestBriefsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Party.objects.public(), slug=slug)

    def title(self, party):
        return f"Dealsite: deals involving {party.name}"

    def description(self, party):
        return f"Published deal briefs in which {party.name} takes part or is mentioned."

    def link(self, party):
        return party.get_absolute_url()

    def items(self, party):
        return Brief.objects.published().filter(party_links__party=party).distinct().latest_first()[:FEED_SIZE]


class PartyBriefsAtomFeed(PartyBriefsFeed):
    feed_type = Atom1Feed

    def subtitle(self, party):
        return self.description(party)
