"""Availability, part 3: the Monte Carlo simulation of failures, repairs, grid outages and maintenance.

See the method notes in `availability` for the model. How it is made fast: per chunk of years every
down-window (failure to end of repair, maintenance, anchored grid outage, fuel-out) is sampled at once
as arrays. The state of the plant is a 64-bit XOR of random keys of the pseudo-elements that are down,
swept over the sorted window edges, so the state of every segment comes from one cumulative XOR. The
status of a state is read from a direct-mapped table indexed by the low bits of its key; only states
missing there go through Python (a dict of every state met, then the structure function for new ones).
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from silkbridge.datacenters.engine.availability_analytical import fuel_autonomy, maintained_blocks
from silkbridge.datacenters.engine.availability_structure import Structure
from silkbridge.datacenters.engine.reliability_data import HOURS_PER_YEAR, GridData, fuel_supply_data

BATCHES = 50
_CHUNK_YEARS = 5_000  # years simulated at once inside a batch (bounds memory)
_TABLE_BITS = 17  # the status table has 2**17 slots (1 MiB of keys: stays in cache)
_TABLE_MASK = (1 << _TABLE_BITS) - 1
_SPARE_SUBSETS = 256  # most generator subsets of one size tried when counting spare sets
_FUEL_CELLS = 2000  # phase cells of the delivery cycle when drawing dry outages
_ANCHORED = 4  # flag in a status code: the state holds an anchored grid outage (status is code & 3)


@dataclass
class SimulationResult:
    unavailability: float
    batch_unavailability: list[float]
    outages: int
    years: int
    seconds: float


class _Simulator:
    """Vectorised event sampling; the structure function is evaluated per distinct state only."""

    def __init__(self, structure: Structure, grid: GridData, rng: np.random.Generator) -> None:
        self.structure = structure
        self.grid = grid
        self.rng = rng
        blocks = structure.blocks
        self.block_count = len(blocks)
        self.anchor_id = self.block_count  # pseudo-element: grid known to be down
        self.fuel_id = self.block_count + 1  # pseudo-element: generators out of fuel
        self.maintained = maintained_blocks(structure)
        self.maintenance_ids = {index: self.block_count + 2 + n for n, index in enumerate(self.maintained)}
        total_ids = self.block_count + 2 + len(self.maintained)
        self.keys = rng.integers(1, 2**63 - 1, size=total_ids, dtype=np.int64)
        self._id_type = np.int16 if total_ids < 2**15 else np.int32  # int16 sorts by radix (stable, fast)
        self._sample_rates()
        self.generators = [
            (index, structure.element_figures(str(block.component)))
            for index, block in enumerate(blocks)
            if block.is_generator
        ]
        self.autonomy = fuel_autonomy(structure)
        self.supply = fuel_supply_data(structure.design, self.autonomy, grid)
        self._fuel = self._fuel_table() if math.isfinite(self.autonomy) else (0.0, np.zeros(0), [])
        offset = 0.0
        self.maintenance_offsets: dict[int, float] = {}
        for index, hours in self.maintained.items():
            self.maintenance_offsets[index] = offset % HOURS_PER_YEAR
            offset += hours
        self.redundant = np.zeros(total_ids, dtype=bool)  # generators whose loss alone changes nothing
        for index, _ in self.generators:
            alone = frozenset({index})
            self.redundant[index] = structure.is_up(alone, grid_up=False) and structure.is_up(alone, grid_up=True)
        self.spare = self._spare_generators()
        self.status_cache: dict[int, int] = {}  # state key -> status code, every state met
        self._table_keys = np.zeros(_TABLE_MASK + 1, dtype=np.int64)
        self._table_codes = np.zeros(_TABLE_MASK + 1, dtype=np.int8)
        # Slot 0 holds key 0, the empty state; no other state can match a zero key in its own slot.
        self._table_codes[0] = self._code(0, set())

    def _sample_rates(self) -> None:
        rates, repairs, owners = [], [], []
        for index, block in enumerate(self.structure.blocks):
            for member in block.members:
                figures = self.structure.element_figures(member)
                rate = figures.failure_rate_per_hour
                if rate > 0 and figures.mttr_hours > 0:
                    # Rate over calendar time so the down fraction matches lambda*r/(1+lambda*r).
                    rates.append(rate / (1 + rate * figures.mttr_hours))
                    repairs.append(figures.mttr_hours)
                    owners.append(index)
        self.rates = np.array(rates, dtype=float)
        self.repairs = np.array(repairs, dtype=float)
        self.owners = np.array(owners, dtype=np.int64)

    def run_batch(self, years: int) -> tuple[float, int]:
        downtime, outages = 0.0, 0
        for chunk_start in range(0, years, _CHUNK_YEARS):
            chunk = min(_CHUNK_YEARS, years - chunk_start)
            length = chunk * HOURS_PER_YEAR
            starts, ends, ids = self._windows(chunk, length)
            chunk_down, chunk_outages = self._sweep(starts, ends, ids, length)
            downtime += chunk_down
            outages += chunk_outages
        return downtime, outages

    # -- sampling -----------------------------------------------------------------------------------

    def _windows(self, years: int, length: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All down-windows of one chunk as (start, end, pseudo-element id) arrays, unsorted."""
        rng = self.rng
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

        def add(start: np.ndarray, duration: np.ndarray, pseudo_id: int | np.ndarray) -> None:
            ids = np.broadcast_to(np.asarray(pseudo_id, dtype=np.int64), start.shape)
            parts.append((start, np.minimum(start + duration, length), ids))

        counts = rng.poisson(self.rates * length)
        element = np.repeat(np.arange(len(self.rates)), counts)
        add(
            rng.random(element.size) * length,
            rng.exponential(1.0, element.size) * self.repairs[element],
            self.owners[element],
        )
        grid = self.grid
        if self.structure.has_utility:
            outages = int(rng.poisson(grid.outages_per_year * years))
            running_hours = grid.unavailability * length
        else:
            outages, running_hours = 0, length
        gen_start, gen_end, gen_id = self._generator_windows(outages, running_hours, length)
        if self.generators and outages and math.isfinite(self.autonomy):
            self._fuel_windows(outages, length, add)
        year_starts = np.arange(years, dtype=float) * HOURS_PER_YEAR
        for index, hours in self.maintained.items():
            add(year_starts + self.maintenance_offsets[index], np.full(years, hours), self.maintenance_ids[index])
        if gen_start.size:
            keep = self._mattering(gen_start, gen_end, gen_id, parts)
            gen_start, gen_end, gen_id = gen_start[keep], gen_end[keep], gen_id[keep]
            add(gen_start, gen_end - gen_start, gen_id)
            if self.structure.has_utility:
                add(gen_start, rng.exponential(grid.mean_outage_hours, gen_start.size), self.anchor_id)
        starts, ends, ids = zip(*parts, strict=True)
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(ids)

    def _fuel_table(self) -> tuple[float, np.ndarray, list[np.ndarray]]:
        """For drawing dry outages directly: P(an outage runs the tanks dry), P(k-th delivery attempt is the
        one that arrives | dry), and per k the cumulative weight over the phase cells of the delivery cycle.

        An outage starting at phase u runs dry when it outlasts the level A(u) (probability exp(-A(u)/mean))
        and the delivery that arrives, the k-th attempt at R_k(u), comes after A(u) (see fuel_out_fraction).
        """
        grid, supply = self.grid, self.supply
        phases = (np.arange(_FUEL_CELLS) + 0.5) / _FUEL_CELLS
        level = np.maximum(0.0, self.autonomy - grid.unavailability * phases * supply.interval_hours)
        outlasts = np.exp(-level / grid.mean_outage_hours)
        retry = min(supply.lead_time_hours, supply.interval_hours)
        weights, cumulative = [], []
        attempt, failure = 1, supply.failure_probability
        while True:
            arrival = (1.0 - phases) * supply.interval_hours + (attempt - 1) * retry
            cell = (1.0 - failure) * failure ** (attempt - 1) * outlasts * (arrival > level)
            weights.append(float(cell.mean()))
            cumulative.append(np.cumsum(cell) / cell.sum() if cell.sum() > 0 else np.ones(_FUEL_CELLS))
            if failure**attempt < 1e-12 or attempt >= 200:
                break
            attempt += 1
        total = float(sum(weights))
        return total, (np.array(weights) / total if total > 0 else np.array(weights)), cumulative

    def _fuel_windows(self, outages: int, length: float, add: Any) -> None:
        """The outages in which the tanks run dry before a delivery arrives, drawn directly (no rejection).

        Their number is binomial over all outages; each gets its delivery attempt k, its phase u in the
        cycle (from the table), the level A(u), a duration A(u) + Exp(mean) (memoryless) and the arrival.
        """
        rng, grid, supply = self.rng, self.grid, self.supply
        dry_probability, attempt_weights, cumulative = self._fuel
        count = int(rng.binomial(outages, dry_probability)) if dry_probability > 0 else 0
        if not count:
            return
        per_attempt = rng.multinomial(count, attempt_weights)
        retry = min(supply.lead_time_hours, supply.interval_hours)
        for index in np.flatnonzero(per_attempt).tolist():
            drawn = int(per_attempt[index])
            cells = np.searchsorted(cumulative[index], rng.random(drawn), side="right")
            phase = (np.minimum(cells, _FUEL_CELLS - 1) + rng.random(drawn)) / _FUEL_CELLS
            level = np.maximum(0.0, self.autonomy - grid.unavailability * phase * supply.interval_hours)
            arrival = (1.0 - phase) * supply.interval_hours + index * retry
            duration = level + rng.exponential(grid.mean_outage_hours, drawn)
            dry_until = np.minimum(duration, arrival)
            keep = dry_until > level
            start = rng.random(drawn) * length
            add(start[keep], duration[keep], self.anchor_id)
            add(start[keep] + level[keep], dry_until[keep] - level[keep], self.fuel_id)

    def _generator_windows(
        self, outages: int, running_hours: float, length: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Generator fail-to-start (thinned from the outages) and fail-to-run windows, all sets together.

        Each anchors the grid outage it happened in. They are by far the most numerous windows on a weak
        grid, so those of a redundant set that overlap nothing else are dropped before the sweep.
        """
        rng = self.rng
        starts, ends, ids = [np.empty(0)], [np.empty(0)], [np.empty(0, dtype=np.int64)]
        for index, figures in self.generators:
            fts = int(rng.binomial(outages, figures.fail_to_start or 0.0)) if outages else 0
            ftr = int(rng.poisson((figures.fail_to_run_per_hour or 0.0) * running_hours))
            count = fts + ftr
            if count:
                start = rng.random(count) * length
                starts.append(start)
                ends.append(np.minimum(start + rng.exponential(figures.mttr_hours, count), length))
                ids.append(np.full(count, index, dtype=np.int64))
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(ids)

    def _spare_generators(self) -> int:
        """How many generators may be down at once, whichever they are, with nothing else failed."""
        indices = [index for index, _ in self.generators]
        is_up = self.structure.is_up
        spare = 0
        for count in range(1, len(indices) + 1):
            subsets = [frozenset(subset) for subset in itertools.combinations(indices, count)]
            if len(subsets) > _SPARE_SUBSETS or not all(
                is_up(subset, grid_up=False) and is_up(subset, grid_up=True) for subset in subsets
            ):
                break
            spare = count
        return spare

    def _mattering(
        self,
        gen_start: np.ndarray,
        gen_end: np.ndarray,
        gen_id: np.ndarray,
        others: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    ) -> np.ndarray:
        """Which generator windows may change the state.

        Generator windows are grouped into clusters (chains of windows that overlap each other). A cluster
        of redundant sets that touches no other window and never has more sets down than are spare leaves
        the plant up throughout, so it is dropped; everything else is kept.
        """
        keep = ~self.redundant[gen_id]
        if keep.all():
            return keep
        order = np.argsort(gen_start)
        starts, ends = gen_start[order], gen_end[order]
        new_cluster = np.concatenate([[True], starts[1:] > np.maximum.accumulate(ends)[:-1]])
        first = np.flatnonzero(new_cluster)
        cluster = np.cumsum(new_cluster) - 1
        cluster_end = np.maximum.reduceat(ends, first)
        keep_cluster = _touches(starts[first], cluster_end, others)
        # Only a cluster of more windows than spare sets can have too many down at once: count those.
        spare = max(self.spare, 1)
        crowded = ~keep_cluster & (np.diff(np.append(first, starts.size)) > spare)
        if crowded.any():
            inside = crowded[cluster]
            depth = _cluster_depth(starts[inside], ends[inside], np.cumsum(new_cluster[inside]) - 1)
            keep_cluster[np.flatnonzero(crowded)] = depth > spare
        keep[order] |= keep_cluster[cluster]
        return keep

    # -- sweep --------------------------------------------------------------------------------------

    def _sweep(self, starts: np.ndarray, ends: np.ndarray, ids: np.ndarray, length: float) -> tuple[float, int]:
        """Downtime and outage count of one chunk from its windows."""
        starts, ends, ids = _merge_windows(starts, ends, ids, length, self._id_type)
        times = np.concatenate([starts, ends])
        order = np.argsort(times)  # equal times only bound zero-length segments, dropped below
        times = times[order]
        states = np.bitwise_xor.accumulate(self.keys[np.concatenate([ids, ids])[order]])
        boundaries = np.concatenate([[0.0], times, [length]])
        states = np.concatenate([[0], states])
        lengths = np.diff(boundaries)
        # Zero-length segments (a generator failure and its outage start at the same instant) carry no
        # time, and their midpoint would read the wrong members: leave them out.
        positive = lengths > 0
        segment_starts, lengths, states = boundaries[:-1][positive], lengths[positive], states[positive]
        codes = self._codes(states, segment_starts + lengths / 2, (starts, ends, ids))
        status = codes & 3
        down = status == 0
        downtime = float(lengths[down].sum())
        outages = int(np.count_nonzero(down[1:] & ~down[:-1])) + int(down[:1].sum())
        sensitive = status == 2
        if sensitive.any():
            # Right after an anchored outage the grid is known to be up; elsewhere it starts stationary.
            anchored = (codes & _ANCHORED) != 0
            after_anchor = np.concatenate([[False], anchored[:-1]])[sensitive]
            extra_down, extra_outages = self._grid_occupation(lengths[sensitive], after_anchor)
            downtime += extra_down
            outages += extra_outages
        return downtime, outages

    def _codes(
        self, states: np.ndarray, midpoints: np.ndarray, windows: tuple[np.ndarray, np.ndarray, np.ndarray]
    ) -> np.ndarray:
        """Status code of every segment: the table for states met before, Python for the rest."""
        slots = states & _TABLE_MASK
        codes = self._table_codes[slots]
        missing = np.flatnonzero(self._table_keys[slots] != states)
        if missing.size:
            keys, first = np.unique(states[missing], return_index=True)
            new_codes = self._codes_of(keys.tolist(), midpoints[missing[first]], windows)
            codes[missing] = new_codes[np.searchsorted(keys, states[missing])]
            # Later states sharing a slot overwrite earlier ones: the table is a cache, not the record.
            for key, code in zip(keys.tolist(), new_codes.tolist(), strict=True):
                self._table_keys[key & _TABLE_MASK] = key
                self._table_codes[key & _TABLE_MASK] = code
        return codes

    def _codes_of(
        self, keys: list[int], when: np.ndarray, windows: tuple[np.ndarray, np.ndarray, np.ndarray]
    ) -> np.ndarray:
        """Codes of states by key; a state never met is read off the windows open at its time `when`."""
        codes = np.array([self.status_cache.get(key, -1) for key in keys], dtype=np.int8)
        new = np.flatnonzero(codes < 0)
        if new.size:
            members = _membership(*windows, when[new])
            for position, state_members in zip(new.tolist(), members, strict=True):
                codes[position] = self.status_cache[keys[position]] = self._code(keys[position], state_members)
        return codes

    def _code(self, key: int, members: set[int]) -> int:
        """Status (0: down, 1: up, 2: down exactly while the grid is down), plus _ANCHORED if flagged."""
        cached = self.status_cache.get(key)
        if cached is not None:
            return cached
        failed = sum(1 << pseudo_id for pseudo_id in members if pseudo_id < self.block_count)
        maintenance = False
        for index, pseudo_id in self.maintenance_ids.items():
            if pseudo_id in members:
                failed |= 1 << index
                maintenance = True
        fuel_ok = self.fuel_id not in members
        anchored = self.anchor_id in members
        is_up = self.structure.is_up_mask
        if anchored or not self.structure.has_utility:
            status = 1 if is_up(failed, grid_up=False, fuel_ok=fuel_ok, maintenance=maintenance) else 0
        elif not is_up(failed, grid_up=True, maintenance=maintenance):
            status = 0
        elif is_up(failed, grid_up=False, fuel_ok=fuel_ok, maintenance=maintenance):
            status = 1
        else:
            status = 2
        code = status | (_ANCHORED if anchored else 0)
        self.status_cache[key] = code
        return code

    def _grid_occupation(self, lengths: np.ndarray, start_up: np.ndarray) -> tuple[float, int]:
        """Time the grid is down within each window, sampling the memoryless up/down process locally."""
        rng = self.rng
        grid = self.grid
        mean_down, mean_up = grid.mean_outage_hours, grid.mean_up_hours
        cycle = mean_down + mean_up
        long = lengths > 200 * cycle
        downtime = 0.0
        outages = 0
        if long.any():
            # Many cycles: the count is Poisson and the summed outage time Gamma (boundary effects dropped).
            counts = rng.poisson(lengths[long] / cycle)
            downtime += float(
                np.minimum(rng.gamma(np.maximum(counts, 1), mean_down) * (counts > 0), lengths[long]).sum()
            )
            outages += int(counts.sum())
        short = lengths[~long]
        short_start_up = start_up[~long]
        if short.size:
            clock = np.zeros(short.size)
            is_down = (rng.random(short.size) < grid.unavailability) & ~short_start_up
            outages += int(is_down.sum())
            active = np.ones(short.size, dtype=bool)
            while active.any():
                index = np.flatnonzero(active)
                spans = np.where(
                    is_down[index], rng.exponential(mean_down, index.size), rng.exponential(mean_up, index.size)
                )
                remaining = short[index] - clock[index]
                downtime += float(np.minimum(spans, remaining)[is_down[index]].sum())
                clock[index] += spans
                still = clock[index] < short[index]
                outages += int(np.count_nonzero(still & ~is_down[index]))
                is_down[index] = ~is_down[index]
                active[index] = still
        return downtime, outages


def _touches(
    cluster_start: np.ndarray, cluster_end: np.ndarray, others: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Whether each interval [start, end] overlaps one of the other windows."""
    starts = np.concatenate([part[0] for part in others]) if others else np.empty(0)
    if starts.size == 0:
        return np.zeros(cluster_start.size, dtype=bool)
    order = np.argsort(starts)
    latest_end = np.maximum.accumulate(np.concatenate([part[1] for part in others])[order])
    # Of the windows starting before an interval ends, the latest-ending one decides.
    before = np.searchsorted(starts[order], cluster_end, side="left")
    return (before > 0) & (latest_end[np.maximum(before - 1, 0)] > cluster_start)


def _cluster_depth(starts: np.ndarray, ends: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """Most windows open at once in each cluster (windows sorted by start, clusters numbered in time)."""
    times = np.concatenate([starts, ends])
    order = np.argsort(times)  # equal times (probability zero) only bound zero-length segments
    steps = np.concatenate([np.ones(starts.size, dtype=np.int64), -np.ones(ends.size, dtype=np.int64)])[order]
    open_count = np.cumsum(steps)
    event_cluster = np.concatenate([cluster, cluster])[order]
    # Clusters do not interleave in time, so the sorted events are grouped by cluster already.
    boundaries = np.searchsorted(event_cluster, np.arange(int(cluster[-1]) + 1), side="left")
    return np.maximum.reduceat(open_count, boundaries)


def _merge_windows(
    starts: np.ndarray, ends: np.ndarray, ids: np.ndarray, length: float, id_type: type[np.integer]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of overlapping windows of the same pseudo-element, so XOR toggles stay consistent.

    Returns the windows sorted by (id, start). Sorting by start, then stably by a 16-bit id (a radix
    sort), is several times faster than a lexsort on the pair.
    """
    keep = ends > starts
    starts, ends, ids = starts[keep], ends[keep], ids[keep]
    if starts.size == 0:
        return starts, ends, ids
    order = np.argsort(starts)
    order = order[np.argsort(ids[order].astype(id_type), kind="stable")]
    starts, ends, ids = starts[order], ends[order], ids[order]
    spacing = 2.0 * length + 1.0
    shifted_starts = starts + ids * spacing
    running_end = np.maximum.accumulate(ends + ids * spacing)
    new_block = np.concatenate([[True], shifted_starts[1:] > running_end[:-1]])
    first = np.flatnonzero(new_block)
    last = np.concatenate([first[1:] - 1, [starts.size - 1]])
    merged_ids = ids[first]
    merged_starts = starts[first]
    merged_ends = running_end[last] - merged_ids * spacing
    return merged_starts, merged_ends, merged_ids


def _membership(starts: np.ndarray, ends: np.ndarray, ids: np.ndarray, when: np.ndarray) -> list[set[int]]:
    """For each time in `when`, the pseudo-elements down then (merged windows are sorted by id, start)."""
    members: list[set[int]] = [set() for _ in range(when.size)]
    if ids.size == 0:
        return members
    boundaries = np.flatnonzero(np.diff(ids)) + 1
    for chunk_starts, chunk_ends, chunk_ids in zip(
        np.split(starts, boundaries), np.split(ends, boundaries), np.split(ids, boundaries), strict=True
    ):
        position = np.searchsorted(chunk_starts, when, side="right") - 1
        inside = (position >= 0) & (chunk_ends[np.maximum(position, 0)] > when)
        pseudo_id = int(chunk_ids[0])
        for index in np.flatnonzero(inside):
            members[index].add(pseudo_id)
    return members


def simulate(structure: Structure, grid: GridData, *, years: int, seed: int) -> SimulationResult:
    """Monte Carlo over `years` years in batches; deterministic for a seed (PCG64)."""
    started = time.perf_counter()
    rng = np.random.Generator(np.random.PCG64(seed))
    simulator = _Simulator(structure, grid, rng)
    batches = max(1, min(BATCHES, years))
    sizes = [years // batches + (1 if index < years % batches else 0) for index in range(batches)]
    batch_unavailability: list[float] = []
    total_down = 0.0
    total_outages = 0
    for size in sizes:
        downtime, outages = simulator.run_batch(size)
        batch_unavailability.append(downtime / (size * HOURS_PER_YEAR))
        total_down += downtime
        total_outages += outages
    return SimulationResult(
        unavailability=total_down / (years * HOURS_PER_YEAR),
        batch_unavailability=batch_unavailability,
        outages=total_outages,
        years=years,
        seconds=time.perf_counter() - started,
    )


def confidence_interval(result: SimulationResult, confidence: float) -> tuple[float, float]:
    """Batch-means normal interval on the availability."""
    values = result.batch_unavailability
    if len(values) < 2:
        return (1 - result.unavailability, 1 - result.unavailability)
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    spread = z * statistics.stdev(values) / math.sqrt(len(values))
    low = max(0.0, 1 - result.unavailability - spread)
    high = min(1.0, 1 - result.unavailability + spread)
    return (low, high)
