"""Every brief's deal facts become a deal record of its own, as a deployment runs it.

Each brief gets one Deal (its slug, the brief's title as its name) with the brief's type,
announcement date, disclosure, currency and stake wording; its amounts become official figures
(amount, "up to", valuation of unstated type, stake) with no source yet (the citation check asks
for one before the brief is next submitted); its parties in deal roles become participants (a
competitor or a party merely mentioned stays on the brief only); and the brief is linked to it.
The headline size and the USD equivalents are worked out here with the ECB rates the
currencyconverter package ships, by the rule of the time, frozen below.

Reversible: going back copies each brief's deal facts from its deal and removes the deals.
"""

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import migrations

CHUNK = 2000
PARTICIPANT_ROLES = {"investor", "target", "acquirer", "seller", "advisor", "lender", "partner"}
CENT = Decimal("0.01")


class _Rates:
    """USD per unit at the ECB rate of a day (or the latest in the week before), from the package."""

    def __init__(self):
        from currency_converter import CurrencyConverter

        self.converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
        self.memo = {}

    def usd(self, amount, currency, on):
        if amount is None or not currency or on is None:
            return None, None, None
        key = (currency, on)
        if key not in self.memo:
            self.memo[key] = self._rate(currency, on)
        rate, rate_on = self.memo[key]
        if rate is None:
            return None, None, None
        return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_EVEN), rate, rate_on

    def _rate(self, currency, on):
        from currency_converter import RateNotFoundError

        if currency == "USD":
            return Decimal(1), on
        if currency not in self.converter.currencies:
            return None, None
        for back in range(8):
            day = on - datetime.timedelta(days=back)
            try:
                rate = Decimal(repr(self.converter.convert(1, currency, "USD", date=day)))
            except RateNotFoundError:
                continue
            return rate.quantize(Decimal(1).scaleb(rate.adjusted() - 9), rounding=ROUND_HALF_EVEN), day
        return None, None


def briefs_to_deals(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    BriefParty = apps.get_model("briefs", "BriefParty")
    Deal = apps.get_model("briefs", "Deal")
    DealFigure = apps.get_model("briefs", "DealFigure")
    DealParticipant = apps.get_model("briefs", "DealParticipant")
    BriefDeal = apps.get_model("briefs", "BriefDeal")
    rates = _Rates()
    ids = list(Brief.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        briefs = list(Brief.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("pk"))
        deals = Deal.objects.bulk_create([_deal_of(Deal, brief, rates) for brief in briefs])
        figures, participants, links = [], [], []
        for brief, deal in zip(briefs, deals, strict=True):
            links.append(BriefDeal(brief_id=brief.pk, deal_id=deal.pk, position=0))
            for position, (kind, amount, percent) in enumerate(_figures_of(brief)):
                usd, rate, rate_on = rates.usd(amount, brief.currency, brief.announced_on)
                figures.append(
                    DealFigure(
                        deal_id=deal.pk,
                        kind=kind,
                        basis="official",
                        amount=amount,
                        percent=percent,
                        currency=brief.currency if amount is not None else "",
                        position=position,
                        amount_usd=usd,
                        usd_rate=rate,
                        usd_rate_on=rate_on,
                    )
                )
        deal_of_brief = {brief.pk: deal.pk for brief, deal in zip(briefs, deals, strict=True)}
        links_of_parties = BriefParty.objects.filter(brief_id__in=deal_of_brief).order_by("brief_id", "position", "pk")
        for link in links_of_parties:
            if link.role in PARTICIPANT_ROLES:
                participants.append(
                    DealParticipant(
                        deal_id=deal_of_brief[link.brief_id],
                        party_id=link.party_id,
                        role=link.role,
                        position=link.position,
                    )
                )
        DealFigure.objects.bulk_create(figures)
        DealParticipant.objects.bulk_create(participants, ignore_conflicts=True)
        BriefDeal.objects.bulk_create(links)


def _figures_of(brief):
    figures = []
    if brief.amount is not None:
        figures.append(("amount", brief.amount, None))
    if brief.amount_up_to is not None:
        figures.append(("up_to", brief.amount_up_to, None))
    if brief.valuation is not None:
        figures.append(("valuation", brief.valuation, None))
    if brief.stake_percent is not None:
        figures.append(("stake", None, brief.stake_percent))
    return figures


def _deal_of(Deal, brief, rates):
    sizes = [(kind, amount) for kind, amount, _ in _figures_of(brief) if kind in ("amount", "up_to")]
    kind, amount = max(sizes, key=lambda size: size[1]) if sizes else ("", None)
    usd, rate, rate_on = rates.usd(amount, brief.currency, brief.announced_on)
    return Deal(
        name=brief.title[:200],
        slug=brief.slug,
        deal_type=brief.deal_type,
        status="announced",
        announced_on=brief.announced_on,
        amount_disclosure=brief.amount_disclosure,
        currency=brief.currency,
        stake_description=brief.stake_description,
        headline_kind=kind,
        headline_amount=amount,
        headline_currency=brief.currency if amount is not None else "",
        headline_usd=usd,
        headline_usd_rate=rate,
        headline_usd_rate_on=rate_on,
        reported_usd=usd,
    )


def _consistent(brief, deal, found):
    """Deals made after this migration may not fit the brief's old constraints (amounts only on
    stages, say): an "up to" below the amount is dropped, a brief with an amount is disclosed, one
    without says undisclosed or no amount. Deals this migration made fit them already."""
    if brief.amount is not None and brief.amount_up_to is not None and brief.amount_up_to < brief.amount:
        brief.amount_up_to = None
    has_amount = brief.amount is not None or brief.amount_up_to is not None
    if has_amount:
        brief.amount_disclosure = "disclosed"
    else:
        brief.amount_disclosure = "not_applicable" if deal.amount_disclosure == "disclosed" else deal.amount_disclosure
    money = [f.currency for f in found.values() if f.amount is not None and f.currency]
    brief.currency = deal.currency or (money[0] if money else "")


def deals_to_briefs(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    BriefDeal = apps.get_model("briefs", "BriefDeal")
    DealFigure = apps.get_model("briefs", "DealFigure")
    Deal = apps.get_model("briefs", "Deal")
    fields = ["deal_type", "announced_on", "amount_disclosure", "currency", "stake_description"]
    figure_fields = {"amount": "amount", "up_to": "amount_up_to", "valuation": "valuation"}
    links = BriefDeal.objects.filter(position=0).select_related("deal").order_by("brief_id")
    by_brief = {link.brief_id: link.deal for link in links}
    figures = {}
    for figure in DealFigure.objects.filter(stage__isnull=True, basis="official").order_by("position", "pk"):
        figures.setdefault(figure.deal_id, {}).setdefault(figure.kind, figure)
    ids = sorted(by_brief)
    for start in range(0, len(ids), CHUNK):
        briefs = list(Brief.objects.filter(pk__in=ids[start : start + CHUNK]))
        for brief in briefs:
            deal = by_brief[brief.pk]
            for name in fields:
                setattr(brief, name, getattr(deal, name))
            found = figures.get(deal.pk, {})
            for kind, name in figure_fields.items():
                setattr(brief, name, found[kind].amount if kind in found else None)
            brief.stake_percent = found["stake"].percent if "stake" in found else None
            _consistent(brief, deal, found)
        Brief.objects.bulk_update(briefs, [*fields, *figure_fields.values(), "stake_percent"])
    BriefDeal.objects.all().delete()
    Deal.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("briefs", "0004_deals")]
    operations = [migrations.RunPython(briefs_to_deals, deals_to_briefs, elidable=False)]
