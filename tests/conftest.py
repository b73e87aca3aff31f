import os

import pytest
from hypothesis import settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property-based tests take their example count from the profile, so one setting bounds them all.
# No deadline: a shared or loaded machine makes per-example timings noise, not a finding. CI runs
# more examples than a local run and prints the blob that replays a failure (@reproduce_failure);
# it keeps no example database, since every CI checkout starts clean. HYPOTHESIS_PROFILE picks
# another profile by name.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure: .ci/run starts every server a test needs."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, where every server a test needs must be running: {reason}"


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches (the default cache and this process's copies of its entries): test
    databases roll back, so content versions repeat from test to test, and an entry one test left
    would answer for another test's content."""
    from tests.response_caches import forget_cached_responses

    forget_cached_responses()


@pytest.fixture
def demo_brief(db):
    from briefs.demo.loader import load_demo

    from .committing import as_committed

    with as_committed():  # loaded as bin/dev loads it: committed, so search has indexed it
        brief, _ = load_demo()
    return brief


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The default cache (page cache, response cache, rate limits) on a real Redis, as in production: a
    throwaway redis-server on 127.0.0.1 that stops with the test, or by itself after 300 s."""
    from benchmarks.page_benchmark import start_redis
    from briefs.freshness.entries import local

    server, url = start_redis(tmp_path, limit=300)
    if server is None:
        pytest.skip("redis-server is not installed (.ci/run installs Debian's redis-server)")
    try:
        original = settings.CACHES
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
            }
        }
        local.clear()
        yield
        settings.CACHES = original  # back to the local-memory cache before the server goes
    finally:
        server.terminate()
        server.wait(timeout=10)
        local.clear()


@pytest.fixture
def postgres_only():
    """For tests of PostgreSQL-specific behaviour: skipped (with the reason) on any other database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run `bin/with-postgres ./bin/test` or set DATABASE_URL=postgres://…")
