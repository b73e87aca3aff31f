from django.urls import path

from briefs.freshness.pages import cached_page

from . import feeds, views

app_name = "corrections"

urlpatterns = [
    path("", views.correction_list, name="list"),
    path("policy/", views.policy, name="policy"),
    path("feed/rss/", cached_page(feeds.CorrectionsFeed()), name="feed-rss"),
    path("feed/atom/", cached_page(feeds.CorrectionsAtomFeed()), name="feed-atom"),
]
