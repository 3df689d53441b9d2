"""The incentive engine's error codes and field names in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from silkbridge.zones.engine.incentives import IncentiveError

MESSAGES: dict[str, Any] = {
    "too_large": _("the document is larger than %(limit)s bytes"),
    "too_deep": _("the document is nested deeper than %(limit)s levels"),
    "syntax": _("the document is not valid JSON (line %(line)s, column %(column)s): %(problem)s"),
    "duplicate_key": _("the key “%(key)s” appears twice"),
    "not_object": _("must be an object"),
    "unknown_key": _("unknown field “%(key)s”"),
    "required": _("is required"),
    "not_number": _("must be a number"),
    "not_integer": _("must be a whole number"),
    "negative": _("must not be negative"),
    "out_of_range": _("must be between %(low)s and %(high)s"),
    "not_date": _("must be a date written YYYY-MM-DD"),
    "not_list": _("must be a list of 1 to %(limit)s years"),
    "too_long": _("must be at most %(limit)s characters"),
    "not_text": _("must be text"),
    "missing_rate": _("no rate “%(rate)s” is dated on or before %(start)s (the start of tax year %(year)s)"),
    "unknown_zone": _("no zone has the key “%(key)s”"),
}

FIELDS: dict[str, Any] = {
    "company": _("Company"),
    "zone": _("Zone"),
    "first_year": _("First tax year"),
    "stz_licence_year": _("STZ licence tax year"),
    "sez_production_start": _("SEZ production start"),
    "discount_rate_percent": _("Discount rate (%)"),
    "years": _("Years"),
    "revenue": _("Revenue"),
    "profit": _("Profit (loss as a negative number)"),
    "capital_goods_imported": _("Capital goods imported"),
    "local_purchases": _("Local purchases"),
    "payroll": _("Payroll"),
    "property_value": _("Property value"),
}

_YEAR_FIELD = re.compile(r"^years\[(\d+)\]\.(\w+)$")


def incentive_field_label(field_name: str) -> str:
    """`years[2].revenue` -> "Year 3: Revenue" in the reader's language; unknown names are kept."""
    match = _YEAR_FIELD.match(field_name)
    if match:
        label = FIELDS.get(match.group(2), match.group(2))
        return gettext("Year %(number)s: %(field)s") % {"number": int(match.group(1)) + 1, "field": label}
    if field_name.startswith("rates."):
        return gettext("Rates")
    return str(FIELDS.get(field_name, field_name))


def incentive_error_message(error: IncentiveError) -> str:
    """The reason alone (shown beside its field on the page)."""
    return str(MESSAGES[error.code]) % error.params


def incentive_error_text(error: IncentiveError) -> str:
    """The field and the reason: "Year 3: Revenue: must not be negative"."""
    message = incentive_error_message(error)
    return f"{incentive_field_label(error.field)}: {message}" if error.field else message
