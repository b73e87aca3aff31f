"""The editor's Django admin: briefs with their links inline, and parties, sources and quotes."""
from . import briefs, parties, quotes, sources, workflow  # noqa: F401  (each module registers its ModelAdmin)
from . import webhooks  # noqa: F401
