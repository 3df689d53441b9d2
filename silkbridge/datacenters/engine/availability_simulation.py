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
from collections.abc import Callable
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
_FUEL_JITTER = 16  # points inside each phase cell when integrating over the sampler's jitter
_FUEL_REACH = 6.0  # dry outages longer than fuel autonomy + this many mean outages are drawn one by one
_SUMMED_SEGMENTS = 2_000  # from this many grid-sensitive (or generator) windows in a chunk they are summed
_SCANNED_STATES = 64  # at most this many new states in a chunk are read off the unmerged windows
_FUEL_SUMMED = 5_000  # fewest expected dry outages in a chunk for summing the isolated ones (else all drawn)


@dataclass
class SimulationResult:
    unavailability: float
    batch_unavailability: list[float]
    outages: int
    years: int
    seconds: float


@dataclass(frozen=True)
class _FuelProcess:
    """The dry outages as a Boolean model on the time axis, for summing those that touch nothing else.

    Dry intervals start at rate `rate` per hour (a Poisson process: a binomial thinning of Poisson outages);
    `coverage` is the stationary share of time inside their union, `variance` the asymptotic variance per
    hour of the covered time, `clumps` the rate of maximal covered stretches (outages). `reach` bounds the
    outage that holds a dry interval for all but the `long_table` ones, which are drawn one by one.
    """

    rate: float
    coverage: float
    variance: float
    clumps: float
    reach: float
    long_share: float  # of the dry outages, the share longer than `reach`
    long_joint: np.ndarray  # the table of the long ones, cumulative over (delivery attempt, phase cell)
    maintenance_neutral: bool  # maintenance windows (never overlapping) change nothing about dry outages


