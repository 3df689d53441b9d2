"""The floor plan holds: each floor imports only the floors below it, engines import only common, and
nothing is left dead (the same checks as `make lint`, so the suite fails on a regression too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def test_every_import_contract_is_kept():
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Contracts: 8 kept, 0 broken." in result.stdout


def test_marketplace_and_money_reach_matching_only_through_their_hooks():
    from silkbridge.marketplace import hooks as marketplace_hooks
    from silkbridge.matching import services
    from silkbridge.money import hooks as money_hooks

    assert services.refresh_after_commit in marketplace_hooks.opportunity_changed._receivers
    assert marketplace_hooks.terms_suggested._provider is services.suggest_terms
    assert services.rebuild_after_rate in money_hooks.rates_changed._receivers


def test_zones_reach_matching_only_through_their_hooks():
    from silkbridge.events import relocation as events_relocation
    from silkbridge.matching import relocation, services
    from silkbridge.zones import hooks as zones_hooks

    assert zones_hooks.relocation_terms._provider is services.suggest_terms
    assert zones_hooks.partner_cities._provider is relocation.partner_cities
    assert zones_hooks.event_partner_cities._provider is events_relocation.event_partner_cities


def test_no_dead_code():
    result = _run(str(BIN / "vulture"))
    assert result.returncode == 0, result.stdout[-4000:]
    assert result.stdout == ""


def test_each_engine_contract_forbids_every_other_module_of_its_app():
    """The engine contracts list their app's modules by name; a new module must join the list."""
    import configparser

    contracts = configparser.ConfigParser()
    contracts.read(ROOT / ".importlinter")
    for app in ("events", "datacenters", "matching", "deals", "zones"):
        forbidden = set(contracts[f"importlinter:contract:engine-{app}"]["forbidden_modules"].split())
        package = ROOT / "silkbridge" / app
        modules = {
            f"silkbridge.{app}.{path.stem}"
            for path in package.iterdir()
            if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
        } - {f"silkbridge.{app}.engine"}
        assert modules - forbidden == set(), app
