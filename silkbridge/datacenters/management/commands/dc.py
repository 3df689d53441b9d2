"""`silkbridge dc assess DESIGN.yaml [--json] [--years N] [--seed N] [--epw FILE]` and `silkbridge dc validate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silkbridge.datacenters.engine.assess import AssessmentError, assess_document
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.messages import message_text
from silkbridge.datacenters.report import group_reasons, verdict_paragraph
from silkbridge.datacenters.services import MAX_YEARS

TIER_NAMES = {0: "none", 1: "I", 2: "II", 3: "III", 4: "IV"}


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(f"{what} {path}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{what} {path}: cannot be read as UTF-8 text ({error})") from error


def _located(file_name: str, level: str, line: int | None, message: str) -> str:
    """`file:line: level: message`, the form editors and CI logs link to the line."""
    return f"{file_name}:{line}: {level}: {message}" if line else f"{file_name}: {level}: {message}"


class Command(BaseCommand):
    help = "Assess data-center designs against the Tier criteria, with availability and energy."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        assess = subcommands.add_parser("assess", help="Tier, availability and PUE of a design (YAML or JSON).")
        assess.add_argument("design", help="the design file")
        assess.add_argument("--json", action="store_true", help="print the whole assessment as JSON")
        assess.add_argument("--years", type=int, default=100_000, help="simulated years (default 100000)")
        assess.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        assess.add_argument("--epw", help="an EnergyPlus weather file for an hourly energy estimate")
        validate = subcommands.add_parser("validate", help="Check a design file; errors and warnings only.")
        validate.add_argument("design", help="the design file")

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read(options["design"], "design")
        if options["action"] == "validate":
            self._validate(text, options["design"])
            return
        if not 1 <= options["years"] <= MAX_YEARS * 10:
            raise CommandError(f"--years must be between 1 and {MAX_YEARS * 10}")
        weather = _read(options["epw"], "weather file") if options.get("epw") else None
        try:
            result = assess_document(
                text, file_name=options["design"], weather_text=weather, years=options["years"], seed=options["seed"]
            )
        except AssessmentError as error:
            for issue in error.issues:
                self.stderr.write(_located(options["design"], "error", issue.get("line"), issue["message"]))
            raise CommandError(f"{options['design']}: {len(error.issues)} error(s); nothing assessed") from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self._summary(result)

    def _validate(self, text: str, name: str) -> None:
        parsed = design_load(text, filename=name)
        for issue in parsed.errors:
            self.stderr.write(_located(name, "error", issue.line, issue.message))
        for issue in parsed.warnings:
            self.stdout.write(_located(name, "warning", issue.line, issue.message))
        if parsed.errors:
            raise CommandError(f"{name}: {len(parsed.errors)} error(s)")
        self.stdout.write(f"{name}: valid ({len(parsed.warnings)} warning(s))")

    def _summary(self, result: dict[str, Any]) -> None:
        write = self.stdout.write
        design = result["design"]
        write(f"{design['name']}: Tier {TIER_NAMES[result['tier']]}")
        write(f"  {verdict_paragraph(result)}")
        if design.get("claimed_tier"):
            verdict = "supports" if result["meets_claim"] else "does NOT support"
            write(f"  claimed Tier {TIER_NAMES[design['claimed_tier']]}: the design {verdict} the claim")
        for criterion in result.get("criteria", []):
            mark = "pass" if criterion["passed"] else "FAIL"
            write(f"  [{mark}] {criterion.get('title') or criterion['code']} (Tier {criterion.get('tier_required')})")
            for reason in group_reasons(criterion.get("reasons", [])):
                write(f"         {message_text(reason['code'], reason.get('params') or {}, reason['message'])}")
        availability = result["availability"]
        low, high = availability["interval"]
        downtime = availability["downtime_minutes_per_year"]
        write(
            f"  availability: analytical {availability['analytical']:.7f} ({downtime['analytical']:.1f} min/yr), "
            f"simulated {availability['simulated']:.7f} [{low:.7f}, {high:.7f}] over {result['years']} years"
        )
        for row in availability.get("single_points_of_failure", [])[:5]:
            label = "single point of failure" if row.get("single_point") else "contributes"
            share = 100 * float(row.get("share", 0))
            write(f"  {label}: {row.get('element')} ({share:.0f} % of downtime)")
        if result.get("pue") is not None:
            write(f"  PUE {result['pue']:.2f}")
        for warning in result.get("warnings", []):
            line = f"line {warning['line']}: " if warning.get("line") else ""
            write(f"  warning: {line}{warning['message']}")
