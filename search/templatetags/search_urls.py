"""Links that keep the current search and change one parameter: ?q=…&party=…&page=…"""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def search_url(state, key, value=None):
    """The search URL for `state` (the current parameters) with `key` set to `value` (None or ""
    removes it). Changing anything but the page goes back to page 1."""
    params = {k: v for k, v in state.items() if v not in (None, "")}
    if key != "page":
        params.pop("page", None)
    if value in (None, ""):
        params.pop(key, None)
    else:
        params[key] = value
    return "?" + urlencode(params)
