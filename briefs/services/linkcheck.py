"""Checking that each source's URL still answers: HEAD, then GET if HEAD is refused; redirects
followed (at most 10); a timeout per request. The result is written to the source with UPDATE (not
save(), which would re-render every brief citing it).
"""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from ..markup.sanitize import web_url
from ..models import Source
from ..models.choices import LinkStatus

USER_AGENT = "DealsiteLinkChecker/1.0 (+source link check)"


@dataclass(frozen=True)
class LinkResult:
    status: str  # LinkStatus value
    code: int | None
    final_url: str
    error: str
    elapsed_ms: int


class PrivateAddress(urllib.error.URLError):
    """The URL (or a redirect) points into a private network: not ours to probe."""


def _check_public(url):
    """Refuse hosts that resolve to loopback, private, link-local or reserved addresses.

    Sources are typed in by editors; the checker runs inside our network, so it must not become a
    way to probe internal services (LINKCHECK_ALLOW_PRIVATE=True for tests on 127.0.0.1).
    """
    if settings.WORKFLOW.get("LINKCHECK_ALLOW_PRIVATE"):
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as failure:
        raise urllib.error.URLError(failure) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise PrivateAddress(f"{host} resolves to a non-public address ({address})")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_public(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _NoProxyOpener:
    """urllib without environment proxies (a link check goes straight to the site)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _CheckedRedirects())

    def open(self, request, timeout):
        return self.opener.open(request, timeout=timeout)


def check_url(url, timeout=None):
    """Check one URL; never raises for network problems (they are the result)."""
    timeout = timeout or settings.WORKFLOW["LINKCHECK_TIMEOUT_SECONDS"]
    if web_url(url) is None:
        return LinkResult(LinkStatus.BROKEN, None, "", "not an http(s) URL", 0)
    try:
        _check_public(url)
    except urllib.error.URLError as refused:
        return LinkResult(LinkStatus.BROKEN, None, "", f"not checked: {refused.reason}"[:300], 0)
    opener = _NoProxyOpener()
    started = time.monotonic()
    code, final_url, error = None, "", ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with opener.open(request, timeout) as response:
                code, final_url, error = response.status, response.geturl(), ""
                if method == "GET":
                    response.read(1024)
            break
        except urllib.error.HTTPError as failure:
            code, final_url, error = failure.code, failure.geturl() or url, f"HTTP {failure.code} {failure.reason}"
            failure.close()
            # Some servers refuse HEAD (405, 501, or an error page): GET decides.
        except TimeoutError:
            code, error = None, f"timed out after {timeout:g} s"
            break
        except urllib.error.URLError as failure:
            reason = failure.reason
            if isinstance(failure, PrivateAddress):
                code, error = None, f"not followed: {reason}"
            elif isinstance(reason, (TimeoutError, socket.timeout)):
                code, error = None, f"timed out after {timeout:g} s"
            else:
                code, error = None, f"could not connect: {reason}"
            break
        except (http.client.HTTPException, ConnectionError, OSError) as failure:
            code, error = None, f"{type(failure).__name__}: {failure}"
            # a server that drops a HEAD may still answer a GET
    elapsed_ms = int((time.monotonic() - started) * 1000)
    if code is not None and 200 <= code < 300:
        status = LinkStatus.OK if _same(final_url, url) else LinkStatus.REDIRECTED
    else:
        status = LinkStatus.BROKEN
    return LinkResult(
        status, code, final_url if final_url and not _same(final_url, url) else "", error[:300], elapsed_ms
    )


def _same(a, b):
    return (a or "").rstrip("/") == (b or "").rstrip("/")


def check_source(source_id, timeout=None):
    """Check one source's URL and record the result; returns the LinkResult (None if no URL)."""
    url = Source.objects.filter(pk=source_id).values_list("url", flat=True).first()
    if not url:
        return None
    result = check_url(url, timeout)
    Source.objects.filter(pk=source_id).update(
        link_status=result.status,
        link_status_code=result.code,
        link_final_url=result.final_url[:1000],
        link_error=result.error,
        link_response_ms=result.elapsed_ms,
        link_checked_at=timezone.now(),
    )
    return result


def sources_due(now=None, limit=500):
    """Sources with a URL never checked, or checked longer ago than the re-check interval."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=settings.WORKFLOW["LINKCHECK_RECHECK_AFTER_HOURS"])
    from django.db.models import Q

    return (
        Source.objects.exclude(url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff))
        .order_by("link_checked_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
