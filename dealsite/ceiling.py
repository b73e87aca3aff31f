"""The benchmark's ceiling: a trivial Django view behind the full middleware stack (no database,
no template), for the page and API benchmarks. Mounted only when BENCHMARK_CEILING is set (see
dealsite/urls.py).

``?bytes=N`` (at most 1 MB) pads the body to N bytes: the same view with a page-sized response,
to tell the cost of moving the bytes from the cost of making them.
"""

from django.http import HttpResponse

BODY = b"<!doctype html><title>ceiling</title><p>ok</p>"
PADDING = b"<!-- " + b"x" * 1024 + b" -->\n"


def ceiling(request):
    try:
        size = min(int(request.GET.get("bytes", 0)), 1 << 20)
    except ValueError:
        size = 0
    body = BODY
    if size > len(body):
        body += (PADDING * (size // len(PADDING) + 1))[: size - len(body)]
    return HttpResponse(body, content_type="text/html; charset=utf-8")
