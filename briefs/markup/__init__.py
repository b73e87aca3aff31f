"""Brief markup: Markdown with party:/source:/quote:/note: links → sanitized, annotated HTML.

render_body() is the one renderer; everything else (admin validation, API validation, save-time
rendering) goes through it.
"""

from .errors import MarkupError
from .references import Reference
from .render import LinkedTargets, RenderedBody, render_body

__all__ = ["LinkedTargets", "MarkupError", "Reference", "RenderedBody", "render_body"]
