# Webhooks are announced through the API's brief writes in these tests: the same fixtures.
from tests.api.conftest import _api_settings, client, editor, publisher  # noqa: F401
