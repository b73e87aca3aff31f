"""/healthz: is this app server able to serve? Checks the database and the cache, answers JSON.

200 {"status": "ok", ...} when both answer, 503 with the failing check otherwise. Never cached, exempt
from the HTTPS redirect (load balancers probe over plain HTTP), no session, no template.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 did not return 1")


def _cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("value written to the cache could not be read back")
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe
def healthz(request):
    checks, healthy = {}, True
    for name, check in CHECKS.items():
        start = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure of a dependency makes this server unhealthy
            healthy = False
            logger.error("health check %s failed: %s", name, error)
            checks[name] = {"status": "error", "error": type(error).__name__}
        else:
            checks[name] = {"status": "ok"}
        checks[name]["ms"] = round((time.perf_counter() - start) * 1000, 2)
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
