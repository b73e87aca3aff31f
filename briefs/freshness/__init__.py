"""Never-stale caching of whole responses: the public pages and the API's reads.

One mechanism for both: the **content version**, a counter in the database (ContentVersion) that
triggers bump in the writing transaction on every write to a content table (briefs, their links,
notes, annotations, parties, sources, quotes, related briefs) — whatever wrote it: admin, API,
renderer, bulk updates, other processes or hosts. Time is part of visibility too (a scheduled brief
goes live when its publication time passes, with no write), so the state read once per request is
(version, next go-live time), one small query, and it is in every key and validator.

- ``state``: that query, the release token (a deploy changes every key) and the bumps for the two
  changes the triggers cannot see (a brief's authors, a user's name).
- ``entries``: what is stored (bytes and validators), under which key, when it may be stored, and
  conditional answers (304/412) through Django's ``get_conditional_response``.
- ``pages``: the public pages' cache (view decorator, early-answering middleware, in-process LRU).
- ``responses``: the API's response cache (DRF mixin, early path for anonymous hits).
"""
