"""The site's absolute URLs. Every absolute URL the site prints (canonical links, API links, W3C
annotation ids, feeds, sitemaps, preview links) is SITE_URL plus a path, whichever host or port a
request came in on: one address per resource, the same in a page, its API record and its annotations."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """SITE_URL + `path` (a path from reverse() or get_absolute_url(), starting with /)."""
    return f"{settings.SITE_URL}{path}"


def site_scheme():
    return urlsplit(settings.SITE_URL).scheme


def site_domain():
    """SITE_URL without its scheme: host, port and any path prefix, as sitemaps and feeds join them."""
    scheme = site_scheme()
    return settings.SITE_URL[len(scheme) + 3 :]
