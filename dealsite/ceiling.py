"""The benchmark's ceiling: a trivial Django view behind the full middleware stack (no database,
no template). Mounted only when BENCHMARK_CEILING is set (see dealsite/urls.py)."""
from django.http import HttpResponse

BODY = b"<!doctype html><title>ceiling</title><p>ok</p>"


def ceiling(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")
