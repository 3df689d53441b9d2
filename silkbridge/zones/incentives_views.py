"""The incentive calculator page: the form, then each regime's year-by-year table (no chart needed to
read it) with totals and net present value in PKR, CNY and USD, and the rates with their sources."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from silkbridge.core.budgets import BudgetExceeded
from silkbridge.zones.engine.incentives import AMOUNT_FIELDS, IncentiveError
from silkbridge.zones.incentives_forms import IncentiveForm
from silkbridge.zones.incentives_messages import FIELDS, incentive_error_message, incentive_error_text
from silkbridge.zones.incentives_models import IncentiveRateKind
from silkbridge.zones.incentives_selectors import incentive_rate_list
from silkbridge.zones.incentives_services import incentive_pdf_charge, incentive_pdf_refund, incentives_run


def incentive_calculator_view(request: HttpRequest) -> HttpResponse:
    """The calculation is public (it reads public rates and stores nothing); its PDF needs sign-in and
    is charged to the user's hourly budget, because WeasyPrint renders it in the request."""
    wants_pdf = request.method == "POST" and request.POST.get("format") == "pdf"
    if wants_pdf and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = IncentiveForm(request.POST)
        if form.is_valid():
            try:
                result = incentives_run(document=form.document())
            except IncentiveError as error:
                form.engine_error(error.field, incentive_error_message(error), incentive_error_text(error))
    else:
        form = IncentiveForm(initial=IncentiveForm.defaults())
    regimes = _regimes(result) if result else []
    titles = {regime["key"]: regime["title"] for regime in regimes}
    context = {
        "form": form,
        "year_columns": [FIELDS[name] for name in AMOUNT_FIELDS],
        "zone_regime_title": titles.get(result["zone_regime"], "") if result else "",
        "year_rows": form.year_rows(),
        "result": result,
        "regimes": regimes,
        "rates": incentive_rate_list(),
        "kind_labels": dict(IncentiveRateKind.choices),
    }
    status = 422 if form.errors else 200
    if result and wants_pdf:
        try:
            charge = incentive_pdf_charge(actor=request.user, years=len(result["regimes"]["ordinary"]["years"]))
        except BudgetExceeded as error:  # refused on the page, in the reader's language, as datacenters does
            form.add_error(None, error.message)
            status = 429
        else:
            response = _pdf_response(request, context)
            if response is not None:
                return response
            incentive_pdf_refund(charge=charge)  # nothing was rendered: the PDF costs nothing
            form.add_error(None, _("PDF reports need the Pango library on the server; run “make pdf” as root."))
            status = 503
    return render(request, "zones/incentive_calculator.html", context, status=status)


def _pdf_response(request: HttpRequest, context: dict[str, Any]) -> HttpResponse | None:
    """The same tables as a PDF in the reader's language (one page or two: rendered in the request, as
    the data-center report is), or None when WeasyPrint cannot load Pango. WeasyPrint is imported
    here: it is heavy and loads Pango."""
    labels = context["kind_labels"]
    for rate in context["result"]["rates"]:
        rate["label"] = labels.get(rate["kind"], rate["kind"])
    html = render_to_string("zones/incentive_print.html", context, request=request)
    try:
        from weasyprint import HTML
    except OSError:  # Pango missing: WeasyPrint cannot load its C libraries
        return None
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="incentives.pdf"'
    return response


def _regimes(result: dict[str, Any]) -> list[dict[str, Any]]:
    titles = {
        "ordinary": _("Outside any zone (ordinary regime)"),
        "stz": _("In a Special Technology Zone (STZA Act 2021)"),
        "sez": _("In a CPEC Special Economic Zone (SEZ Act 2012)"),
    }
    return [{"key": key, "title": titles[key], **_grouped_regime(data)} for key, data in result["regimes"].items()]


MONEY_KEYS = ("income_tax", "sales_tax", "customs_duty", "property_tax", "total_pkr", "total_cny", "total_usd")


def _grouped(amount: str) -> str:
    """An exact amount with its thousands grouped, the same in every language (the tables are read in
    English, Chinese and Urdu; Django's zh-hans format groups by 4 with no separator and Urdu has no
    format, so `intcomma` would show 550000): "550000" -> "550,000", "13946.43" -> "13,946.43"."""
    return f"{Decimal(amount):,}"


def _grouped_regime(data: dict[str, Any]) -> dict[str, Any]:
    """A regime's figures for display: money grouped, the tax year (2027) left as it is."""
    years = [{**year, **{key: _grouped(year[key]) for key in MONEY_KEYS if key in year}} for year in data["years"]]
    return {
        **data,
        "years": years,
        "totals": {key: _grouped(value) for key, value in data["totals"].items()},
        "npv": {key: _grouped(value) for key, value in data["npv"].items()},
    }
