"""Command-line behaviour of `silkbridge match`, `silkbridge bench matching` and `make eval`, as functions.

Each function takes paths or open streams and returns the exit code; the Django management
commands only parse arguments and call them. `python -m silkbridge.matching.engine.cli` runs them
without Django.

Exit codes: 0 all good; 1 some input lines were bad (reported on stderr, skipped, the rest done);
2 the input could not be used at all (missing file, truth file not a JSON object of ids).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import numpy as np

from silkbridge.common.rates import DEFAULT_RATES, Rates

from .bench import bench_matching
from .embedding import default_embedder
from .evaluation import evaluate, metrics, query_groups, rank_of
from .index import build_index
from .profiles import Profile, read_profiles_jsonl
from .weights import ScoringWeights

EXIT_OK, EXIT_BAD_LINES, EXIT_UNUSABLE = 0, 1, 2
PathOrStream = str | Path | IO[str]


@contextlib.contextmanager
def _opened(target: PathOrStream, mode: str) -> Iterator[IO[str]]:
    if isinstance(target, str | Path):
        with open(target, mode, encoding="utf-8") as handle:
            yield handle
    else:
        yield target


def _read_profiles(source: PathOrStream, stderr: TextIO) -> tuple[list[Profile], int] | None:
    try:
        with _opened(source, "r") as handle:
            profiles, errors = read_profiles_jsonl(handle)
    except OSError as error:
        print(f"cannot read profiles: {error}", file=stderr)
        return None
    name = source if isinstance(source, str | Path) else "profiles"
    for line_error in errors:
        print(f"{name}: {line_error}", file=stderr)
    return profiles, len(errors)


def _read_truth(source: PathOrStream, stderr: TextIO) -> dict[str, str] | None:
    try:
        with _opened(source, "r") as handle:
            truth = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read truth file: {error}", file=stderr)
        return None
    if not isinstance(truth, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in truth.items()):
        print("truth file must be a JSON object mapping a profile id to the id of its counterpart", file=stderr)
        return None
    return truth


def match_main(
    profiles: PathOrStream,
    *,
    top: int = 10,
    output: PathOrStream | None = None,
    truth: PathOrStream | None = None,
    language: str = "en",
    rates: Rates = DEFAULT_RATES,
    weights: ScoringWeights | None = None,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """`silkbridge match PROFILES.jsonl [--top K] [--output MATCHES.jsonl] [--truth TRUTH.json] [--language L]`.

    Without --truth: one line per profile, {"id", "matches": [{"id", "score", "reasons": [text]}]}, to
    --output (stdout when absent). With --truth: recall@1/5/10 and MRR as JSON on stdout, overall and
    per group (technology, technology_cross_lingual, investment, business), and matches only if
    --output is given too.
    """
    read = _read_profiles(profiles, stderr)
    if read is None:
        return EXIT_UNUSABLE
    loaded, bad_lines = read
    truth_map = _read_truth(truth, stderr) if truth is not None else None
    if truth is not None and truth_map is None:
        return EXIT_UNUSABLE
    index = build_index(loaded, rates=rates, weights=weights, embedder=default_embedder())
    if truth_map is None or output is not None:
        with _opened(output if output is not None else stdout, "w") as handle:
            for profile in loaded:
                matches = index.top_k(profile.id, top)
                row = {"id": profile.id, "matches": [match.as_dict(language) for match in matches]}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if truth_map is not None:
        json.dump(_truth_metrics(index, loaded, truth_map, stderr), stdout, indent=2)
        stdout.write("\n")
    return EXIT_BAD_LINES if bad_lines else EXIT_OK


def _truth_metrics(index: Any, loaded: list[Profile], truth: dict[str, str], stderr: TextIO) -> dict[str, Any]:
    by_id = {profile.id: profile for profile in loaded}
    grouped: dict[str, list[int | None]] = {}
    for query_id, target_id in sorted(truth.items()):
        if query_id not in by_id or target_id not in by_id:
            print(f"truth: {query_id} -> {target_id} names a profile that is not in the input; ignored", file=stderr)
            continue
        matches = index.top_k(query_id, 10**9, with_reasons=False)
        ids = [match.id for match in matches]
        scores = [match.score for match in matches]
        rank = rank_of(target_id, ids, np.array(scores))
        for group in query_groups(by_id[query_id], by_id[target_id]):
            grouped.setdefault(group, []).append(rank)
    return {group: metrics(ranks) for group, ranks in sorted(grouped.items())}


def _read_split(source: PathOrStream, stderr: TextIO) -> list[str] | None:
    try:
        with _opened(source, "r") as handle:
            split = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read split file: {error}", file=stderr)
        return None
    held_out = split.get("held_out") if isinstance(split, dict) else None
    if not isinstance(held_out, list) or not all(isinstance(item, str) for item in held_out):
        print('split file must be a JSON object with "held_out": a list of query ids', file=stderr)
        return None
    return held_out


def eval_main(
    profiles: PathOrStream,
    truth: PathOrStream,
    *,
    split: PathOrStream | None = None,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """`make eval`: the engine, its baselines and a 2-fold refit of the weights, as JSON on stdout;
    with a split file, also the tuning and the held-out half apart."""
    read = _read_profiles(profiles, stderr)
    truth_map = _read_truth(truth, stderr)
    held_out = _read_split(split, stderr) if split is not None else []
    if read is None or truth_map is None or held_out is None:
        return EXIT_UNUSABLE
    loaded, bad_lines = read
    report = evaluate(loaded, truth_map, progress=lambda message: print(message, file=stderr), held_out=held_out)
    json.dump(report, stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")
    return EXIT_BAD_LINES if bad_lines else EXIT_OK


def bench_main(*, profiles: int = 100_000, seed: int = 7, run_all: bool = True, stdout: TextIO = sys.stdout) -> int:
    """`silkbridge bench matching`: the figures of `bench_matching` as JSON on stdout."""
    json.dump(bench_matching(profiles, seed, run_all=run_all), stdout, indent=2)
    stdout.write("\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m silkbridge.matching.engine.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    match = commands.add_parser("match", help="top-k matches for every profile, or metrics against a truth file")
    match.add_argument("profiles")
    match.add_argument("--top", type=int, default=10)
    match.add_argument("--output")
    match.add_argument("--truth")
    match.add_argument("--language", choices=("en", "zh", "ur"), default="en")
    evaluation = commands.add_parser("eval", help="engine vs baselines on a labelled set")
    evaluation.add_argument("profiles")
    evaluation.add_argument("truth")
    evaluation.add_argument("--split", help="JSON object whose held_out lists the held-out queries")
    bench = commands.add_parser("bench", help="speed and memory on synthetic profiles")
    bench.add_argument("--profiles", type=int, default=100_000)
    bench.add_argument("--seed", type=int, default=7)
    bench.add_argument("--no-all", action="store_true", help="skip the top-10 of every profile")
    arguments = parser.parse_args(argv)
    if arguments.command == "match":
        return match_main(
            arguments.profiles,
            top=arguments.top,
            output=arguments.output,
            truth=arguments.truth,
            language=arguments.language,
        )
    if arguments.command == "eval":
        return eval_main(arguments.profiles, arguments.truth, split=arguments.split)
    return bench_main(profiles=arguments.profiles, seed=arguments.seed, run_all=not arguments.no_all)


if __name__ == "__main__":
    sys.exit(main())
