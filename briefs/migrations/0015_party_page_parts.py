"""The party page's stored parts (briefs/services/party_parts.py): one row per party, made by the
pages and a background task; no trigger reads or writes it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0014_sitemap_date_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyPageParts",
            fields=[
                ("party_id", models.BigIntegerField(primary_key=True, serialize=False)),
                (
                    "counter",
                    models.BigIntegerField(help_text="The party's freshness counter when the parts were made."),
                ),
                (
                    "until",
                    models.DateTimeField(help_text="When a scheduled brief that changes them goes live.", null=True),
                ),
                ("key", models.CharField(help_text="The release they were made by.", max_length=32)),
                ("parts", models.JSONField()),
            ],
            options={
                "verbose_name": "party page parts",
                "verbose_name_plural": "party page parts",
            },
        ),
    ]
