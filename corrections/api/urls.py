from django.urls import path, re_path

from .views import BriefCorrectionsView, CorrectionListView

urlpatterns = [
    path("corrections/", CorrectionListView.as_view(), name="api-corrections"),
    re_path(
        r"^briefs/(?P<slug>[-a-zA-Z0-9_]+)/corrections/$", BriefCorrectionsView.as_view(), name="api-brief-corrections"
    ),
]