class _Simulator:
    """Vectorised event sampling; the structure function is evaluated per distinct state only."""

    def __init__(
        self, structure: Structure, grid: GridData, rng: np.random.Generator, *, sum_isolated_fuel: bool = True
    ) -> None:
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
        self._edge_mask = (1 << (2 * total_ids).bit_length()) - 1  # low bits of an edge: id and start/end
        self._sample_rates()
        self.generators = [
            (index, structure.element_figures(str(block.component)))
            for index, block in enumerate(blocks)
            if block.is_generator
        ]
        self.autonomy = fuel_autonomy(structure)
        self.supply = fuel_supply_data(structure.design, self.autonomy, grid)
        self._fuel = self._fuel_table() if math.isfinite(self.autonomy) else (0.0, np.zeros(0), [])
        self._fuel_joint = _joint_table(self._fuel[1], self._fuel[2])
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
        self._fuel_process = self._summable_fuel() if sum_isolated_fuel else None
        self._lone_generators = np.zeros(total_ids, dtype=bool)
        if sum_isolated_fuel and structure.has_utility:
            anchor = int(self.keys[self.anchor_id])
            for index, _ in self.generators:
                # Alone, the failed set leaves the plant up on the grid only; in its outage the plant is down.
                key = int(self.keys[index])
                self._lone_generators[index] = (
                    self._code(key, {index}) == 2
                    and self._code(key ^ anchor, {index, self.anchor_id}) & 3 == 0
                    and self._code(anchor, {self.anchor_id}) & 3 == 1
                )

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
            starts, ends, ids, summed_down, summed_outages = self._windows(chunk, length)
            chunk_down, chunk_outages = self._sweep(starts, ends, ids, length)
            downtime += chunk_down + summed_down
            outages += chunk_outages + summed_outages
        return downtime, outages

    # -- sampling -----------------------------------------------------------------------------------

    def _windows(self, years: int, length: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int]:
        """All down-windows of one chunk as (start, end, pseudo-element id) arrays, unsorted, plus the
        downtime and outages of the dry outages that were summed instead of drawn (see _summed_fuel)."""
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
        # Every generator window anchors the grid outage it happened in (drawn now: the summed fuel needs them).
        gen_anchor = (
            rng.exponential(grid.mean_outage_hours, gen_start.size)
            if self.structure.has_utility
            else np.zeros(gen_start.size)
        )
        failures = len(parts)
        year_starts = np.arange(years, dtype=float) * HOURS_PER_YEAR
        for index, hours in self.maintained.items():
            add(year_starts + self.maintenance_offsets[index], np.full(years, hours), self.maintenance_ids[index])
        summed_down, summed_outages = 0.0, 0
        process = self._fuel_process
        fuel = bool(self.generators and outages and math.isfinite(self.autonomy))
        summing = fuel and process is not None and process.rate * length >= _FUEL_SUMMED
        mattered = False
        if summing and gen_start.size:
            # Where the plant is down exactly while dry (the summing condition), a cluster of spare generator
            # sets that touches only dry outages changes nothing either: drop it before placing the dry ones.
            keep = self._mattering(gen_start, gen_end, gen_id, parts)
            gen_start, gen_end, gen_id, gen_anchor = gen_start[keep], gen_end[keep], gen_id[keep], gen_anchor[keep]
            mattered = True
        if summing and process is not None:
            near = [
                *(parts[:failures] if process.maintenance_neutral else parts),
                (gen_start, np.minimum(np.maximum(gen_end, gen_start + gen_anchor), length), gen_id),
            ]
            summed = self._summed_fuel(process, outages, length, near, add)
            if summed is not None:
                summed_down, summed_outages = summed
            else:
                self._fuel_windows(outages, length, add)
        elif fuel:
            self._fuel_windows(outages, length, add)
        if gen_start.size:
            if not mattered:
                keep = self._mattering(gen_start, gen_end, gen_id, parts)
                gen_start, gen_end, gen_id = gen_start[keep], gen_end[keep], gen_id[keep]
                gen_anchor = gen_anchor[keep]
            if self.structure.has_utility and self._lone_generators.any() and gen_start.size >= _SUMMED_SEGMENTS:
                alone = self._alone(gen_start, gen_end, gen_anchor, gen_id, length, parts)
                if alone.any():
                    lone_down, lone_outages = self._lone_windows(gen_end[alone] - gen_start[alone], gen_anchor[alone])
                    summed_down += lone_down
                    summed_outages += lone_outages
                    keep = ~alone
                    gen_start, gen_end, gen_id, gen_anchor = (
                        gen_start[keep],
                        gen_end[keep],
                        gen_id[keep],
                        gen_anchor[keep],
                    )
            add(gen_start, gen_end - gen_start, gen_id)
            if self.structure.has_utility:
                add(gen_start, gen_anchor, self.anchor_id)
        starts, ends, ids = zip(*parts, strict=True)
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(ids), summed_down, summed_outages

    def _alone(
        self,
        gen_start: np.ndarray,
        gen_end: np.ndarray,
        gen_anchor: np.ndarray,
        gen_id: np.ndarray,
        length: float,
        others: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    ) -> np.ndarray:
        """Generator windows of a lone-generator id whose window and outage together meet no other window."""
        reach = np.minimum(np.maximum(gen_end, gen_start + gen_anchor), length)
        order = np.argsort(gen_start)
        starts, ends = gen_start[order], reach[order]
        running = np.maximum.accumulate(ends)
        # Alone among generator windows: it starts after every earlier one ended and ends before the next starts.
        after_previous = np.concatenate([[True], starts[1:] > running[:-1]])
        before_next = np.concatenate([ends[:-1] < starts[1:], [True]])
        alone = np.zeros(gen_start.size, dtype=bool)
        alone[order] = after_previous & before_next
        alone &= self._lone_generators[gen_id]
        if alone.any():
            index = np.flatnonzero(alone)
            alone[index[_touches(gen_start[index], reach[index], others)]] = False
        return alone

    def _lone_windows(self, repairs: np.ndarray, outages: np.ndarray) -> tuple[float, int]:
        """Downtime and outages of generator windows that meet nothing else, without the sweep.

        For such a generator (see _lone_generators) the plant is down while the set is failed during its grid
        outage, then, if the repair outlasts the outage, down exactly while the grid is down again (sampled
        locally from the grid being up, as the sweep does after an anchored outage).
        """
        downtime = float(np.minimum(repairs, outages).sum())
        rest = repairs - outages
        rest = rest[rest > 0]
        extra_down, extra_outages = self._grid_occupation(rest, np.ones(rest.size, dtype=bool))
        return downtime + extra_down, repairs.size + extra_outages

    def _fuel_table(self, reach: float = 0.0) -> tuple[float, np.ndarray, list[np.ndarray]]:
        """For drawing dry outages directly: P(an outage runs the tanks dry [and lasts beyond `reach`]),
        P(k-th delivery attempt is the one that arrives | that), and per k the cumulative weight over the
        phase cells of the delivery cycle.

        An outage starting at phase u runs dry when it outlasts the level A(u) (probability exp(-A(u)/mean))
        and the delivery that arrives, the k-th attempt at R_k(u), comes after A(u) (see fuel_out_fraction).
        With `reach` (at least every level) the outage must outlast `reach` instead.
        """
        grid, supply = self.grid, self.supply
        phases = (np.arange(_FUEL_CELLS) + 0.5) / _FUEL_CELLS
        level = np.maximum(0.0, self.autonomy - grid.unavailability * phases * supply.interval_hours)
        outlasts = np.exp(-np.maximum(level, reach) / grid.mean_outage_hours)
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
        dry_probability = self._fuel[0]
        count = int(self.rng.binomial(outages, dry_probability)) if dry_probability > 0 else 0
        if count:
            self._draw_dry(self.rng.random(count) * length, self._fuel_joint, 0.0, add)

    def _draw_dry(self, start: np.ndarray, joint: np.ndarray, reach: float, add: Any) -> tuple[np.ndarray, np.ndarray]:
        """Dry outages starting at `start`, marks drawn from `joint` (outlasting `reach`); adds the outage
        and its dry window, and returns the dry windows (start, end) that were kept.

        The delivery attempt k and the phase cell are drawn together from `joint`, the cumulative weight over
        (k, cell) of a table of _fuel_table (see _joint_table).
        """
        rng, grid, supply = self.rng, self.grid, self.supply
        retry = min(supply.lead_time_hours, supply.interval_hours)
        drawn = start.size
        flat = np.minimum(np.searchsorted(joint, rng.random(drawn), side="right"), joint.size - 1)
        attempt, cells = np.divmod(flat, _FUEL_CELLS)
        phase = (cells + rng.random(drawn)) / _FUEL_CELLS
        level = np.maximum(0.0, self.autonomy - grid.unavailability * phase * supply.interval_hours)
        arrival = (1.0 - phase) * supply.interval_hours + attempt * retry
        duration = np.maximum(level, reach) + rng.exponential(grid.mean_outage_hours, drawn)
        dry_until = np.minimum(duration, arrival)
        keep = dry_until > level
        begin, level, dry_until = start[keep], level[keep], dry_until[keep]
        add(begin, duration[keep], self.anchor_id)
        add(begin + level, dry_until - level, self.fuel_id)
        return begin + level, begin + dry_until

    def _summable_fuel(self) -> _FuelProcess | None:
        """The dry-outage process in closed form, where a dry outage touching nothing else is simply down.

        That holds when the plant with nothing failed is up with the grid up and down, and down when dry.
        The moments follow the sampler of _draw_dry exactly: attempt k and phase cell by the table, the
        phase jittered inside its cell (integrated over _FUEL_JITTER points), dry length z = min(E, a) with
        E ~ Exp(mean outage) and a = arrival - level; an outage with a <= 0 is dropped.
        """
        if not (self.generators and self.structure.has_utility and math.isfinite(self.autonomy)):
            return None
        anchor, fuel = int(self.keys[self.anchor_id]), int(self.keys[self.fuel_id])
        if (
            self._code(0, set()) != 1
            or self._code(anchor, {self.anchor_id}) & 3 != 1
            or self._code(anchor ^ fuel, {self.anchor_id, self.fuel_id}) & 3 != 0
        ):
            return None
        grid, supply = self.grid, self.supply
        dry_probability, attempt_weights, cumulative = self._fuel
        if dry_probability <= 0:
            return None
        # A maintenance window alone leaves the plant up, up on generators, down when dry, and the windows
        # never overlap one another (one element at a time within the year): then a dry outage that meets
        # only a maintenance window is down exactly while dry, as if it met nothing.
        maintenance_neutral = sum(self.maintained.values()) <= HOURS_PER_YEAR and all(
            self._code(key, {pseudo_id}) & 3 == 1
            and self._code(key ^ anchor, {pseudo_id, self.anchor_id}) & 3 == 1
            and self._code(key ^ anchor ^ fuel, {pseudo_id, self.anchor_id, self.fuel_id}) & 3 == 0
            for pseudo_id in self.maintenance_ids.values()
            for key in [int(self.keys[pseudo_id])]
        )
        mean = grid.mean_outage_hours
        retry = min(supply.lead_time_hours, supply.interval_hours)
        offsets = (np.arange(_FUEL_JITTER) + 0.5) / _FUEL_JITTER
        phase = ((np.arange(_FUEL_CELLS)[:, None] + offsets[None, :]) / _FUEL_CELLS).ravel()
        level = np.maximum(0.0, self.autonomy - grid.unavailability * phase * supply.interval_hours)
        weights, spans = [], []
        for index, attempt_weight in enumerate(attempt_weights.tolist()):
            if attempt_weight <= 0:
                continue
            cell = np.diff(np.concatenate([[0.0], cumulative[index]]))
            arrival = (1.0 - phase) * supply.interval_hours + index * retry
            weights.append(attempt_weight * np.repeat(cell, _FUEL_JITTER) / _FUEL_JITTER)
            spans.append(arrival - level)
        weight, span = np.concatenate(weights), np.concatenate(spans)
        kept = span > 0
        weight, span = weight[kept], span[kept]
        kept_share = float(weight.sum())
        if kept_share <= 0:
            return None
        weight = weight / kept_share
        rate = grid.outages_per_year / HOURS_PER_YEAR * dry_probability * kept_share
        mean_dry = float((weight * mean * -np.expm1(-span / mean)).sum())
        # E[(z - t)+] = sum over marks with a > t of w * mean * (exp(-t/mean) - exp(-a/mean)).
        order = np.argsort(span)
        span, weight = span[order], weight[order]
        tail_weight = np.cumsum(weight[::-1])[::-1]
        tail_decay = np.cumsum((weight * np.exp(-span / mean))[::-1])[::-1]
        lags = np.linspace(0.0, float(span[-1]), 20_001)
        first = np.searchsorted(span, lags, side="right")
        inside = first < span.size
        excess = np.zeros(lags.size)
        excess[inside] = mean * (np.exp(-lags[inside] / mean) * tail_weight[first[inside]] - tail_decay[first[inside]])
        uncovered = math.exp(-rate * mean_dry)
        integrand = np.expm1(rate * np.maximum(excess, 0.0))
        step = float(lags[1] - lags[0])
        variance = 2 * uncovered**2 * float((integrand[1:] + integrand[:-1]).sum() * step / 2)
        reach = self.autonomy + _FUEL_REACH * mean
        long_probability, long_attempts, long_cumulative = self._fuel_table(reach)
        return _FuelProcess(
            rate=rate,
            coverage=1.0 - uncovered,
            variance=variance,
            clumps=rate * uncovered,
            reach=reach,
            long_share=min(1.0, long_probability / dry_probability),
            long_joint=_joint_table(long_attempts, long_cumulative),
            maintenance_neutral=maintenance_neutral,
        )

    def _summed_fuel(
        self,
        process: _FuelProcess,
        outages: int,
        length: float,
        near: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
        add: Any,
    ) -> tuple[float, int] | None:
        """Draw only the dry outages that may touch another window; sum the rest in closed form.

        W is every other window (but neutral maintenance) stretched back by `reach`. Drawn one by one: the dry
        outages starting in W
        (any length) and those starting outside W that outlast `reach`; the others end before any other
        window begins, so where they lie the plant is down exactly while some dry interval covers the time.
        The sweep of the drawn windows therefore misses exactly (covered time of all dry intervals) minus
        (covered time of the drawn ones): the first is drawn from its normal limit (mean and variance of the
        Boolean model over the whole chunk), the second is measured. The drawn ones' covered time then
        cancels between the sweep and the correction, so the chunk's downtime varies as the whole process's.
        Returns None where W covers half the chunk (then everything is drawn).
        """
        rng = self.rng
        starts = np.concatenate([part[0] for part in near])
        ends = np.concatenate([part[1] for part in near])
        keep = ends > starts
        lows, highs = _union(np.maximum(starts[keep] - process.reach, 0.0), np.minimum(ends[keep], length))
        covered = float((highs - lows).sum())
        if covered > 0.5 * length:
            return None
        dry_probability = self._fuel[0]
        count = int(rng.binomial(outages, dry_probability))
        inside = int(rng.binomial(count, covered / length)) if covered > 0 else 0
        far_long = int(rng.binomial(count - inside, process.long_share))
        dry_parts = [self._draw_dry(_uniform_in(rng, lows, highs, inside), self._fuel_joint, 0.0, add)]
        gap_lows = np.concatenate([[0.0], highs])
        gap_highs = np.concatenate([lows, [length]])
        dry_parts.append(
            self._draw_dry(_uniform_in(rng, gap_lows, gap_highs, far_long), process.long_joint, process.reach, add)
        )
        dry_start = np.concatenate([part[0] for part in dry_parts])
        dry_end = np.minimum(np.concatenate([part[1] for part in dry_parts]), length)
        drawn_low, drawn_high = _union(dry_start[dry_end > dry_start], dry_end[dry_end > dry_start])
        spread = math.sqrt(length * process.variance)
        total = min(max(rng.normal(length * process.coverage, spread), 0.0), length)
        clumps = int(rng.poisson(length * process.clumps))
        return total - float((drawn_high - drawn_low).sum()), clumps - int(drawn_low.size)

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
        """Downtime and outage count of one chunk from its windows.

        Every window edge is one float64: the time with its lowest bits replaced by (id, start or end), so one
        plain sort (no argsort, no gathers) orders the edges by time and hands each edge's id back. The cost
        is a time rounded down by at most 2**edge_bits units in the last place (about 1e-6 h at 5,000 years
        for 64 ids), far below any repair or outage. Windows of one id that overlap (two anchored outages at
        once) are counted open per id, and only the edges that open or close an id change the state.
        """
        keep = ends > starts
        if not keep.all():
            starts, ends, ids = starts[keep], ends[keep], ids[keep]
        low = self._edge_mask
        packed = np.concatenate([starts, ends]).view(np.int64) & ~low
        packed |= np.concatenate([ids << 1, (ids << 1) | 1])
        ordered = np.sort(packed.view(np.float64)).view(np.int64)  # positive floats sort as their bits
        edge = ordered & low
        edge_ids = edge >> 1
        closing = (edge & 1).astype(bool)
        by_id = np.argsort(edge_ids.astype(self._id_type), kind="stable")  # radix sort: linear
        closing_by_id = closing[by_id]
        open_count = np.cumsum(1 - 2 * closing_by_id.view(np.int8), dtype=np.int32)  # each id's edges sum to 0
        toggles = np.empty(edge.size, dtype=bool)
        toggles[by_id] = open_count == 1 - closing_by_id.view(np.int8)  # opens its id, or closes it
        times = (ordered[toggles] & ~low).view(np.float64)
        states = np.bitwise_xor.accumulate(self.keys[edge_ids[toggles]])
        boundaries = np.concatenate([[0.0], times, [length]])
        states = np.concatenate([[0], states])
        lengths = np.diff(boundaries)
        # Zero-length segments (a generator failure and its outage start at the same instant) carry no
        # time, and their midpoint would read the wrong members: leave them out.
        positive = np.flatnonzero(lengths > 0)
        segment_starts, lengths, states = boundaries[positive], lengths[positive], states[positive]
        codes = self._codes(
            states,
            segment_starts + lengths / 2,
            (starts, ends, ids),
            lambda: _merge_windows(starts, ends, ids, length, self._id_type),
        )
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
        self,
        states: np.ndarray,
        midpoints: np.ndarray,
        raw: tuple[np.ndarray, np.ndarray, np.ndarray],
        windows: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]],
    ) -> np.ndarray:
        """Status code of every segment: the table for states met before, Python for the rest (`windows`:
        the merged windows, sorted by id and start, built only when a state is new)."""
        slots = states & _TABLE_MASK
        codes = self._table_codes[slots]
        missing = np.flatnonzero(self._table_keys[slots] != states)
        if missing.size:
            keys, first = np.unique(states[missing], return_index=True)
            new_codes = self._codes_of(keys.tolist(), midpoints[missing[first]], raw, windows)
            codes[missing] = new_codes[np.searchsorted(keys, states[missing])]
            # Later states sharing a slot overwrite earlier ones: the table is a cache, not the record.
            for key, code in zip(keys.tolist(), new_codes.tolist(), strict=True):
                self._table_keys[key & _TABLE_MASK] = key
                self._table_codes[key & _TABLE_MASK] = code
        return codes

    def _codes_of(
        self,
        keys: list[int],
        when: np.ndarray,
        raw: tuple[np.ndarray, np.ndarray, np.ndarray],
        windows: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]],
    ) -> np.ndarray:
        """Codes of states by key; a state never met is read off the windows open at its time `when`."""
        codes = np.array([self.status_cache.get(key, -1) for key in keys], dtype=np.int8)
        new = np.flatnonzero(codes < 0)
        if new.size:
            if new.size <= _SCANNED_STATES:
                # A few new states: read each one's members straight off the unmerged windows.
                starts, ends, ids = raw
                members = [set(ids[(starts <= moment) & (ends > moment)].tolist()) for moment in when[new].tolist()]
            else:
                members = _membership(*windows(), when[new])
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
        if short.size >= _SUMMED_SEGMENTS:
            # Many windows: their summed grid-down time is normal with the two-state chain's exact moments.
            mean, variance, entries = _occupation_moments(
                short, np.where(short_start_up, 0.0, grid.unavailability), 1.0 / mean_up, 1.0 / mean_down
            )
            downtime += min(max(float(rng.normal(mean.sum(), math.sqrt(variance.sum()))), 0.0), float(short.sum()))
            outages += int(rng.poisson(entries.sum()))
        elif short.size:
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


