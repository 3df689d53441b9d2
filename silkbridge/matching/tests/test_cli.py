from __future__ import annotations

import io
import json

from silkbridge.matching.engine.cli import EXIT_BAD_LINES, EXIT_OK, EXIT_UNUSABLE, eval_main, match_main

from .profiles import ROWS


def _jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def test_match_writes_one_line_per_profile_with_english_reasons(tmp_path):
    source = tmp_path / "profiles.jsonl"
    source.write_text(_jsonl(ROWS), encoding="utf-8")
    output = tmp_path / "matches.jsonl"
    stderr = io.StringIO()
    assert match_main(source, top=3, output=output, stderr=stderr) == EXIT_OK
    assert stderr.getvalue() == ""
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [row["id"] for row in ROWS]
    crop = next(line for line in lines if line["id"] == "en-crop")
    assert crop["matches"][0]["id"] == "zh-crop"
    assert set(crop["matches"][0]) == {"id", "score", "reasons"}
    assert "TRL 7 meets the TRL ≥ 6 asked for" in crop["matches"][0]["reasons"]
    assert all(len(line["matches"]) <= 3 for line in lines)


def test_match_reasons_in_the_language_asked_for(tmp_path):
    source = tmp_path / "profiles.jsonl"
    source.write_text(_jsonl(ROWS), encoding="utf-8")
    stdout = io.StringIO()
    assert match_main(source, top=1, language="zh", stdout=stdout) == EXIT_OK
    crop = next(json.loads(line) for line in stdout.getvalue().splitlines() if '"en-crop"' in line[:20])
    assert "技术成熟度 TRL 7，满足所要求的 TRL ≥ 6" in crop["matches"][0]["reasons"]


def test_malformed_lines_are_reported_with_line_numbers_and_skipped(tmp_path):
    lines = [
        json.dumps(ROWS[0], ensure_ascii=False),  # 1 good
        "{not json",  # 2
        json.dumps({"org": "x", "type": "technology_offer"}),  # 3 no id
        json.dumps({"id": "t1", "org": "x", "type": "patent_sale"}),  # 4 unknown type
        json.dumps({"id": "t2", "org": "x", "type": "technology_offer", "trl": "high"}),  # 5 wrong type
        "",  # 6 blank: ignored
        json.dumps(ROWS[4], ensure_ascii=False),  # 7 good
        json.dumps([1, 2]),  # 8 not an object
        json.dumps({"id": "t3", "type": "technology_request", "deal_types": ["gift"]}),  # 9 unknown deal type
        json.dumps({"id": "t4", "type": "technology_request", "amount_min": 5}),  # 10 amount without currency
        json.dumps(ROWS[0], ensure_ascii=False),  # 11 duplicate id
    ]
    source = tmp_path / "profiles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output, stderr = tmp_path / "out.jsonl", io.StringIO()
    assert match_main(source, output=output, stderr=stderr) == EXIT_BAD_LINES
    reported = stderr.getvalue()
    for number in (2, 3, 4, 5, 8, 9, 10, 11):
        assert f"line {number}:" in reported
    for number in (1, 6, 7):
        assert f"line {number}:" not in reported
    assert "trl must be an integer" in reported
    assert "type 'patent_sale' is not one of" in reported
    written = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in written] == ["zh-crop", "en-crop"]
    assert written[1]["matches"][0]["id"] == "zh-crop"


def test_truth_prints_recall_and_mrr_per_group(tmp_path):
    source = tmp_path / "profiles.jsonl"
    source.write_text(_jsonl(ROWS), encoding="utf-8")
    truth = tmp_path / "truth.json"
    truth.write_text(
        json.dumps(
            {"en-crop": "zh-crop", "ur-crop": "zh-crop", "zh-ocr-request": "en-ocr-offer", "pk-startup": "cn-fund-fits"}
        ),
        encoding="utf-8",
    )
    stdout = io.StringIO()
    assert match_main(source, truth=truth, stdout=stdout) == EXIT_OK
    report = json.loads(stdout.getvalue())
    assert report["all"] == {"queries": 4, "recall@1": 1.0, "recall@5": 1.0, "recall@10": 1.0, "mrr": 1.0}
    assert report["technology_cross_lingual"]["queries"] == 3
    assert report["investment"]["queries"] == 1


def test_unusable_truth_file(tmp_path):
    source = tmp_path / "profiles.jsonl"
    source.write_text(_jsonl(ROWS), encoding="utf-8")
    truth = tmp_path / "truth.json"
    truth.write_text("[1, 2]", encoding="utf-8")
    stderr = io.StringIO()
    assert match_main(source, truth=truth, stdout=io.StringIO(), stderr=stderr) == EXIT_UNUSABLE
    assert "truth file must be a JSON object" in stderr.getvalue()
    assert match_main(tmp_path / "missing.jsonl", stderr=io.StringIO()) == EXIT_UNUSABLE


def test_eval_reports_engine_and_baselines(tmp_path):
    source = tmp_path / "profiles.jsonl"
    source.write_text(_jsonl(ROWS), encoding="utf-8")
    truth = tmp_path / "truth.json"
    truth.write_text(json.dumps({"en-crop": "zh-crop", "ur-crop": "zh-crop", "zh-ocr-request": "en-ocr-offer"}))
    stdout = io.StringIO()
    assert eval_main(source, truth, stdout=stdout, stderr=io.StringIO()) == EXIT_OK
    report = json.loads(stdout.getvalue())
    assert report["engine"]["all"]["recall@1"] == 1.0
    expected = {"tfidf_raw_text", "engine_without_glossary"}
    if report["embedder"] is not None:  # the optional embedding package is installed
        expected |= {"engine_without_embedding", "embedding_alone"}
    assert set(report["baselines"]) == expected
    assert report["baselines"]["tfidf_raw_text"]["all"]["queries"] == 3
