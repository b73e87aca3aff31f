from django.db import models

from .briefs import MONEY


class DealVolumeMonth(models.Model):
    """The home chart's data, one row per month: the deals announced (or, for a rumour, rumoured)
    that month that have a brief about them marked published, their headline sizes in US dollars
    added up, and those with an amount but no USD equivalent.

    Database row triggers (briefs/db_triggers.py, deal volume) recount a month in the writing
    transaction whenever a write can change it — a brief's status, a brief's deal links, a deal's
    dates or headline — whoever writes (admin, API, QuerySet.update(), raw SQL), so the chart costs
    a dozen rows however large the archive. The counts follow the status, not the clock: the chart
    corrects them by the visibility rule when it reads them (briefs.charts.deal_volume), from the
    briefs marked published but dated later and the scheduled ones due but not yet marked — index
    ranges that hold nothing in normal use, however long the schedule."""

    month = models.DateField(primary_key=True)  # the first of the month
    deals = models.PositiveIntegerField(default=0)
    usd = models.DecimalField(**MONEY, default=0)
    unconverted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = "deal volume of a month"

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.deals} deals"
