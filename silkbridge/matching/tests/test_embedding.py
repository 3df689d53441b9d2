"""The optional embedding feature: neutral without an embedder, exact under incremental changes."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from silkbridge.matching.engine import FEATURE_NAMES, MatchIndex, ScoringWeights, build_index
from silkbridge.matching.engine.embedding import CachedEmbedder, hashing_embedder

from .profiles import sample_profiles


def _answers(index: MatchIndex) -> dict[str, list[tuple[str, float]]]:
    return {pid: [(m.id, m.score) for m in index.top_k(pid, 5)] for pid in index.ids()}


def test_without_an_embedder_the_feature_is_neutral_and_scores_are_unchanged():
    index = build_index(sample_profiles())
    for match in index.top_k("en-crop", 10):
        assert match.features["embedding"] == 0.5
    weights = ScoringWeights().matrix(with_embedding=False)
    assert weights[:, FEATURE_NAMES.index("embedding")].tolist() == [0.0, 0.0, 0.0]
    assert np.allclose(weights.sum(axis=1), 1.0)


def test_with_an_embedder_the_feature_is_a_cosine_in_zero_one():
    index = build_index(sample_profiles(), embedder=hashing_embedder(dimensions=64))
    matches = index.top_k("en-crop", 10)
    assert matches
    for match in matches:
        assert 0.0 <= match.features["embedding"] <= 1.0
        assert 0.0 <= match.score <= 1.0


def test_embedding_neighbours_are_candidates_even_without_shared_concepts():
    # A query the glossary says nothing about still gets its nearest profiles by embedding.
    profiles = sample_profiles()
    stranger = replace(
        next(p for p in profiles if p.id == "en-crop"), id="x", org="x-org", title="qwerty zxcv", description=""
    )
    embedder = CachedEmbedder(lambda texts: np.ones((len(texts), 4), dtype=np.float32) / 2, name="flat", dimensions=4)
    index = build_index(profiles, embedder=embedder)
    assert index.top_k(stranger, 3)


def test_incremental_add_update_remove_equals_a_fresh_build_with_embeddings():
    profiles = sample_profiles()
    embedder = hashing_embedder(dimensions=64)
    incremental = MatchIndex(embedder=embedder)
    shuffled = profiles[:]
    random.Random(5).shuffle(shuffled)
    for profile in shuffled:
        incremental.add(profile)
    changed = replace(profiles[2], description="布匹缺陷检测与作物病害识别")
    incremental.update(changed)
    incremental.remove("zh-road")
    incremental.remove("en-face-offer")
    incremental.add(next(profile for profile in profiles if profile.id == "en-face-offer"))
    expected = [changed if profile.id == changed.id else profile for profile in profiles if profile.id != "zh-road"]
    fresh = build_index(expected, embedder=embedder)
    assert _answers(incremental) == _answers(fresh)
