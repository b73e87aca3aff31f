"""Django's template engine with one difference: what a template renders passes the product's text
rule (briefs.text.printable), so no page can carry a character the HTML standard calls a parse
error (a control character in the input stream), whatever text is stored, including text written
around the inputs (raw SQL, old rows). Feeds, sitemaps and the JSON outputs are not templates and
clean, or escape, on their own."""

from django.template.backends.django import DjangoTemplates, Template
from django.utils.safestring import SafeData, mark_safe

from briefs.text import printable


class PrintableTemplate(Template):
    def render(self, context=None, request=None):
        rendered = super().render(context, request)
        cleaned = printable(rendered)
        # Removing characters cannot make markup, so what was safe stays safe.
        return mark_safe(cleaned) if isinstance(rendered, SafeData) else cleaned  # noqa: S308


class PrintableTemplates(DjangoTemplates):
    def from_string(self, template_code):
        return PrintableTemplate(super().from_string(template_code).template, self)

    def get_template(self, template_name):
        return PrintableTemplate(super().get_template(template_name).template, self)
