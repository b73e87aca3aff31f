"""Python-Markdown extension that turns annotation links into highlight anchors."""

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .references import MalformedReference, parse_reference

EXTERNAL_SCHEMES = ("http://", "https://")


class RenderState:
    """What one render needs and learns: the linked targets in, problems and citations out."""

    def __init__(self, linked):
        self.linked = linked
        self.problems = []  # (reference text, message)
        self.citation_numbers = {}  # source key -> footnote number, by first citation
        self.ordinal = 0

    def problem(self, reference, message, code="invalid_markup"):
        self.problems.append((reference, message, code))

    def is_linked(self, reference):
        pool = {
            "party": self.linked.party_urls,
            "source": self.linked.sources,
            "quote": self.linked.quotes,
            "note": self.linked.notes,
            "correction": self.linked.corrections,
        }[reference.kind]
        return reference.key in pool

    def href_for(self, reference):
        if reference.kind == "party":
            return self.linked.party_urls[reference.key]
        if reference.kind == "source":
            return f"#source-{self.citation_numbers[reference.key]}"
        return f"#{reference.kind}-{reference.key}"


class AnnotationTreeprocessor(Treeprocessor):
    def __init__(self, md, state):
        super().__init__(md)
        self.state = state

    def run(self, root):
        self._walk(root, inside_annotation=False)

    def _walk(self, element, inside_annotation):
        for child in list(element):
            if child.tag == "h1":  # the page's own title is the only h1
                child.tag = "h2"
            nested = inside_annotation
            if child.tag == "a":
                nested = self._link(child, inside_annotation) or inside_annotation
            self._walk(child, nested)

    def _link(self, anchor, inside_annotation):
        """Rewrite one <a>; return True when it became an annotation."""
        href = anchor.get("href", "")
        try:
            reference = parse_reference(href)
        except MalformedReference:
            self.state.problem(
                href.strip(), f"{href.strip() or 'an empty link'} is not a valid reference (expected e.g. party:amazon)"
            )
            _unlink(anchor)
            return False
        if reference is None:
            if href.startswith(EXTERNAL_SCHEMES):
                anchor.set("rel", "nofollow noopener noreferrer")
            return False
        label = "".join(anchor.itertext()).strip()
        if inside_annotation:
            self.state.problem(str(reference), f"{reference} sits inside another annotation; annotations cannot nest")
        elif not label:
            self.state.problem(str(reference), f"{reference} has no text to annotate")
        elif not self.state.is_linked(reference):
            self.state.problem(str(reference), f"{reference} is not linked to this brief", code="unlinked")
        else:
            self._annotate(anchor, reference)
            return True
        _unlink(anchor)
        return False

    def _annotate(self, anchor, reference):
        self.state.ordinal += 1
        ordinal = self.state.ordinal
        if reference.kind == "source":
            self.state.citation_numbers.setdefault(reference.key, len(self.state.citation_numbers) + 1)
        anchor.attrib.clear()
        anchor.set("href", self.state.href_for(reference))
        anchor.set("class", f"anno anno-{reference.kind}")
        anchor.set("id", f"anno-{ordinal}")
        anchor.set("data-anno", str(ordinal))
        anchor.set("data-ref", str(reference))
        if reference.kind == "source":
            # The footnote number is shown but is not part of the annotated plain text.
            marker = etree.SubElement(anchor, "sup")
            marker.set("class", "cite-ref")
            marker.text = f"[{self.state.citation_numbers[reference.key]}]"


def _unlink(anchor):
    anchor.tag = "span"
    anchor.attrib.clear()


class AnnotationExtension(Extension):
    def __init__(self, state, **kwargs):
        self.state = state
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Raw HTML is never trusted: treat it as text, so it is escaped rather than passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After inline patterns (20) have made the <a> elements, before prettify (10).
        md.treeprocessors.register(AnnotationTreeprocessor(md, self.state), "dealsite_annotations", 15)
