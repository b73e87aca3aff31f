"""The index entry keeps its brief's deals' facts (for facets, sorts and results).

On SQLite, adding a column rebuilds the entry table and drops its FTS triggers: they are put back
here, with the SQL of migration 0002 frozen as it stands (names from the historical models).
"""

from django.db import migrations, models

COLUMNS = "title, parties, dek, money, context, body, facets"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))
TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS briefs_searchentry_ai AFTER INSERT ON {entry} BEGIN "
    f"INSERT INTO briefs_search_fts(rowid, {COLUMNS}) VALUES (new.brief_id, {NEW}); END",
    "CREATE TRIGGER IF NOT EXISTS briefs_searchentry_ad AFTER DELETE ON {entry} BEGIN "
    f"INSERT INTO briefs_search_fts(briefs_search_fts, rowid, {COLUMNS}) VALUES ('delete', old.brief_id, {OLD}); END",
    "CREATE TRIGGER IF NOT EXISTS briefs_searchentry_au AFTER UPDATE ON {entry} BEGIN "
    f"INSERT INTO briefs_search_fts(briefs_search_fts, rowid, {COLUMNS}) VALUES ('delete', old.brief_id, {OLD}); "
    f"INSERT INTO briefs_search_fts(rowid, {COLUMNS}) VALUES (new.brief_id, {NEW}); END",
]


def put_back_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        entry = apps.get_model("search", "SearchEntry")._meta.db_table
        for statement in TRIGGERS:
            schema_editor.execute(statement.format(entry=entry), params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_index")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="deal_facts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The brief's deals' facts for facets, sorts and results (search.documents).",
            ),
        ),
        migrations.RunPython(put_back_triggers, put_back_triggers, elidable=False),
    ]
