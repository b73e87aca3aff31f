"""What features add to a brief without the core importing them.

A feature app registers a BriefExtension in its AppConfig.ready(); the core asks every registered
extension at the few places a brief's page, structured data, API representation and markup are
made. The core names no feature; a feature that is not installed simply adds nothing.

- ``anchor_keys(brief)``: {annotation kind: keys} the brief's markup may point at with that kind
  (``[text](kind:KEY)``), beyond the parties, sources, quotes and notes the core links.
- ``brief_page(brief, request)``: {slot: HTML} for the brief page's slots (``top``: above the body;
  ``end``: after the end matter), made with the feature's own templates, in a fixed number of
  queries.
- ``brief_jsonld(brief, request)``: schema.org properties merged into the brief's NewsArticle.
- ``brief_api(brief, serializer)``: fields added to the brief's API detail, and
  ``brief_api_schema()`` the same fields as JSON Schema properties for the OpenAPI document
  ({name: schema}; ``$ref`` to the feature's own components), so the schema says what the API sends.
- ``deal_page(deal, context)``: adds to the deal page's context (e.g. to its figure rows).

Each hook receives only public briefs from public paths; deciding what of its own is public is the
feature's rule.
"""

EXTENSIONS = []


class BriefExtension:
    """Base with hooks that add nothing; a feature overrides the ones it needs."""

    def anchor_keys(self, brief):
        return {}

    def brief_page(self, brief, request):
        return {}

    def brief_jsonld(self, brief, request):
        return {}

    def brief_api(self, brief, serializer):
        return {}

    def brief_api_schema(self):
        return {}

    def deal_page(self, deal, context):
        return None


def register(extension):
    if not any(type(existing) is type(extension) for existing in EXTENSIONS):
        EXTENSIONS.append(extension)


def anchor_keys(brief):
    keys = {}
    for extension in EXTENSIONS:
        for kind, found in extension.anchor_keys(brief).items():
            keys.setdefault(kind, set()).update(found)
    return keys


def brief_page(brief, request):
    slots = {}
    for extension in EXTENSIONS:
        for slot, html in extension.brief_page(brief, request).items():
            slots[slot] = slots.get(slot, "") + html
    return slots


def brief_jsonld(brief, request):
    data = {}
    for extension in EXTENSIONS:
        data.update(extension.brief_jsonld(brief, request))
    return data


def brief_api(brief, serializer):
    data = {}
    for extension in EXTENSIONS:
        data.update(extension.brief_api(brief, serializer))
    return data


def brief_api_schema():
    properties = {}
    for extension in EXTENSIONS:
        properties.update(extension.brief_api_schema())
    return properties


def deal_page(deal, context):
    for extension in EXTENSIONS:
        extension.deal_page(deal, context)
    return context
