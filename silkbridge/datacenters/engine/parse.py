"""Read a design document (YAML or JSON), validate it and build the `Design` model.

`design_load` never raises: every problem becomes an `Issue` with a document path
(`power.ups[0].modules`), a stable `code`, simple `params` and an English `message`. The web
layer translates by `code` + `params`, so the codes below are an interface; add codes, never
rename them.

Errors (the design is rejected, `ParseResult.design` is None):
    too_large {limit_bytes}              document over the size limit
    syntax {line, column, problem}       malformed YAML/JSON
    too_complex {limit}                  too deeply nested, or YAML aliases expanding too far
    unsupported_yaml {feature}           a YAML anchor, alias, tag or directive (the format has no use for them)
    duplicate_key {key}                  the same key twice in one mapping
    not_a_mapping {found}                the document (or a YAML document) is not a mapping
    required {key}                       a required key is missing
    wrong_type {expected}                e.g. a string where a number belongs
    not_finite                           NaN or infinity
    below_minimum {limit}                value < limit
    not_above {limit}                    value <= limit (must be greater than)
    above_maximum {limit}                value > limit
    not_allowed {allowed}                not one of the allowed words (comma-separated)
    unknown_key {key}                    a key the format does not know (typo?)
    too_short {limit} / too_long {limit} string length or number of items
    too_many {limit}                     too many items
    bad_format {pattern}                 an id or code with characters outside the pattern
    not_unique                           repeated entries in a list that must be unique
    invalid {detail}                     any other schema violation
    duplicate_id {id, first}             id already used at document path `first`
    unknown_component {id}               a path or powered_by names an id that does not exist
    cross_system_path {from, to}         a path joins a power and a cooling component
    path_loop {id}                       a path from a component to itself
    fuel_line_target {id, to}            a path from a fuel tank must end at a generator
    fuel_line_source {id}                a path into a fuel tank
    powered_by_not_power {id, kind}      powered_by names a cooling component
    no_source {system}                   no utility feed / generator, or no chiller / CRAC
    sink_unreachable {system, sink}      no chain of paths from a source to the sink
    internal_error {detail}              a bug in this module; the document is not at fault

Warnings (valid but physically odd; the design is still analysed):
    ups_capacity_below_load {ups_kw, it_load_kw}
    generator_capacity_below_load {generator_kw, it_load_kw}
    cooling_capacity_below_load {cooling_kw, heat_load_kw}
    no_fuel_storage
    fuel_below_minimum {hours, minimum_hours}
    tank_not_connected {id}
    generator_rating_missing {id}
    standby_generator_at_claimed_tier {id, claimed_tier}
    prime_generator_at_claimed_tier {id, claimed_tier}
    efficiency_out_of_range {id, efficiency}
    rack_density_without_continuous_cooling {rack_density_kw, limit_kw}
    no_compartments_at_claimed_tier {claimed_tier}
    unconnected_component {id}
    heat_load_below_it_load {heat_load_kw, it_load_kw}
    ups_backed_contradicted {ids, feeders}  ups_backed: true but no feeder in powered_by is on a UPS
    ups_backed_without_feeder {id}      ups_backed: true with no powered_by: believed only with a UPS that rides through
"""

from __future__ import annotations

import json
import math
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import jsonschema
import yaml

from .model import (
    COOLING_KINDS,
    POWER_KINDS,
    Component,
    Design,
    Energy,
    FuelSupply,
    GeneratorRating,
    Grid,
    Kind,
    Path,
    Reliability,
    Site,
    System,
)
from .network import DesignNetworks

MAX_DOCUMENT_BYTES = 1_000_000
MAX_NODES = 50_000  # expanded YAML nodes: stops alias "billion laughs" before validation walks them
MAX_DEPTH = 40
# The byte scan runs before any parser builds a tree (libyaml's composer recurses in C and crashes the
# process on ~40,000 nested brackets). It over-counts (brackets inside strings count too), so its limit
# is looser than MAX_DEPTH, which the node check then holds exactly.
MAX_SCAN_DEPTH = 100
MINIMUM_FUEL_HOURS = 12.0  # Uptime Tier Standard: 12 h of on-site fuel at N, every Tier
CONTINUOUS_COOLING_RACK_KW = 4.0  # Uptime recommends continuous cooling above 4 kW/rack
IMPLICIT_IT_LOAD_ID = "IT"
IMPLICIT_HEAT_LOAD_ID = "HEAT"

