from django.db import models

from briefs.models.briefs import MONEY


class SearchEntry(models.Model):
    """One published (or scheduled) brief as the search engine sees it. Written only by
    search.indexer; never edited by hand.

    The text columns feed the engine's index: on SQLite the FTS5 table briefs_search_fts (external
    content, kept in step by triggers on this table), on PostgreSQL the generated, weighted
    tsvector column ``document`` with a GIN index. Both are created by the search app's migrations for
    their vendor only; Django does not know about them. The other columns serve filters, facets, sorting
    and the result list without touching the brief's own tables.
    """

    brief = models.OneToOneField(
        "briefs.Brief", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    published_at = models.DateTimeField(db_index=True)
    deal_type = models.CharField(max_length=20)
    currency = models.CharField(max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_sort = models.DecimalField(**MONEY, null=True, blank=True)
    party_ids = models.TextField(blank=True, help_text="Linked party ids, space-separated.")
    deal_line = models.JSONField(
        default=list, blank=True, help_text="[[name, slug, role, party id], …] for results and facets."
    )
    deal_facts = models.JSONField(
        default=dict, blank=True, help_text="The brief's deals' facts for facets, sorts and results (search.documents)."
    )

    # Searched text, from the most to the least weighty.
    title = models.TextField()
    parties = models.TextField(blank=True)
    dek = models.TextField(blank=True)
    money = models.TextField(blank=True)
    context = models.TextField(blank=True, help_text="Quotes and speakers, source titles and publishers.")
    body = models.TextField(blank=True)
    facets = models.TextField(blank=True, help_text="Filter tokens (search.facets).")

    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "briefs_searchentry"  # the engines' own SQL (schema.py) names this table
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"

    def __str__(self):
        return self.title
