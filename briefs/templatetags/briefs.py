import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from dealsite.site_url import absolute_url

from ..charts import co_investor_chart_svg, timeline_chart_svg, volume_chart_svg
from ..deal_line import deal_lines as lines_of
from ..deal_wording import describe_size
from ..deal_wording import kind_text as kind_of
from ..markup.sanitize import web_url
from ..money import format_money
from ..services.presence import display_name

register = template.Library()


@register.filter
def volume_chart(months):
    return volume_chart_svg(months) if months else ""


@register.filter
def timeline_chart(points, party_name):
    return timeline_chart_svg(points, party_name) if points else ""


@register.filter
def co_investor_chart(co_investors, party_name):
    return co_investor_chart_svg(co_investors, party_name) if co_investors else ""


@register.filter
def money(amount, currency):
    return format_money(amount, currency)


@register.filter
def deal_amount(deal):
    """The deal's size in words (deal_wording.describe_size): honest about undisclosed amounts."""
    return describe_size(deal)


@register.filter
def deal_lines(brief):
    """A list item's line per deal the brief is about (brief loaded with Brief.objects.with_deals())."""
    return lines_of(brief)


@register.filter
def deal_kind(brief):
    """The kind of the brief's first deal ("Funding round (Series B)"), or "" for a brief about none."""
    link = brief.deal_link
    return kind_of(link.deal) if link else ""


register.filter("display_name", display_name)


@register.filter
def safe_url(url):
    """The URL if it is http(s), else '' (markup.sanitize.web_url)."""
    return web_url(url) or ""


@register.filter
def jsonld(data):
    """JSON for a <script type="application/ld+json"> block, safe against </script> breakouts."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))


@register.simple_tag
def canonical_url(request, page=None):
    """The page's canonical address on SITE_URL: its path, and the page number past the first page
    (other query parameters never make a second address for the same page)."""
    suffix = f"?page={page.number}" if page is not None and getattr(page, "number", 1) > 1 else ""
    return absolute_url(f"{request.path}{suffix}")
