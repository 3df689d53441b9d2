"""Cross-lingual matching engine: plain Python (no Django), plain data in and out.

Public entry points:
- `MatchIndex` / `build_index(profiles)`: incremental index; `index.top_k(id_or_profile, k)` -> list[Match].
- `read_profiles_jsonl(lines)`, `profile_from_dict(data)`: validated `Profile`s.
- `Rates`, `DEFAULT_RATES`: the dated currency table; `ScoringWeights`, `Weights`, `fit_weights`.
- `evaluate(profiles, truth)`: recall@k / MRR of the engine and its baselines.
- `bench_matching(profiles, seed)`: speed and memory on synthetic profiles.

An embedding scorer can be added as one more feature column: a callable that maps a profile's text
to a unit vector, stored as an (n, d) float32 array by slot beside the other arrays, its cosine
with the query as the eighth feature (with its own weight), and an optional ANN/top-N posting list
added to candidate generation. Nothing else changes.
"""

from .bench import bench_matching
from .evaluation import evaluate
from .features import ProfileFeatures, extract_features
from .glossary import Glossary, load_glossary
from .index import Match, MatchIndex, build_index
from .profiles import COMPLEMENTS, Profile, ProfileError, is_compatible, profile_from_dict, read_profiles_jsonl
from .rates import DEFAULT_RATES, Rates
from .reasons import Reason, render
from .weights import FEATURE_NAMES, LabelledPair, ScoringWeights, Weights, fit_weights

__all__ = [
    "COMPLEMENTS",
    "DEFAULT_RATES",
    "FEATURE_NAMES",
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
    "Weights",
    "bench_matching",
    "build_index",
    "evaluate",
    "extract_features",
    "fit_weights",
    "is_compatible",
    "load_glossary",
    "profile_from_dict",
    "read_profiles_jsonl",
    "render",
]
