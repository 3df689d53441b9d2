"""Feature weights of the match score, per pair family, and a refit from labelled pairs.

score = Σ weightᵢ · featureᵢ / Σ weightᵢ with every feature in [0, 1] and every weight ≥ 0, so a
score is always in [0, 1]. `fit_weights` learns non-negative weights by logistic regression
(projected gradient descent in numpy) and rescales them to sum to 1; the intercept only moves the
probability, not the ranking, so it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

import numpy as np

FEATURE_NAMES = ("concepts", "sectors", "trl", "money", "deal_types", "country", "text")
FAMILIES = ("technology", "business", "investment")


@dataclass(frozen=True)
class Weights:
    """One weight per feature (see FEATURE_NAMES); only their ratios matter."""

    concepts: float = 0.45
    sectors: float = 0.15
    trl: float = 0.08
    money: float = 0.04
    deal_types: float = 0.08
    country: float = 0.05
    text: float = 0.15

    def vector(self) -> np.ndarray:
        values = np.array([getattr(self, name) for name in FEATURE_NAMES], dtype=np.float64)
        if (values < 0).any() or values.sum() <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        return values / values.sum()

    @classmethod
    def from_vector(cls, values: Iterable[float]) -> Weights:
        return cls(**{name: round(float(value), 6) for name, value in zip(FEATURE_NAMES, values, strict=True)})


@dataclass(frozen=True)
class ScoringWeights:
    """Weights for technology (incl. R&D), business and investment pairs."""

    technology: Weights = Weights()
    business: Weights = Weights(concepts=0.40, sectors=0.15, trl=0.03, money=0.07, deal_types=0.15, text=0.15)
    investment: Weights = Weights(
        concepts=0.10, sectors=0.25, trl=0.05, money=0.30, deal_types=0.20, country=0.03, text=0.07
    )

    def for_family(self, family: str) -> Weights:
        weights: Weights = getattr(self, family)
        return weights

    def matrix(self) -> np.ndarray:
        """Rows in FAMILIES order, each summing to 1."""
        return np.vstack([self.for_family(family).vector() for family in FAMILIES])

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {family: asdict(self.for_family(family)) for family in FAMILIES}


@dataclass(frozen=True)
class LabelledPair:
    """A candidate pair's features (FEATURE_NAMES order), its family, and whether it is a right match."""

    features: tuple[float, ...]
    family: str
    is_match: bool


def _logistic_nonnegative(x: np.ndarray, y: np.ndarray, *, steps: int, learning_rate: float, l2: float) -> np.ndarray:
    """Weights w ≥ 0 (and a free intercept) minimising the mean log-loss, class-balanced."""
    positives = max(1, int(y.sum()))
    negatives = max(1, len(y) - positives)
    sample_weight = np.where(y > 0, 0.5 / positives, 0.5 / negatives)
    weights = np.full(x.shape[1], 1.0)
    intercept = 0.0
    for _ in range(steps):
        probability = 1.0 / (1.0 + np.exp(-(x @ weights + intercept)))
        error = (probability - y) * sample_weight
        weights = np.maximum(0.0, weights - learning_rate * (x.T @ error + l2 * weights))
        intercept -= learning_rate * error.sum()
    return weights


def fit_weights(
    pairs_with_labels: Iterable[LabelledPair],
    *,
    start: ScoringWeights | None = None,
    steps: int = 3000,
    learning_rate: float = 2.0,
    l2: float = 1e-3,
    minimum_positives: int = 5,
) -> ScoringWeights:
    """Refit the weights of each family that has enough labelled pairs; other families keep `start`."""
    start = start or ScoringWeights()
    grouped: dict[str, list[LabelledPair]] = {family: [] for family in FAMILIES}
    for pair in pairs_with_labels:
        grouped[pair.family].append(pair)
    fitted: dict[str, Weights] = {}
    for family in FAMILIES:
        pairs = grouped[family]
        y = np.array([1.0 if pair.is_match else 0.0 for pair in pairs])
        if y.sum() < minimum_positives or y.sum() == len(y):
            fitted[family] = start.for_family(family)
            continue
        x = np.array([pair.features for pair in pairs], dtype=np.float64)
        values = _logistic_nonnegative(x, y, steps=steps, learning_rate=learning_rate, l2=l2)
        fitted[family] = Weights.from_vector(values / values.sum()) if values.sum() > 0 else start.for_family(family)
    return ScoringWeights(**fitted)


def weight_field_names() -> tuple[str, ...]:
    return tuple(item.name for item in fields(Weights))
