"""Reliability block diagrams against closed forms and brute-force enumeration."""

from __future__ import annotations

import itertools
import math

import pytest

from silkbridge.datacenters.engine.rbd import (
    KOutOfN,
    Parallel,
    Series,
    Unit,
    availability_from_mtbf,
    beta_factor_group,
    k_out_of_n,
    k_out_of_n_identical,
    standby_generator_success,
)


def test_two_units_in_parallel_match_closed_form() -> None:
    first, second = 0.999, 0.995
    block = Parallel(Unit("a", first), Unit("b", second))
    assert block.availability() == pytest.approx(1 - (1 - first) * (1 - second), abs=1e-9)


def test_two_out_of_three_matches_closed_form() -> None:
    availability = 0.98
    block = KOutOfN(2, [Unit(name, availability) for name in "abc"])
    closed_form = 3 * availability**2 - 2 * availability**3
    assert block.availability() == pytest.approx(closed_form, abs=1e-9)
    assert k_out_of_n_identical(2, 3, availability) == pytest.approx(closed_form, abs=1e-9)


def test_series_chain_from_mtbf_and_mttr_matches_closed_form() -> None:
    figures = [(100_000.0, 8.0), (50_000.0, 24.0), (250_000.0, 4.0)]
    block = Series(*[Unit(f"u{index}", mtbf_hours=mtbf, mttr_hours=mttr) for index, (mtbf, mttr) in enumerate(figures)])
    closed_form = math.prod(mtbf / (mtbf + mttr) for mtbf, mttr in figures)
    assert block.availability() == pytest.approx(closed_form, abs=1e-9)


def test_k_out_of_n_non_identical_matches_brute_force() -> None:
    availabilities = [0.9, 0.95, 0.8, 0.99, 0.85]
    for k in range(len(availabilities) + 1):
        brute_force = 0.0
        for states in itertools.product([0, 1], repeat=len(availabilities)):
            if sum(states) >= k:
                brute_force += math.prod(a if up else 1 - a for a, up in zip(availabilities, states, strict=True))
        assert k_out_of_n(k, availabilities) == pytest.approx(brute_force, abs=1e-12)
        block = KOutOfN(k, [Unit(str(index), a) for index, a in enumerate(availabilities)])
        assert block.availability() == pytest.approx(brute_force, abs=1e-12)


def test_beta_factor_is_ccf_unit_in_series_with_independent_part() -> None:
    mtbf, mttr, beta = 10_000.0, 10.0, 0.05
    group = beta_factor_group("gen", k=1, n=2, mtbf_hours=mtbf, mttr_hours=mttr, beta=beta)
    rate = 1 / mtbf
    independent = 1 / (1 + (1 - beta) * rate * mttr)
    common = 1 / (1 + beta * rate * mttr)
    expected = common * (1 - (1 - independent) ** 2)
    assert group.availability() == pytest.approx(expected, abs=1e-12)
    # Common cause dominates a redundant pair: the pair is worse than without it.
    assert (
        group.availability()
        < Parallel(Unit("a", 1 / (1 + rate * mttr)), Unit("b", 1 / (1 + rate * mttr))).availability()
    )


def test_beta_zero_is_plain_redundancy() -> None:
    group = beta_factor_group("ups", k=2, n=3, mtbf_hours=125_000.0, mttr_hours=6.0, beta=0.0)
    assert group.availability() == pytest.approx(
        k_out_of_n_identical(2, 3, availability_from_mtbf(125_000.0, 6.0)), abs=1e-12
    )


def test_standby_generator_formula() -> None:
    probability = standby_generator_success(
        operational_availability=0.9998, fail_to_start=0.0066, fail_to_run_per_hour=0.00157, outage_hours=24.0
    )
    assert probability == pytest.approx(0.9998 * (1 - 0.0066) * math.exp(-0.00157 * 24), abs=1e-12)


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError, match="give an availability"):
        Unit("x")
    with pytest.raises(ValueError, match="outside"):
        Unit("x", 1.5)
    with pytest.raises(ValueError, match="must lie between"):
        KOutOfN(4, [Unit("a", 0.9)])