SCHEMA_PATH = FilePath(__file__).resolve().parent.parent / "schema" / "design.schema.json"

# Plural document keys -> component kind. The order is the order components appear in the model.
POWER_GROUPS: dict[str, Kind] = {
    "utility_feeds": Kind.UTILITY,
    "generators": Kind.GENERATOR,
    "fuel_tanks": Kind.FUEL_TANK,
    "transformers": Kind.TRANSFORMER,
    "ats": Kind.ATS,
    "switchgear": Kind.SWITCHGEAR,
    "ups": Kind.UPS,
    "sts": Kind.STS,
    "pdus": Kind.PDU,
    "busways": Kind.BUSWAY,
}
COOLING_GROUPS: dict[str, Kind] = {
    "chillers": Kind.CHILLER,
    "cooling_towers": Kind.COOLING_TOWER,
    "dry_coolers": Kind.DRY_COOLER,
    "pumps": Kind.PUMP,
    "heat_exchangers": Kind.HEAT_EXCHANGER,
    "thermal_storage": Kind.THERMAL_STORAGE,
    "crah": Kind.CRAH,
    "crac": Kind.CRAC,
}
# Kinds that can start a network: a component of these kinds with no incoming path is a source.
POWER_SOURCE_KINDS = frozenset({Kind.UTILITY, Kind.GENERATOR})
COOLING_SOURCE_KINDS = frozenset({Kind.CHILLER, Kind.CRAC, Kind.COOLING_TOWER, Kind.DRY_COOLER})

ISSUE_MESSAGES: dict[str, str] = {
    "too_large": "the document is larger than {limit_bytes} bytes",
    "syntax": "cannot be read at line {line}, column {column}: {problem}",
    "too_complex": "the document is nested too deeply or expands too far (limit {limit})",
    "unsupported_yaml": "YAML {feature} are not supported in a design document",
    "duplicate_key": "the key '{key}' appears twice",
    "not_a_mapping": "the document must be a mapping of keys (name, it_load_kw, power, cooling, ...), not {found}",
    "required": "is required",
    "wrong_type": "must be {expected}",
    "not_finite": "must be a finite number",
    "below_minimum": "must be at least {limit}",
    "not_above": "must be greater than {limit}",
    "above_maximum": "must be at most {limit}",
    "not_allowed": "must be one of: {allowed}",
    "unknown_key": "'{key}' is not a known key",
    "too_short": "must have at least {limit} characters or items",
    "too_long": "must have at most {limit} characters",
    "too_many": "must have at most {limit} items",
    "bad_format": "does not have the expected form ({pattern})",
    "not_unique": "must not repeat an entry",
    "invalid": "is not valid: {detail}",
    "duplicate_id": "id '{id}' is already used at {first}",
    "unknown_component": "'{id}' is not the id of any component",
    "cross_system_path": "a path cannot join '{from}' and '{to}': one is a power component and the other a cooling one",
    "path_loop": "path '{id}' starts and ends at the same component",
    "fuel_line_target": "fuel line '{id}' from a fuel tank must end at a generator, not at '{to}'",
    "fuel_line_source": "path '{id}' ends at a fuel tank; fuel lines run from a tank to a generator",
    "powered_by_not_power": "'{id}' is a {kind}, not a power component",
    "no_source": "the {system} network has no source (power: utility feed or generator; cooling: chiller, CRAC, "
    "cooling tower or dry cooler)",
    "sink_unreachable": "no chain of paths leads from a source of the {system} network to '{sink}'",
    "internal_error": "the design could not be processed ({detail}); please report this",
    "ups_capacity_below_load": "the UPS systems together give {ups_kw} kW, below the IT load of {it_load_kw} kW",
    "generator_capacity_below_load": "the engine generators together give {generator_kw} kW, below the IT load of "
    "{it_load_kw} kW",
    "cooling_capacity_below_load": "the chillers and CRAC units together give {cooling_kw} kW, below the heat load "
    "of {heat_load_kw} kW",
    "no_fuel_storage": "no fuel tank is connected to the generators: the plant runs only as long as its day tanks",
    "fuel_below_minimum": "fuel storage lasts {hours} h at N, below the {minimum_hours} h every Tier requires",
    "tank_not_connected": "fuel tank '{id}' has no fuel line to a generator and is not counted",
    "generator_rating_missing": "generator '{id}' has no rating (standby, prime, continuous, data_center); Tier III "
    "and IV need a rating without a runtime limit",
    "standby_generator_at_claimed_tier": "generator '{id}' is standby-rated, which Tier {claimed_tier} does not accept",
    "prime_generator_at_claimed_tier": "generator '{id}' is prime-rated: Tier {claimed_tier} accepts it only if the "
    "manufacturer allows unlimited hours at the design load; check the data sheet",
    "efficiency_out_of_range": "efficiency {efficiency} of '{id}' is outside 0.5-1 (a percentage? write 0.96, not 96)",
    "rack_density_without_continuous_cooling": "{rack_density_kw} kW per rack is above {limit_kw} kW, where Uptime "
    "recommends continuous cooling, but there is no thermal storage or UPS-backed cooling equipment",
    "no_compartments_at_claimed_tier": "Tier {claimed_tier} is claimed but no component states a compartment, so "
    "compartmentalisation cannot be shown",
    "unconnected_component": "'{id}' is not joined to anything by a path and plays no part in the analysis",
    "ups_backed_contradicted": "marked ups_backed, but nothing they are powered by ({feeders}) is fed from a UPS, so "
    "they are counted as stopping while the generators start: {ids}",
    "ups_backed_without_feeder": "'{id}' is marked ups_backed but names no powered_by: the flag is believed only "
    "while a UPS of the design rides through the generator start; name the board that feeds it",
    "heat_load_below_it_load": "the heat load of {heat_load_kw} kW is below the IT load of {it_load_kw} kW; almost "
    "all IT power becomes heat",
}


