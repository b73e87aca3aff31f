"""The benchmark's ceiling: the cheapest Django view in the same process set-up (middleware and
all). Routed only when BENCHMARK_CEILING=1 (see dealsite/urls.py and benchmarks/api_benchmark.py)."""
from django.http import HttpResponse


def ceiling(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")
