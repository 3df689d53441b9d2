"""Reliability block diagrams: exact steady-state availability of series, parallel and k-out-of-n blocks.

Blocks are immutable; `availability()` evaluates them exactly under the usual RBD assumption that
blocks fail and are repaired independently. Common-cause failures break that assumption on purpose and
are modelled with the beta factor: a fraction beta of each unit's failure rate strikes all units at
once, which is a single unit in series with the independent part (IEC 61508-6 / IEEE 3006.7 style).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass


def availability_from_mtbf(mtbf_hours: float, mttr_hours: float) -> float:
    """A = MTBF / (MTBF + MTTR)."""
    if mtbf_hours < 0 or mttr_hours < 0 or mtbf_hours + mttr_hours == 0:
        raise ValueError("MTBF and MTTR must be non-negative and not both zero")
    return mtbf_hours / (mtbf_hours + mttr_hours)


class Block(ABC):
    @abstractmethod
    def availability(self) -> float: ...

    def unavailability(self) -> float:
        return 1.0 - self.availability()


@dataclass(frozen=True, init=False)
class Unit(Block):
    """One repairable unit, given by its availability or by MTBF and MTTR."""

    name: str
    value: float
    mtbf_hours: float | None
    mttr_hours: float | None

    def __init__(
        self,
        name: str,
        availability: float | None = None,
        *,
        mtbf_hours: float | None = None,
        mttr_hours: float | None = None,
    ) -> None:
        if availability is None:
            if mtbf_hours is None or mttr_hours is None:
                raise ValueError(f"unit {name}: give an availability or both MTBF and MTTR")
            availability = availability_from_mtbf(mtbf_hours, mttr_hours)
        if not 0.0 <= availability <= 1.0:
            raise ValueError(f"unit {name}: availability {availability} is outside [0, 1]")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "value", float(availability))
        object.__setattr__(self, "mtbf_hours", mtbf_hours)
        object.__setattr__(self, "mttr_hours", mttr_hours)

    def availability(self) -> float:
        return self.value


@dataclass(frozen=True, init=False)
class Series(Block):
    blocks: tuple[Block, ...]

    def __init__(self, *blocks: Block) -> None:
        object.__setattr__(self, "blocks", tuple(blocks))

    def availability(self) -> float:
        return math.prod(block.availability() for block in self.blocks)


@dataclass(frozen=True, init=False)
class Parallel(Block):
    """Up when any block is up (active redundancy)."""

    blocks: tuple[Block, ...]

    def __init__(self, *blocks: Block) -> None:
        object.__setattr__(self, "blocks", tuple(blocks))

    def availability(self) -> float:
        # Product of unavailabilities; computed as such (not 1 - prod) to keep precision near 1.
        return 1.0 - math.prod(block.unavailability() for block in self.blocks)


@dataclass(frozen=True, init=False)
class KOutOfN(Block):
    """Up when at least k of the blocks are up; blocks may differ (exact dynamic programme)."""

    k: int
    blocks: tuple[Block, ...]

    def __init__(self, k: int, blocks: Sequence[Block]) -> None:
        if not 0 <= k <= len(blocks):
            raise ValueError(f"k={k} must lie between 0 and the number of blocks ({len(blocks)})")
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "blocks", tuple(blocks))

    def availability(self) -> float:
        return k_out_of_n(self.k, [block.availability() for block in self.blocks])


def k_out_of_n(k: int, availabilities: list[float]) -> float:
    """P(at least k of the independent units are up), by DP over the distribution of the up count.

    O(n^2) and exact for non-identical units; `up_count[j]` is P(j units up) among those seen so far.
    """
    up_count = [1.0]
    for availability in availabilities:
        following = [0.0] * (len(up_count) + 1)
        for count, probability in enumerate(up_count):
            following[count] += probability * (1.0 - availability)
            following[count + 1] += probability * availability
        up_count = following
    # Summing the failing side (fewer than k up) keeps precision when the answer is very close to 1.
    return 1.0 - math.fsum(up_count[:k])


def k_out_of_n_identical(k: int, n: int, availability: float) -> float:
    """Closed form: sum over j >= k of C(n, j) A^j (1 - A)^(n - j)."""
    return math.fsum(math.comb(n, j) * availability**j * (1.0 - availability) ** (n - j) for j in range(k, n + 1))


def beta_factor_group(name: str, *, k: int, n: int, mtbf_hours: float, mttr_hours: float, beta: float) -> Series:
    """k-out-of-n identical units with common-cause failures: lambda_ccf = beta * lambda.

    Each unit keeps (1 - beta) * lambda as independent failures; the common-cause part is one unit of
    rate beta * lambda with the same repair time, in series with the k-out-of-n of the independent parts.
    """
    if not 0.0 <= beta <= 1.0:
        raise ValueError("beta must lie in [0, 1]")
    failure_rate = 1.0 / mtbf_hours
    independent_rate = (1.0 - beta) * failure_rate
    common_rate = beta * failure_rate
    independent = [
        Unit(f"{name}[{index}]", _availability_from_rate(independent_rate, mttr_hours)) for index in range(n)
    ]
    common = Unit(f"{name}[ccf]", _availability_from_rate(common_rate, mttr_hours))
    return Series(common, KOutOfN(k, independent))


def _availability_from_rate(failure_rate: float, mttr_hours: float) -> float:
    return 1.0 / (1.0 + failure_rate * mttr_hours)


def standby_generator_success(
    *, operational_availability: float, fail_to_start: float, fail_to_run_per_hour: float, outage_hours: float
) -> float:
    """P(a standby generator carries an outage of length t) = A_op * (1 - FTS) * exp(-lambda_FTR * t).

    A standby set is not an ordinary parallel block: it must be available when called, start, and then
    run for the whole outage (NREL REopt's survival model).
    """
    return operational_availability * (1.0 - fail_to_start) * math.exp(-fail_to_run_per_hour * outage_hours)


def evaluate(block: Block) -> float:
    """Exact steady-state availability of a block diagram."""
    return block.availability()
