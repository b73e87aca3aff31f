from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from briefs.sitemaps import SITEMAPS
from briefs.sitemaps import index as sitemap_index
from briefs.views.pages import favicon, robots_txt
from dealsite.health import healthz
from search.api_views import SearchView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/search/", SearchView.as_view(), name="api-search"),
    path("api/v1/", include("corrections.api.urls")),
    path("api/", include("briefs.api.urls")),
    # A sitemap index of pages per section (briefs.sitemaps.SITEMAP_PAGE_SIZE URLs each).
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("corrections/", include("corrections.urls")),
    path("", include("search.urls")),
    path("", include("briefs.urls")),
]

if settings.BENCHMARK_CEILING:  # benchmarks/page_benchmark.py and api_benchmark.py: the same stack with a trivial view
    from dealsite.ceiling import ceiling

    urlpatterns.insert(0, path("_bench/ceiling/", ceiling, name="bench-ceiling"))
