"""Forgetting every cached response, for a test that must measure or see a miss."""

from django.core.cache import cache

from briefs.freshness.entries import local


def forget_cached_responses():
    """The shared cache and this process's copies of its entries (pages and API responses)."""
    cache.clear()
    local.clear()
