"""The editor's Django admin: briefs with their links inline, and parties, sources and quotes."""

from . import (  # noqa: F401  (each module registers its ModelAdmin)
    briefs,
    broken_sources,
    deals,
    parties,
    quotes,
    sources,
)
