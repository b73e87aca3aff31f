import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from ..money import describe_amount, format_money

register = template.Library()


@register.filter
def money(amount, currency):
    return format_money(amount, currency)


@register.filter
def deal_amount(brief):
    return describe_amount(brief)


@register.filter
def jsonld(data):
    """JSON for a <script type="application/ld+json"> block, safe against </script> breakouts."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))
