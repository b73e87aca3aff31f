"""RSS and Atom feeds of every public correction and update, newest first, on the core's feed
types (briefs.feeds: every text escaped for feed readers, nothing XML 1.0 cannot carry)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape

from briefs.feeds import FEED_SIZE, AtomFeed, RssFeed

from .views import public_corrections


class CorrectionsFeed(Feed):
    feed_type = RssFeed
    title = "Dealsite: corrections and updates"
    description = "Every correction and update of a published deal brief, newest first."

    def link(self):
        return reverse("corrections:list")

    def items(self):
        return public_corrections()[:FEED_SIZE]

    def item_title(self, item):
        return escape(f"{item.get_kind_display()}: {item.brief.title}")

    def item_description(self, item):
        parts = [item.text]
        if item.was:
            parts.append(f"Previously: {item.was}")
        if item.figure_was:
            parts.append(f"{item.figure_label}: was {item.figure_was}, now {item.figure_now}.")
        return escape(" ".join(parts))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"dealsite-correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_kind_display()]


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = AtomFeed
    subtitle = CorrectionsFeed.description
