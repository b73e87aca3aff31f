from dataclasses import dataclass


@dataclass(frozen=True)
class MarkupError:
    """A problem in the body markup, located by line so the editor can find it."""

    reference: str
    line: int
    message: str
    code: str = "invalid_markup"  # "unlinked": a well-formed reference to nothing the brief links

    def __str__(self):
        return f"{self.message}, line {self.line}"