def _occupation_moments(
    lengths: np.ndarray, down_at_start: np.ndarray, up_to_down: float, down_to_up: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and variance of the time a two-state Markov chain (the grid) spends down within windows of
    `lengths`, starting down with probability `down_at_start`, and the mean number of outages begun there.

    With a = stationary share down, l = up_to_down + down_to_up, c = P(down at 0) - a:
    E[D] = a x + c (1 - e^-lx) / l and E[D^2] = 2 * integral over s < u of P(down at s) P(down at u | down at s).
    """
    rate = up_to_down + down_to_up
    a = up_to_down / rate if math.isfinite(rate) and rate > 0 else 0.0
    b = 1.0 - a
    c = down_at_start - a
    x = lengths
    decay = np.exp(-rate * x)
    settle = (1.0 - decay) / rate
    mean = a * x + c * settle
    second = 2.0 * (
        a * a * x * x / 2
        + a * b / rate * (x - settle)
        + a * c * (x - settle) / rate
        + c * b / rate * (settle - x * decay)
    )
    variance = np.maximum(second - mean * mean, 0.0)
    entries = down_at_start + up_to_down * (x - mean)
    return mean, variance, entries


def _joint_table(attempt_weights: np.ndarray, cumulative: list[np.ndarray]) -> np.ndarray:
    """One cumulative weight over (delivery attempt, phase cell) from a table of _fuel_table."""
    if not cumulative or attempt_weights.sum() <= 0:
        return np.ones(1)
    cells = [
        weight * np.diff(np.concatenate([[0.0], cumulative[index]]))
        for index, weight in enumerate(attempt_weights.tolist())
    ]
    joint = np.cumsum(np.concatenate(cells))
    return joint / joint[-1]


def _touches(
    cluster_start: np.ndarray, cluster_end: np.ndarray, others: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Whether each interval [start, end] overlaps one of the other windows (of positive length: the sweep
    drops the others)."""
    starts = np.concatenate([part[0] for part in others]) if others else np.empty(0)
    if starts.size == 0:
        return np.zeros(cluster_start.size, dtype=bool)
    ends = np.concatenate([part[1] for part in others])
    lows, highs = _union(starts[ends > starts], ends[ends > starts])
    if lows.size == 0:
        return np.zeros(cluster_start.size, dtype=bool)
    # Of the disjoint covered stretches starting before an interval ends, the last one decides.
    before = np.searchsorted(lows, cluster_end, side="left")
    return (before > 0) & (highs[np.maximum(before - 1, 0)] > cluster_start)


def _union(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of intervals as disjoint sorted (start, end) arrays.

    Starts and ends are sorted apart (plain sorts, no argsort): with k intervals ended by the k-th
    smallest end, nothing is open there exactly when the (k+1)-th smallest start comes after it.
    """
    if starts.size == 0:
        return starts, ends
    starts, ends = np.sort(starts), np.sort(ends)
    gap = starts[1:] > ends[:-1]
    return np.concatenate([starts[:1], starts[1:][gap]]), np.concatenate([ends[:-1][gap], ends[-1:]])


def _uniform_in(rng: np.random.Generator, lows: np.ndarray, highs: np.ndarray, count: int) -> np.ndarray:
    """`count` points uniform on the union of the disjoint intervals [lows, highs)."""
    sizes = np.maximum(highs - lows, 0.0)
    cumulative = np.cumsum(sizes)
    if count == 0 or cumulative.size == 0 or cumulative[-1] <= 0:
        return np.empty(0)
    position = rng.random(count) * cumulative[-1]
    index = np.minimum(np.searchsorted(cumulative, position, side="right"), sizes.size - 1)
    return lows[index] + position - (cumulative[index] - sizes[index])


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


def simulate(
    structure: Structure, grid: GridData, *, years: int, seed: int, sum_isolated_fuel: bool = True
) -> SimulationResult:
    """Monte Carlo over `years` years in batches; deterministic for a seed (PCG64).

    `sum_isolated_fuel=False` draws every dry outage one by one and sweeps every generator window (slow on
    a poor fuel supply or a weak grid; the reference the summed estimate is tested against).
    """
    started = time.perf_counter()
    rng = np.random.Generator(np.random.PCG64(seed))
    simulator = _Simulator(structure, grid, rng, sum_isolated_fuel=sum_isolated_fuel)
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
