from django.urls import path

from . import feeds
from .freshness.pages import cached_page
from .views import deals, pages, preview, review

app_name = "briefs"

urlpatterns = [
    path("", pages.home, name="home"),
    path("briefs/<slug:slug>/", pages.brief_detail, name="brief"),
    path("briefs/<int:pk>/preview/", preview.staff_preview, name="preview"),
    path("parties/<slug:slug>/", pages.party_detail, name="party"),
    path("parties/<slug:slug>/feed/rss/", cached_page(feeds.PartyBriefsFeed()), name="party-feed-rss"),
    path("parties/<slug:slug>/feed/atom/", cached_page(feeds.PartyBriefsAtomFeed()), name="party-feed-atom"),
    path("sources/<slug:key>/", pages.source_detail, name="source"),
    # Before the deal pages: these addresses are not deal slugs.
    path("deals/", deals.deal_table, name="deals"),
    path("deals/export.csv", deals.deal_export_csv, name="deals-csv"),
    path("deals/export.json", deals.deal_export_json, name="deals-json"),
    path("deals/league/", deals.league, name="league"),
    path("deals/<slug:slug>/", pages.deal_detail, name="deal"),
    path("feed/rss/", cached_page(feeds.LatestBriefsFeed()), name="feed-rss"),
    path("feed/atom/", cached_page(feeds.LatestBriefsAtomFeed()), name="feed-atom"),
    # Editorial workflow: signed preview links for reviewers, presence heartbeat for the admin.
    path("preview/<str:token>/", review.shared_preview, name="shared-preview"),
    path("briefs/<int:pk>/presence/", review.presence_heartbeat, name="presence"),
]
