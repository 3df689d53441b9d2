"""One assessment of a design: Tier verdict, availability and energy, as one JSON-ready dict.

This is the document `silkbridge dc assess --json` prints, the API returns and the report renders;
docs/datacenters.md documents every key. The Tier comes only from the topology: availability and
energy are reported beside it, never used to infer it.
"""

from __future__ import annotations

import time
from typing import Any

from silkbridge.datacenters.engine.availability import assess_availability
from silkbridge.datacenters.engine.climate import known_cities
from silkbridge.datacenters.engine.energy import EnergyInputError, estimate_energy
from silkbridge.datacenters.engine.epw import EpwError, read_epw
from silkbridge.datacenters.engine.model import Design, System
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.engine.topology import classify

FORMAT_VERSION = 1


class AssessmentError(Exception):
    """The design or the weather file is invalid; `issues` hold every error with its place and reason."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(issue["message"]) for issue in issues))
        self.issues = issues


def _issue_dict(issue: Any) -> dict[str, Any]:
    return {
        "path": issue.path,
        "code": issue.code,
        "params": dict(issue.params),
        "message": issue.message,
        "line": issue.line,  # in the source document, for `file:line` messages; None when it has no place
    }


def _design_summary(design: Design) -> dict[str, Any]:
    site = design.site
    return {
        "name": design.name,
        "description": design.description,
        "claimed_tier": design.claimed_tier,
        "it_load_kw": design.it_load_kw,
        "cooling_load_kw": design.cooling_load_kw,
        "site": {
            "city": site.city,
            "country": site.country,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "elevation_m": site.elevation_m,
        },
        "components": len(design.components),
        "paths": len(design.paths),
    }


def _diagram(design: Design, verdict: dict[str, Any]) -> dict[str, Any]:
    """Each network as nodes and edges for the report's diagram; `single_point` marks the elements whose
    single fault drops the load (the `fault_drops_load` reasons: generators as the source, no switching)."""
    single = {
        str(reason["params"]["element"])
        for criterion in verdict.get("criteria") or []
        if criterion.get("code") == "fault_tolerance"
        for reason in criterion.get("reasons") or []
        if reason.get("code") == "fault_drops_load"
    }
    networks: dict[str, Any] = {}
    for system in System:
        components, paths = design.in_system(system)
        networks[system.value] = {
            "nodes": [
                {"id": component.id, "kind": component.kind.value, "single_point": component.id in single}
                for component in components
            ],
            "edges": [
                {
                    "id": path.id,
                    "from": path.source,
                    "to": path.target,
                    "active": path.active,
                    "single_point": path.id in single,
                }
                for path in paths
            ],
        }
    return networks


def _weather(weather_text: str | None) -> Any:
    if weather_text is None:
        return None
    try:
        return read_epw(weather_text)
    except EpwError as error:
        raise AssessmentError(
            [{"path": "weather", "code": "epw_invalid", "params": {"reason": str(error)}, "message": str(error)}]
        ) from error


def _energy(design: Design, weather: Any) -> dict[str, Any]:
    """The energy estimate, or why there is none: a site with no shipped climate and no EPW file."""
    try:
        return estimate_energy(design, hourly=weather).to_dict()
    except EnergyInputError as error:
        return {
            "available": False,
            "pue_annual": None,
            "reason": str(error),
            "known_cities": known_cities(),
        }


def assess_design(design: Design, *, years: int, seed: int, weather: Any = None) -> dict[str, Any]:
    """Run the three engines over a parsed design."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    verdict = classify(design).to_dict()
    seconds["topology"] = time.perf_counter() - started
    started = time.perf_counter()
    availability = assess_availability(design, years=years, seed=seed).to_dict()
    seconds["availability"] = time.perf_counter() - started
    started = time.perf_counter()
    energy = _energy(design, weather)
    seconds["energy"] = time.perf_counter() - started
    tier = int(verdict["tier"])
    return {
        "format_version": FORMAT_VERSION,
        "design": _design_summary(design),
        "tier": tier,
        "meets_claim": None if design.claimed_tier is None else tier >= design.claimed_tier,
        **{key: value for key, value in verdict.items() if key != "tier"},
        "availability": availability,
        "diagram": _diagram(design, verdict),
        "pue": energy.get("pue_annual"),
        "energy": energy,
        "years": years,
        "seed": seed,
        "seconds": {key: round(value, 4) for key, value in seconds.items()},
    }


def document_check(text: str, *, file_name: str = "", weather_text: str | None = None) -> None:
    """Refuse, as assess_document would, a design or weather file with errors, without simulating."""
    parsed = design_load(text, filename=file_name)
    if parsed.errors or parsed.design is None:
        raise AssessmentError([_issue_dict(issue) for issue in parsed.errors])
    _weather(weather_text)


def assess_document(
    text: str, *, file_name: str = "", weather_text: str | None = None, years: int, seed: int
) -> dict[str, Any]:
    """Parse, validate and assess a design document; AssessmentError lists every problem at once."""
    parsed = design_load(text, filename=file_name)
    if parsed.errors or parsed.design is None:
        raise AssessmentError([_issue_dict(issue) for issue in parsed.errors])
    weather = _weather(weather_text)
    result = assess_design(parsed.design, years=years, seed=seed, weather=weather)
    result["warnings"] = [_issue_dict(issue) for issue in parsed.warnings]
    return result
