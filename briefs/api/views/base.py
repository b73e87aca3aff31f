from django.utils.dateparse import parse_datetime

from ..caching import ConditionalReadMixin


def _timestamps(data, key="updated_at"):
    if isinstance(data, dict):
        if key in data and isinstance(data[key], str):
            yield data[key]
        for name in ("results",):
            if name in data:
                yield from _timestamps(data[name], key)
    elif isinstance(data, list):
        for item in data:
            yield from _timestamps(item, key)


class ApiReadMixin(ConditionalReadMixin):
    """Cached conditional reads for list/retrieve; Last-Modified from the items' updated_at."""

    def list(self, request, *args, **kwargs):
        return self.cached_read(request, lambda: super(ApiReadMixin, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached_read(request, lambda: super(ApiReadMixin, self).retrieve(request, *args, **kwargs))

    def last_modified_of(self, data):
        stamps = [parse_datetime(value) for value in _timestamps(data)]
        stamps = [stamp for stamp in stamps if stamp]
        return max(stamps) if stamps else None
