from ...freshness.responses import ConditionalReadMixin


class ApiReadMixin(ConditionalReadMixin):
    """Cached conditional reads for list and retrieve."""

    def list(self, request, *args, **kwargs):
        return self.cached_read(request, lambda: super(ApiReadMixin, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached_read(request, lambda: super(ApiReadMixin, self).retrieve(request, *args, **kwargs))
