from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views.annotations import AnnotationCollectionView, AnnotationDetailView, AnnotationPageView
from .views.briefs import BriefSyncView, BriefViewSet
from .views.catalogue import PartyViewSet, QuoteViewSet, SourceViewSet
from .views.deals import DealViewSet

app_name = "api"

router = SimpleRouter()
router.register("briefs", BriefViewSet, basename="brief")
router.register("deals", DealViewSet, basename="deal")
router.register("parties", PartyViewSet, basename="party")
router.register("sources", SourceViewSet, basename="source")
router.register("quotes", QuoteViewSet, basename="quote")

SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("v1/briefs/sync/", BriefSyncView.as_view(), name="brief-sync"),
    re_path(rf"^v1/briefs/{SLUG}/annotations/$", AnnotationCollectionView.as_view(), name="annotations"),
    re_path(
        rf"^v1/briefs/{SLUG}/annotations/pages/(?P<number>[0-9]+)/$",
        AnnotationPageView.as_view(),
        name="annotation-page",
    ),
    re_path(rf"^v1/briefs/{SLUG}/annotations/(?P<pk>[0-9]+)/$", AnnotationDetailView.as_view(), name="annotation"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("schema/swagger-ui/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
