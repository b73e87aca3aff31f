"""Content negotiation that names a bad `format=` instead of answering 404 (or ignoring it when empty)."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) if format_suffix is None else None
        if wanted is not None:
            formats = [renderer.format for renderer in renderers]
            if wanted not in formats:
                raise ValidationError(
                    {self.settings.URL_FORMAT_OVERRIDE: [f"Unknown format; this resource has: {', '.join(formats)}."]}
                )
        return super().select_renderer(request, renderers, format_suffix)
