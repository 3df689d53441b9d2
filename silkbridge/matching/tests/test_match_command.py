"""`silkbridge match` as a user runs it: matches file, metrics against a truth file, bad lines."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

EVALUATION = Path(__file__).resolve().parents[1] / "evaluation"

OFFER = {
    "id": "cn-1",
    "org": "cn-org-1",
    "type": "technology_offer",
    "title": "作物病害识别系统",
    "description": "基于深度学习的作物病害识别，手机拍照即可识别小麦和棉花病害。",
    "language": "zh",
    "trl": 7,
    "deal_types": ["licence", "joint_venture"],
    "country": "CN",
}
REQUEST = {
    "id": "pk-1",
    "org": "pk-org-1",
    "type": "technology_request",
    "title": "Crop disease detection for cotton farmers",
    "description": "We need crop disease detection from phone photos for cotton and wheat in Punjab.",
    "language": "en",
    "trl": 6,
    "deal_types": ["licence"],
    "country": "PK",
}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_request_in_english_finds_the_chinese_offer_with_reasons(tmp_path):
    profiles = _write(tmp_path / "profiles.jsonl", [json.dumps(OFFER, ensure_ascii=False), json.dumps(REQUEST)])
    output = tmp_path / "matches.jsonl"
    call_command("match", str(profiles), "--top", "5", "--output", str(output))
    rows = {row["id"]: row for row in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"cn-1", "pk-1"}
    best = rows["pk-1"]["matches"][0]
    assert best["id"] == "cn-1"
    assert 0 < best["score"] <= 1
    assert any("作物病害识别" in reason for reason in best["reasons"])


def test_bad_lines_are_reported_by_number_skipped_and_fail_the_exit_code(tmp_path):
    profiles = _write(
        tmp_path / "profiles.jsonl",
        [
            json.dumps(OFFER, ensure_ascii=False),
            "{not json",
            json.dumps({**REQUEST, "type": "hug"}),
            json.dumps(REQUEST),
        ],
    )
    errors, output = StringIO(), tmp_path / "matches.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        call_command("match", str(profiles), "--output", str(output), stderr=errors)
    assert exit_info.value.code == 1
    assert "line 2" in errors.getvalue()
    assert "line 3" in errors.getvalue()
    assert len(output.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.long
def test_metrics_against_the_truth_file_of_the_evaluation_set():
    out = StringIO()
    call_command(
        "match",
        str(EVALUATION / "profiles.jsonl"),
        "--truth",
        str(EVALUATION / "truth.json"),
        stdout=out,
        stderr=StringIO(),
    )
    metrics = json.loads(out.getvalue())
    technology = metrics["technology_cross_lingual"]
    assert {"recall@1", "recall@5", "recall@10", "mrr"} <= set(technology)
    assert technology["queries"] >= 300
    assert technology["recall@5"] >= 0.85
    assert metrics["investment"]["recall@1"] >= 0.8
