"""A URL typed in the admin without a scheme is taken as https, on every admin with URL fields."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from briefs.models import Party, Source

from .workflow_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model, field", [(Party, "website"), (Source, "url")])
def test_a_url_without_a_scheme_is_taken_as_https(model, field):
    request = RequestFactory().get("/admin/")
    request.user = make_user("admin")
    form = admin.site._registry[model].get_form(request)
    assert form.base_fields[field].clean("example.com/about") == "https://example.com/about"