@dataclass(frozen=True)
class Issue:
    """One problem found in a document: where (`path`), what (`code` + `params`) and an English message."""

    path: str
    code: str
    params: dict[str, str | int | float] = field(default_factory=dict)
    message: str = ""
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "code": self.code,
            "params": dict(self.params),
            "message": self.message,
            "line": self.line,
        }


@dataclass(frozen=True)
class ParseResult:
    """The design (None when there are errors) and every error and warning found."""

    design: Design | None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.design is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "is_valid": self.is_valid,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
        }


def issue_make(path: str, code: str, *, at_line: int | None = None, **params: str | int | float) -> Issue:
    text = ISSUE_MESSAGES[code].format(**params)
    return Issue(path=path, code=code, params=params, message=f"{path}: {text}" if path else text, line=at_line)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def design_load(text: str, *, filename: str = "") -> ParseResult:
    """Parse and validate a YAML or JSON design; never raises."""
    try:
        return _design_load(text, filename=filename)
    except Exception as error:  # the promise to callers is "never a stack trace"; report instead
        return ParseResult(design=None, errors=[issue_make("", "internal_error", detail=type(error).__name__)])


def _design_load(text: str, *, filename: str) -> ParseResult:
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCUMENT_BYTES:
        return ParseResult(design=None, errors=[issue_make("", "too_large", limit_bytes=MAX_DOCUMENT_BYTES)])
    if nesting_depth_exceeds(text, MAX_SCAN_DEPTH):
        return ParseResult(design=None, errors=[issue_make("", "too_complex", limit=MAX_DEPTH)])
    lines: dict[str, int] = {}
    if filename.lower().endswith(".json"):
        document, errors = _read_json(text)
    else:
        document, errors = _read_yaml(text, lines)
    if errors:
        return ParseResult(design=None, errors=errors)
    if not isinstance(document, dict):
        found = "a list" if isinstance(document, list) else "empty" if document is None else "a single value"
        return ParseResult(design=None, errors=[issue_make("", "not_a_mapping", found=found)])

    errors = list(_schema_errors(document, lines))
    errors += _semantic_errors(document, lines, schema_valid=not errors)
    if errors:
        return ParseResult(design=None, errors=_sorted_unique(errors))
    design = _design_build(document, lines)
    return ParseResult(design=design, errors=[], warnings=design_warnings(design))


# --- reading -------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_MARKERS = re.compile(r"(?:[-?](?:[ \t]+|$))+")


def nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the text may nest deeper than `limit`, found in one linear pass over it before any parse.

    Counts open flow brackets ([ and {, in JSON and YAML alike), the stack of block indentations and
    the compact block markers on a line (`- - - x`). Quotes and comments are not understood, so
    brackets inside strings count too: the estimate is never below the real depth, which is what
    makes it safe to run the parsers afterwards.
    """
    flow = 0
    indents: list[int] = []
    for line in text.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(content)
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        markers = _BLOCK_MARKERS.match(content)
        block = len(indents) + (markers.group().count("-") + markers.group().count("?") if markers else 0)
        deepest = flow
        for bracket in _BRACKETS.findall(content):
            flow = flow + 1 if bracket in "[{" else max(flow - 1, 0)
            deepest = max(deepest, flow)
        if block + deepest > limit:
            return True
    return False


def _read_json(text: str) -> tuple[Any, list[Issue]]:
    def pairs_unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise _DuplicateKeyError(key)
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=pairs_unique), []
    except json.JSONDecodeError as error:
        return None, [
            issue_make("", "syntax", at_line=error.lineno, line=error.lineno, column=error.colno, problem=error.msg)
        ]
    except _DuplicateKeyError as error:
        return None, [issue_make("", "duplicate_key", key=str(error.args[0]))]
    except RecursionError:
        return None, [issue_make("", "too_complex", limit=MAX_DEPTH)]


class _DuplicateKeyError(Exception):
    pass


# libyaml's loader is several times faster; both are "safe" (no arbitrary Python objects).
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str, lines: dict[str, int]) -> tuple[Any, list[Issue]]:
    """Compose the node tree first so we can check its size, find duplicate keys and record line numbers."""
    try:
        feature = _unsupported_yaml_feature(text)
        if feature is not None:
            return None, [issue_make("", "unsupported_yaml", feature=feature)]
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, []
            problem = _yaml_check(node, lines)
            if problem is not None:
                return None, [problem]
            return loader.construct_document(node), []
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        text = error.problem or error.context or "invalid YAML"
        return None, [issue_make("", "syntax", at_line=line, line=line, column=column, problem=text)]
    except yaml.YAMLError as error:
        return None, [issue_make("", "syntax", line=0, column=0, problem=str(error)[:200])]
    except RecursionError:
        return None, [issue_make("", "too_complex", limit=MAX_DEPTH)]


_UNSUPPORTED_TOKENS = {
    yaml.AnchorToken: "anchors",
    yaml.AliasToken: "aliases",
    yaml.TagToken: "tags",
    yaml.DirectiveToken: "directives",
}


def _unsupported_yaml_feature(text: str) -> str | None:
    """Anchors and aliases (the "billion laughs"), tags and directives, found by the scanner alone
    (it keeps no tree, so it is linear and safe), before the composer builds any node."""
    for token in yaml.scan(text, Loader=_YamlLoader):
        feature = _UNSUPPORTED_TOKENS.get(type(token))
        if feature is not None:
            return feature
    return None


def _yaml_check(root: yaml.Node, lines: dict[str, int]) -> Issue | None:
    """Count expanded nodes (aliases included), depth and duplicate keys; record the line of each path."""
    expanded: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, path: str, on_stack: frozenset[int]) -> int:
        if depth > MAX_DEPTH or id(node) in on_stack:
            raise _TooComplexError
        known = expanded.get(id(node))
        if known is not None:
            return known
        lines.setdefault(path, node.start_mark.line + 1)
        total = 1
        stack = on_stack | {id(node)}
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen and key != "<<":
                    raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
                seen.add(key)
                total += size(value_node, depth + 1, f"{path}.{key}" if path else key, stack)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                total += size(item, depth + 1, f"{path}[{index}]", stack)
        if total > MAX_NODES:
            raise _TooComplexError
        expanded[id(node)] = total
        return total

    try:
        size(root, 0, "", frozenset())
    except _TooComplexError:
        return issue_make("", "too_complex", limit=MAX_NODES)
    except _DuplicateKeyError as error:
        key, line = error.args
        return issue_make("", "duplicate_key", at_line=line, key=key)
    return None


class _TooComplexError(Exception):
    pass


# --- validation ----------------------------------------------------------------------------------


def _path_text(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_for(path: str, lines: dict[str, int]) -> int | None:
    # Walk up to the nearest element that has a recorded line (a missing key has none of its own).
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("")


def _schema_errors(document: dict[str, Any], lines: dict[str, int]) -> Iterator[Issue]:
    for path, _value in _non_finite(document, ""):
        yield issue_make(path, "not_finite", at_line=_line_for(path, lines))
    for error in _validator().iter_errors(document):
        yield _schema_issue(error, lines)


def _non_finite(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    # JSON Schema's minimum/maximum let NaN through (every comparison with NaN is false).
    if isinstance(value, float) and not math.isfinite(value):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{path}[{index}]")


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping of keys",
    "array": "a list",
}


def _schema_issue(error: jsonschema.ValidationError, lines: dict[str, int]) -> Issue:
    path = _path_text(error.absolute_path)
    keyword = str(error.validator)
    limit = error.validator_value
    if keyword == "required":
        missing = next((key for key in limit if key not in error.instance), str(limit))
        full = f"{path}.{missing}" if path else str(missing)
        return issue_make(full, "required", at_line=_line_for(path, lines), key=str(missing))
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(str(key) for key in error.instance if key not in allowed)
        key = unknown[0] if unknown else "?"
        full = f"{path}.{key}" if path else key
        return issue_make(full, "unknown_key", at_line=_line_for(full, lines), key=key)
    if keyword == "dependentRequired":
        missing = next(iter(limit.values()))[0] if isinstance(limit, dict) else "?"
        full = f"{path}.{missing}" if path else str(missing)
        return issue_make(full, "required", at_line=_line_for(path, lines), key=str(missing))
    line = _line_for(path, lines)
    if keyword == "type":
        expected = " or ".join(_TYPE_WORDS.get(name, name) for name in ([limit] if isinstance(limit, str) else limit))
        return issue_make(path, "wrong_type", at_line=line, expected=expected)
    simple = {
        "minimum": "below_minimum",
        "exclusiveMinimum": "not_above",
        "maximum": "above_maximum",
        "minLength": "too_short",
        "minItems": "too_short",
        "maxLength": "too_long",
        "maxItems": "too_many",
    }
    if keyword in simple:
        return issue_make(path, simple[keyword], at_line=line, limit=_number(limit))
    if keyword == "enum":
        return issue_make(path, "not_allowed", at_line=line, allowed=", ".join(str(item) for item in limit))
    if keyword == "pattern":
        return issue_make(path, "bad_format", at_line=line, pattern=str(limit))
    if keyword == "uniqueItems":
        return issue_make(path, "not_unique", at_line=line)
    return issue_make(path, "invalid", at_line=line, detail=keyword)


def _number(value: Any) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value if isinstance(value, int | float) else 0


def _sorted_unique(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str]] = set()
    result = []
    for issue in issues:
        if (issue.path, issue.code) not in seen:
            seen.add((issue.path, issue.code))
            result.append(issue)
    return result


# --- semantic checks ------------------------------------------------------------------------------


@dataclass
class _Entry:
    id: str
    kind: Kind
    path: str
    item: dict[str, Any]


def _entries(document: dict[str, Any]) -> list[_Entry]:
    """Components as (id, kind, document path), tolerating a malformed document (schema errors reported apart)."""
    entries: list[_Entry] = []
    for network_key, groups, sink_key, sink_kind, default_id in (
        ("power", POWER_GROUPS, "it_load", Kind.IT_LOAD, IMPLICIT_IT_LOAD_ID),
        ("cooling", COOLING_GROUPS, "heat_load", Kind.HEAT_LOAD, IMPLICIT_HEAT_LOAD_ID),
    ):
        network = document.get(network_key)
        if not isinstance(network, dict):
            continue
        for group_key, kind in groups.items():
            items = network.get(group_key)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    entries.append(_Entry(item["id"], kind, f"{network_key}.{group_key}[{index}]", item))
        sink = network.get(sink_key)
        sink_item = sink if isinstance(sink, dict) else {}
        sink_id = sink_item.get("id", default_id)
        if isinstance(sink_id, str):
            entries.append(_Entry(sink_id, sink_kind, f"{network_key}.{sink_key}", sink_item))
    return entries


def _path_items(document: dict[str, Any]) -> Iterator[tuple[System, str, dict[str, Any]]]:
    for system in System:
        network = document.get(system.value)
        items = network.get("paths") if isinstance(network, dict) else None
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield system, f"{system.value}.paths[{index}]", item


def _semantic_errors(document: dict[str, Any], lines: dict[str, int], *, schema_valid: bool) -> list[Issue]:
    entries = _entries(document)
    errors: list[Issue] = []
    first_use: dict[str, str] = {}
    kinds: dict[str, Kind] = {}
    for entry in entries:
        if entry.id in first_use:
            path = f"{entry.path}.id"
            errors.append(
                issue_make(path, "duplicate_id", at_line=_line_for(path, lines), id=entry.id, first=first_use[entry.id])
            )
        else:
            first_use[entry.id] = entry.path
            kinds[entry.id] = entry.kind
    for _system, base, item in _path_items(document):
        path_id = item.get("id")
        if isinstance(path_id, str):
            if path_id in first_use:
                path = f"{base}.id"
                errors.append(
                    issue_make(
                        path, "duplicate_id", at_line=_line_for(path, lines), id=path_id, first=first_use[path_id]
                    )
                )
            else:
                first_use[path_id] = base
        errors += _path_errors(base, item, kinds, lines)
    for entry in entries:
        powered_by = entry.item.get("powered_by")
        if entry.kind in COOLING_KINDS and isinstance(powered_by, list):
            for index, feeder in enumerate(powered_by):
                path = f"{entry.path}.powered_by[{index}]"
                if not isinstance(feeder, str):
                    continue
                if feeder not in kinds:
                    errors.append(issue_make(path, "unknown_component", at_line=_line_for(path, lines), id=feeder))
                elif kinds[feeder] not in POWER_KINDS:
                    errors.append(
                        issue_make(
                            path,
                            "powered_by_not_power",
                            at_line=_line_for(path, lines),
                            id=feeder,
                            kind=kinds[feeder].value,
                        )
                    )
    if schema_valid and not errors:
        errors += _connectivity_errors(document, entries)
    return errors


def _path_errors(base: str, item: dict[str, Any], kinds: dict[str, Kind], lines: dict[str, int]) -> list[Issue]:
    errors = []
    ends = {}
    for end in ("from", "to"):
        value = item.get(end)
        if not isinstance(value, str):
            continue
        if value not in kinds:
            errors.append(
                issue_make(f"{base}.{end}", "unknown_component", at_line=_line_for(f"{base}.{end}", lines), id=value)
            )
        else:
            ends[end] = value
    if len(ends) < 2:
        return errors
    source, target = ends["from"], ends["to"]
    line = _line_for(base, lines)
    path_id = str(item.get("id", "?"))
    if source == target:
        errors.append(issue_make(base, "path_loop", at_line=line, id=path_id))
    elif (kinds[source] in POWER_KINDS) != (kinds[target] in POWER_KINDS):
        errors.append(issue_make(base, "cross_system_path", at_line=line, **{"from": source, "to": target}))
    elif kinds[source] is Kind.FUEL_TANK and kinds[target] is not Kind.GENERATOR:
        errors.append(issue_make(base, "fuel_line_target", at_line=line, id=path_id, to=target))
    elif kinds[target] is Kind.FUEL_TANK:
        errors.append(issue_make(base, "fuel_line_source", at_line=line, id=path_id))
    return errors


def _connectivity_errors(document: dict[str, Any], entries: list[_Entry]) -> list[Issue]:
    errors = []
    for system, source_kinds, sink_kind in (
        (System.POWER, POWER_SOURCE_KINDS, Kind.IT_LOAD),
        (System.COOLING, COOLING_SOURCE_KINDS, Kind.HEAT_LOAD),
    ):
        sources = [entry.id for entry in entries if entry.kind in source_kinds]
        sink = next(entry.id for entry in entries if entry.kind is sink_kind)
        if not sources:
            errors.append(issue_make(system.value, "no_source", system=system.value))
            continue
        successors: dict[str, list[str]] = {}
        for path_system, _base, item in _path_items(document):
            if path_system is system:
                successors.setdefault(item["from"], []).append(item["to"])
        if sink not in _reachable(sources, successors):
            errors.append(issue_make(system.value, "sink_unreachable", system=system.value, sink=sink))
    return errors


def _reachable(starts: Iterable[str], successors: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for following in successors.get(queue.popleft(), ()):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


# --- building the model ---------------------------------------------------------------------------


def _reliability(item: dict[str, Any]) -> Reliability:
    data = item.get("reliability") or {}
    return Reliability(
        mtbf_hours=_float_or_none(data.get("mtbf_hours")),
        mttr_hours=_float_or_none(data.get("mttr_hours")),
        fail_to_start=_float_or_none(data.get("fail_to_start")),
        fail_to_run_per_hour=_float_or_none(data.get("fail_to_run_per_hour")),
        source=data.get("source"),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _component(entry: _Entry, lines: dict[str, int]) -> Component:
    item = entry.item
    default_name = IMPLICIT_IT_LOAD_ID if entry.kind is Kind.IT_LOAD else entry.id
    rating = item.get("rating")
    return Component(
        id=entry.id,
        kind=entry.kind,
        name=item.get("name") or default_name,
        capacity_kw=_float_or_none(item.get("capacity_kw")),
        modules=int(item.get("modules", 1)),
        compartment=item.get("compartment"),
        powered_by=tuple(item.get("powered_by", ())),
        ups_backed=bool(item.get("ups_backed", False)),
        rating=GeneratorRating(rating) if rating else None,
        fuel_hours=_float_or_none(item.get("fuel_hours")),
        ride_through_minutes=_float_or_none(item.get("ride_through_minutes")),
        efficiency=_float_or_none(item.get("efficiency")),
        reliability=_reliability(item),
        line=lines.get(entry.path),
    )


def _design_build(document: dict[str, Any], lines: dict[str, int]) -> Design:
    components = tuple(_component(entry, lines) for entry in _entries(document))
    paths = tuple(
        Path(
            id=item["id"],
            source=item["from"],
            target=item["to"],
            system=system,
            active=bool(item.get("active", True)),
            compartment=item.get("compartment"),
            reliability=_reliability(item),
        )
        for system, _base, item in _path_items(document)
    )
    site_data = document.get("site") or {}
    grid_data = site_data.get("grid")
    supply_data = site_data.get("fuel_supply")
    site = Site(
        city=site_data.get("city"),
        country=site_data.get("country"),
        latitude=_float_or_none(site_data.get("latitude")),
        longitude=_float_or_none(site_data.get("longitude")),
        elevation_m=_float_or_none(site_data.get("elevation_m")),
        grid=Grid(
            outages_per_year=float(grid_data["outages_per_year"]),
            mean_outage_hours=float(grid_data["mean_outage_hours"]),
            source=grid_data.get("source", ""),
        )
        if grid_data
        else None,
        fuel_supply=FuelSupply(
            interval_hours=_float_or_none(supply_data.get("interval_hours")),
            lead_time_hours=_float_or_none(supply_data.get("lead_time_hours")),
            failure_probability=_float_or_none(supply_data.get("failure_probability")),
            source=supply_data.get("source", ""),
        )
        if supply_data
        else None,
    )
    energy_data = document.get("energy") or {}
    defaults = Energy()
    energy = Energy(
        cooling_type=energy_data.get("cooling_type", defaults.cooling_type),
        economiser=energy_data.get("economiser", defaults.economiser),
        supply_air_c=float(energy_data.get("supply_air_c", defaults.supply_air_c)),
        chilled_water_c=float(energy_data.get("chilled_water_c", defaults.chilled_water_c)),
        load_fraction=float(energy_data.get("load_fraction", defaults.load_fraction)),
        tariff_per_kwh=_float_or_none(energy_data.get("tariff_per_kwh")),
        currency=energy_data.get("currency", defaults.currency),
    )
    return Design(
        name=document["name"],
        it_load_kw=float(document["it_load_kw"]),
        site=site,
        components=components,
        paths=paths,
        heat_load_kw=_float_or_none(document.get("heat_load_kw")),
        rack_density_kw=_float_or_none(document.get("rack_density_kw")),
        claimed_tier=document.get("claimed_tier"),
        energy=energy,
        description=document.get("description", ""),
    )


# --- warnings --------------------------------------------------------------------------------------


def _kw(value: float) -> int | float:
    return round(value) if abs(value - round(value)) < 1e-9 else round(value, 1)


def design_warnings(design: Design) -> list[Issue]:
    """Physically odd but valid: the design is still analysed, the reader is told."""
    warnings: list[Issue] = []
    where = _component_paths(design)

    lines = {component.id: component.line for component in design.components}

    def warn(component_id: str | None, code: str, **params: str | int | float) -> None:
        line = lines.get(component_id) if component_id else None
        warnings.append(issue_make(where.get(component_id or "", ""), code, at_line=line, **params))

    it_load = design.it_load_kw
    for kinds, code, name in (
        ((Kind.UPS,), "ups_capacity_below_load", "ups_kw"),
        ((Kind.GENERATOR,), "generator_capacity_below_load", "generator_kw"),
    ):
        units = design.of_kind(*kinds)
        total = sum(unit.capacity_kw or 0.0 for unit in units)
        if units and total < it_load:
            warn(None, code, **{name: _kw(total), "it_load_kw": _kw(it_load)})
    cooling_units = design.of_kind(Kind.CHILLER, Kind.CRAC)
    cooling_total = sum(unit.capacity_kw or 0.0 for unit in cooling_units)
    if cooling_units and cooling_total < design.cooling_load_kw:
        warn(
            None, "cooling_capacity_below_load", cooling_kw=_kw(cooling_total), heat_load_kw=_kw(design.cooling_load_kw)
        )
    if design.heat_load_kw is not None and design.heat_load_kw < 0.9 * it_load:
        warn(None, "heat_load_below_it_load", heat_load_kw=_kw(design.heat_load_kw), it_load_kw=_kw(it_load))
    networks = DesignNetworks(design)
    warnings += _fuel_warnings(design, where, networks)
    on_ups = networks.ups_energised()
    contradicted: dict[tuple[str, ...], list[str]] = {}
    for component in design.components:
        if component.ups_backed and component.powered_by and not any(feed in on_ups for feed in component.powered_by):
            # Continuous cooling is derived from the topology; the flag alone is not believed.
            contradicted.setdefault(component.powered_by, []).append(component.id)
    for feeders, ids in contradicted.items():
        warn(ids[0], "ups_backed_contradicted", ids=", ".join(ids), feeders=", ".join(feeders))
    for component in design.components:
        if component.ups_backed and not component.powered_by:
            warn(component.id, "ups_backed_without_feeder", id=component.id)
    claimed = design.claimed_tier or 0
    for generator in design.of_kind(Kind.GENERATOR):
        if generator.rating is None:
            warn(generator.id, "generator_rating_missing", id=generator.id)
        elif generator.rating is GeneratorRating.STANDBY and claimed >= 3:
            warn(generator.id, "standby_generator_at_claimed_tier", id=generator.id, claimed_tier=claimed)
        elif generator.rating is GeneratorRating.PRIME and claimed >= 3:
            warn(generator.id, "prime_generator_at_claimed_tier", id=generator.id, claimed_tier=claimed)
    for component in design.components:
        if component.efficiency is not None and not 0.5 <= component.efficiency <= 1.0:
            warn(component.id, "efficiency_out_of_range", id=component.id, efficiency=component.efficiency)
    if (
        design.rack_density_kw is not None
        and design.rack_density_kw > CONTINUOUS_COOLING_RACK_KW
        and not design.of_kind(Kind.THERMAL_STORAGE)
        and not networks.cooling_on_ups()
    ):
        warn(None, "rack_density_without_continuous_cooling", rack_density_kw=design.rack_density_kw, limit_kw=4)
    if claimed == 4 and not any(component.compartment for component in design.components):
        warn(None, "no_compartments_at_claimed_tier", claimed_tier=claimed)
    joined = {path.source for path in design.paths} | {path.target for path in design.paths}
    for component in design.components:
        if component.id not in joined and component.kind is not Kind.FUEL_TANK:
            warn(component.id, "unconnected_component", id=component.id)
    return warnings


def _fuel_warnings(design: Design, where: dict[str, str], networks: DesignNetworks) -> list[Issue]:
    if not design.of_kind(Kind.GENERATOR):
        return []
    tanks = design.of_kind(Kind.FUEL_TANK)
    connected = {path.source for path in design.paths if path.system is System.POWER}
    warnings = [
        issue_make(where[tank.id], "tank_not_connected", at_line=tank.line, id=tank.id)
        for tank in tanks
        if tank.id not in connected
    ]
    stored = sum(tank.fuel_hours or 0.0 for tank in tanks if tank.id in connected)
    # What the tanks can deliver to generators that carry N, as the Tier criterion counts it.
    hours = networks.fuel_autonomy() if stored > 0 else 0.0
    if not tanks or stored == 0:
        warnings.append(issue_make("power.fuel_tanks", "no_fuel_storage"))
    elif hours < MINIMUM_FUEL_HOURS:
        warnings.append(
            issue_make(
                "power.fuel_tanks", "fuel_below_minimum", hours=_kw(hours), minimum_hours=_kw(MINIMUM_FUEL_HOURS)
            )
        )
    return warnings


def _component_paths(design: Design) -> dict[str, str]:
    counters: dict[Kind, int] = {}
    group_of = {kind: key for key, kind in (POWER_GROUPS | COOLING_GROUPS).items()}
    where = {}
    for component in design.components:
        if component.kind is Kind.IT_LOAD:
            where[component.id] = "power.it_load"
        elif component.kind is Kind.HEAT_LOAD:
            where[component.id] = "cooling.heat_load"
        else:
            index = counters.get(component.kind, 0)
            counters[component.kind] = index + 1
            network = "power" if component.kind in POWER_KINDS else "cooling"
            where[component.id] = f"{network}.{group_of[component.kind]}[{index}]"
    return where
