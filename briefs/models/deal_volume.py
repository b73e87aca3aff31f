from django.db import models

from .briefs import MONEY


class DealVolumeMonth(models.Model):
    """The home chart's data, one row per month: the deals announced (or, for a rumour, rumoured)
    that month that have a brief about them in a live status (published or scheduled), their
    headline sizes in US dollars added up, and those with an amount but no USD equivalent.

    Database row triggers (briefs/db_triggers.py, deal volume) recount a month in the writing
    transaction whenever a write can change it — a brief's status, a brief's deal links, a deal's
    dates or headline — whoever writes (admin, API, QuerySet.update(), raw SQL), so the chart costs
    a dozen rows however large the archive. The rule counts live statuses, not the clock: deals
    whose only live briefs are scheduled for later are subtracted when the chart is read
    (briefs.charts.deal_volume), as the visibility rule decides by the clock."""

    month = models.DateField(primary_key=True)  # the first of the month
    deals = models.PositiveIntegerField(default=0)
    usd = models.DecimalField(**MONEY, default=0)
    unconverted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = "deal volume of a month"

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.deals} deals"
