import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.response_caches import forget_cached_responses


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """A fresh cache per test and throttling that only the throttling tests meet."""
    forget_cached_responses()
    # The browsable API and Swagger UI use {% static %}; tests run without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    yield
    forget_cached_responses()


@pytest.fixture
def client():
    return APIClient()


def make_user(username, *perms, staff=False):
    user = User.objects.create_user(username, password="not-used-here", is_staff=staff)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return User.objects.get(pk=user.pk)


class ReadBeforeWriteClient(APIClient):
    """A client that writes as the README says: a PUT or PATCH without an explicit If-Match first GETs
    the resource and sends back its ETag (as If-Match: the GET's answer, if it has no ETag). Tests of
    If-Match itself pass HTTP_IF_MATCH, or use token_client(user, read_before_write=False)."""

    def _with_etag(self, path, extra):
        if "HTTP_IF_MATCH" not in extra:
            etag = self.get(path, HTTP_ACCEPT="application/json").get("ETag")
            if etag:
                extra["HTTP_IF_MATCH"] = etag
        return extra

    def patch(self, path, data=None, format=None, content_type=None, follow=False, **extra):
        return super().patch(path, data, format, content_type, follow, **self._with_etag(path, extra))

    def put(self, path, data=None, format=None, content_type=None, follow=False, **extra):
        return super().put(path, data, format, content_type, follow, **self._with_etag(path, extra))


def token_client(user, read_before_write=True):
    token, _ = Token.objects.get_or_create(user=user)
    api = ReadBeforeWriteClient() if read_before_write else APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


@pytest.fixture
def editor(db):
    """Staff editor who may create and change briefs and submit them for review, but not publish."""
    return make_user(
        "editor", "briefs.view_brief", "briefs.add_brief", "briefs.change_brief", "briefs.submit_brief", staff=True
    )


@pytest.fixture
def publisher(db):
    return make_user(
        "publisher",
        "briefs.view_brief",
        "briefs.add_brief",
        "briefs.change_brief",
        "briefs.publish_brief",
        "briefs.submit_brief",
        "briefs.review_brief",
        "briefs.withdraw_brief",
        staff=True,
    )


@pytest.fixture
def reader(db):
    """A token user with no permissions at all."""
    return make_user("reader")
