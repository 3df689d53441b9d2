"""Refit the score weights from what users said: 'useful' / 'not useful' on matches, and expressions
of interest (sent or accepted: the pair was right; declined: it was not).

The refit is judged honestly before it is used: the labelled pairs are split in two (right and
wrong pairs alike), weights are fitted on one half and scored on the other (both ways), and the
held-out ranking quality (ROC AUC: how often a right pair outscores a wrong one) is compared with
the weights in use. The new weights are applied only when they do better on held-out pairs; then
every match list is recomputed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction

from silkbridge.marketplace.choices import InterestStatus
from silkbridge.marketplace.models import ExpressionOfInterest
from silkbridge.matching import services
from silkbridge.matching.engine import FEATURE_NAMES, LabelledPair, ScoringWeights, fit_weights
from silkbridge.matching.engine.index import pair_family
from silkbridge.matching.engine.weights import FAMILIES, combine_scores
from silkbridge.matching.models import Match, MatchFeedback, WeightSet

MINIMUM_PAIRS = 10


def _vector(features: dict[str, float]) -> tuple[float, ...]:
    return tuple(float(features.get(name, 0.5)) for name in FEATURE_NAMES)


def _factor(features: dict[str, float]) -> float:
    """The factors the engine applied to the pair's weighted features (stored with the match; 1 when
    absent): the requirement penalty and the reciprocity, which the refit keeps as they were."""
    return float(features.get("requirements", 1.0)) * float(features.get("reciprocity", 1.0))


def labelled_pairs() -> list[tuple[LabelledPair, float]]:
    """Each judged pair with its fixed factor (the weights are fitted; penalties and reciprocity are not)."""
    pairs = [
        (LabelledPair(_vector(feedback.features), feedback.family, feedback.useful), _factor(feedback.features))
        for feedback in MatchFeedback.objects.all().order_by("pk")
    ]
    interests = ExpressionOfInterest.objects.exclude(status=InterestStatus.WITHDRAWN).select_related("opportunity")
    for interest in interests.order_by("pk"):
        # The interested organisation's own profiles that listed this one: the pair the engine proposed.
        listed = Match.objects.filter(
            other_id=interest.opportunity_id, opportunity__organisation_id=interest.organisation_id
        ).select_related("opportunity", "other")
        for match in listed:
            family = pair_family(match.opportunity.kind, match.other.kind)
            label = interest.status != InterestStatus.DECLINED
            pairs.append((LabelledPair(_vector(match.features), family, label), _factor(match.features)))
    return pairs


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """Probability that a right pair outscores a wrong one (ties count half); None without both kinds."""
    positives, negatives = scores[labels], scores[~labels]
    if len(positives) == 0 or len(negatives) == 0:
        return None
    greater = (positives[:, None] > negatives[None, :]).sum()
    ties = (positives[:, None] == negatives[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(positives) * len(negatives)))


def _scores(pairs: list[LabelledPair], factors: list[float], weights: ScoringWeights) -> np.ndarray:
    """The engine's score of each pair under `weights`: weighted features times the requirement factor."""
    matrix = weights.matrix(with_embedding=services.embedder() is not None)
    rows = matrix[[FAMILIES.index(pair.family) for pair in pairs]]
    features = np.array([pair.features for pair in pairs], dtype=np.float64)
    return combine_scores(features, rows, np.array(factors, dtype=np.float64))


def _held_out(judged: list[tuple[LabelledPair, float]], current: ScoringWeights) -> dict[str, float | None]:
    # Stratified: right and wrong pairs alternate between the folds, so each fold has both kinds.
    seen = {True: 0, False: 0}
    folds = []
    for pair, _factor_value in judged:
        folds.append(seen[pair.is_match] % 2)
        seen[pair.is_match] += 1
    before: list[float] = []
    after: list[float] = []
    for fold in (0, 1):
        train = [pair for (pair, _), which in zip(judged, folds, strict=True) if which != fold]
        test = [item for item, which in zip(judged, folds, strict=True) if which == fold]
        if not train or not test:
            continue
        test_pairs = [pair for pair, _ in test]
        test_factors = [factor for _, factor in test]
        labels = np.array([pair.is_match for pair in test_pairs], dtype=bool)
        fitted = fit_weights(train, start=current, minimum_positives=3)
        old = roc_auc(_scores(test_pairs, test_factors, current), labels)
        new = roc_auc(_scores(test_pairs, test_factors, fitted), labels)
        if old is not None and new is not None:
            before.append(old)
            after.append(new)
    return {
        "auc_before": round(float(np.mean(before)), 4) if before else None,
        "auc_after": round(float(np.mean(after)), 4) if after else None,
    }


def refit(*, apply: bool = True) -> dict[str, Any]:
    judged = labelled_pairs()
    pairs = [pair for pair, _ in judged]
    positives = sum(1 for pair in pairs if pair.is_match)
    result: dict[str, Any] = {"pairs": len(pairs), "useful": positives, "not_useful": len(pairs) - positives}
    if len(pairs) < MINIMUM_PAIRS or positives == 0 or positives == len(pairs):
        return {**result, "applied": False, "why": f"needs at least {MINIMUM_PAIRS} judged pairs of both kinds"}
    current, _weights_id = services.current_weights()
    result.update(_held_out(judged, current))
    fitted = fit_weights(pairs, start=current, minimum_positives=3)
    result["weights"] = fitted.as_dict()
    better = (
        result["auc_before"] is not None
        and result["auc_after"] is not None
        and result["auc_after"] > result["auc_before"]
    )
    if not better:
        return {**result, "applied": False, "why": "the refit does not rank held-out pairs better"}
    if not apply:
        return {**result, "applied": False, "why": "dry run"}
    with transaction.atomic():
        WeightSet.objects.filter(is_active=True).update(is_active=False)
        WeightSet.objects.create(
            weights=fitted.as_dict(),
            evaluation={key: result[key] for key in ("pairs", "useful", "not_useful", "auc_before", "auc_after")},
            note="refit from feedback and expressions of interest",
        )
    result["rebuilt"] = services.rebuild()
    return {**result, "applied": True}
