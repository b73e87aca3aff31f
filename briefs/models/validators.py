from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from .choices import currency_codes

validate_wikidata_id = RegexValidator(r"^Q[1-9][0-9]*$", "Enter a Wikidata item id such as Q3884.")


def validate_currency(value):
    if value and value not in currency_codes():
        raise ValidationError(
            "%(value)s is not an ISO 4217 currency code (e.g. USD, EUR, GBP).",
            code="invalid_currency",
            params={"value": value},
        )


def validate_aliases(value):
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError("Aliases must be a list of non-empty names.", code="invalid_aliases")
