from __future__ import annotations

import numpy as np
import pytest

from silkbridge.matching.engine import FEATURE_NAMES, LabelledPair, ScoringWeights, Weights, fit_weights


def test_default_weights_sum_to_one_per_family():
    matrix = ScoringWeights().matrix()
    assert matrix.shape == (3, len(FEATURE_NAMES))
    assert np.allclose(matrix.sum(axis=1), 1.0)


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        Weights(concepts=-1.0).vector()


def test_fit_learns_the_feature_that_separates_matches():
    rng = np.random.default_rng(0)
    pairs = []
    for _ in range(400):
        features = rng.random(len(FEATURE_NAMES))
        is_match = features[0] > 0.7  # only the concept feature tells matches apart
        pairs.append(LabelledPair(tuple(features.tolist()), "technology", bool(is_match)))
    fitted = fit_weights(pairs)
    vector = fitted.technology.vector()
    assert vector.argmax() == FEATURE_NAMES.index("concepts")
    assert vector[0] > 0.5
    assert (vector >= 0).all()
    assert fitted.investment == ScoringWeights().investment  # no labelled pairs: kept as it was
