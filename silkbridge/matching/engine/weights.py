"""Feature weights of the match score, per pair family, and a refit from labelled pairs.

score = (Σ weightᵢ · featureᵢ / Σ weightᵢ) × requirement factor, with every feature in [0, 1],
every weight ≥ 0 and the factor in (0, 1] (see `MatchIndex.requirement_factors`), so a score is
always in [0, 1]. `fit_weights` learns non-negative weights by logistic regression
(projected gradient descent in numpy) and rescales them to sum to 1; the intercept only moves the
probability, not the ranking, so it is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

FEATURE_NAMES = ("concepts", "sectors", "trl", "money", "deal_types", "country", "text", "embedding")
FAMILIES = ("technology", "business", "investment")


@dataclass(frozen=True)
class Weights:
    """One weight per feature (see FEATURE_NAMES); only their ratios matter.

    The defaults (technology) and those of ScoringWeights were fitted on the tuning half of the
    evaluation set (issue 12, session 10): `silkbridge match … --split … --baselines` prints them as
    "weights_fitted_on_tuning_half", logistic regression on the candidates' features with every
    weight ≥ 0; no held-out query was used. One exception: the residual words (`text`, which also
    carries the free keywords users type) keep their earlier 0.105 and the fitted weights share the
    rest in their fitted proportions, rounded to three decimals. The set's pairs are all
    cross-lingual, where residual words are hardly ever shared, so it cannot tell what they are worth
    between two texts in one language (the fit gave them 0; 0.105 costs nothing on the tuning half:
    technology recall@1 0.965 either way). Inferred sectors and (for technology) the money fit carry no
    weight of their own: a failed stated requirement still divides the score (see
    MatchIndex.requirement_factors), and sectors still choose candidates and give a reason.
    """

    concepts: float = 0.229
    sectors: float = 0.0
    trl: float = 0.045
    money: float = 0.0
    deal_types: float = 0.12
    country: float = 0.082
    text: float = 0.105
    # Language-centred embedding cosine. Neutral (the same for every pair) when the index has no
    # embedder, so that the other features alone decide the ranking.
    embedding: float = 0.419

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
    """Weights for technology (incl. R&D), business and investment pairs (fitted, see Weights)."""

    technology: Weights = Weights()
    business: Weights = Weights(
        concepts=0.196,
        sectors=0.056,
        trl=0.0,
        money=0.029,
        deal_types=0.107,
        country=0.146,
        text=0.105,
        embedding=0.361,
    )
    investment: Weights = Weights(
        concepts=0.047, sectors=0.192, trl=0.0, money=0.251, deal_types=0.172, country=0.0, text=0.105, embedding=0.233
    )

    def for_family(self, family: str) -> Weights:
        weights: Weights = getattr(self, family)
        return weights

    def matrix(self, *, with_embedding: bool = True) -> np.ndarray:
        """Rows in FAMILIES order, each summing to 1.

        Without the embedding its column is 0 and the other weights are rescaled: the ranking is the
        same as with a neutral embedding feature, and scores keep the spread they have without one.
        """
        rows = np.vstack([self.for_family(family).vector() for family in FAMILIES])
        if not with_embedding:
            rows[:, FEATURE_NAMES.index("embedding")] = 0.0
            sums = rows.sum(axis=1, keepdims=True)
            rows /= np.where(sums > 0, sums, 1.0)
        return rows

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


def combine_scores(matrix: np.ndarray, weight_rows: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Each row's weighted feature sum (clipped to [0, 1]) times its requirement factor in (0, 1]."""
    return np.clip((matrix * weight_rows).sum(axis=1), 0.0, 1.0) * factors
