"""`silkbridge bench dc`: Tier classification and Monte Carlo speed on the Tier IV example design.

Targets (issue #5, on a 2-core machine): classification of a ~60-component design in ≤ 100 ms, and
1,000,000 simulated years in ≤ 10 s. Because shared machines are noisy, the same run also times two
fixed calibration workloads — a pure-Python loop and a NumPy sampling loop, the kinds of work the
classifier and the simulator do — and reports each figure as a ratio to its calibration.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from silkbridge.datacenters.engine.availability import benchmark as simulation_benchmark
from silkbridge.datacenters.engine.parse import design_load
from silkbridge.datacenters.engine.topology import classify_benchmark

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "datacenters" / "tier4.yaml"


def _calibrate_python(repeat: int = 5) -> float:
    """Milliseconds for a fixed dictionary-and-arithmetic loop (median of `repeat`)."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        table: dict[int, int] = {}
        for number in range(200_000):
            table[number % 1000] = table.get(number % 1000, 0) + number * number
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _calibrate_numpy(repeat: int = 3) -> float:
    """Seconds for drawing and sorting 10 million exponential variates (median of `repeat`)."""
    generator = np.random.default_rng(0)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        np.sort(generator.exponential(1.0, size=10_000_000))
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_dc(*, design_path: Path = EXAMPLE, years: int = 1_000_000, seed: int = 0) -> dict[str, Any]:
    parsed = design_load(design_path.read_text(encoding="utf-8"), filename=design_path.name)
    if parsed.design is None:
        raise ValueError("; ".join(issue.message for issue in parsed.errors))
    python_ms = _calibrate_python()
    numpy_seconds = _calibrate_numpy()
    classification = classify_benchmark(parsed.design)
    simulation = simulation_benchmark(parsed.design, years=years, seed=seed)
    return {
        "design": design_path.name,
        "classification": {
            **classification,
            "target_ms": 100,
            "calibration_python_ms": round(python_ms, 2),
            "ratio_to_calibration": round(float(classification["median_ms"]) / python_ms, 3),
        },
        "monte_carlo": {
            **simulation,
            "seconds": round(simulation["seconds"], 3),
            "target_seconds": 10,
            "calibration_numpy_seconds": round(numpy_seconds, 3),
            "ratio_to_calibration": round(simulation["seconds"] / numpy_seconds, 2),
        },
    }
