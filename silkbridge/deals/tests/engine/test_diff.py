"""What changed between two versions, as a reader sees it."""

from silkbridge.deals.engine.diff import Piece, clauses_diff, record_diff, text_diff


def test_a_text_diff_shows_the_words_removed_and_added():
    assert text_diff("Build a Tier III data center", "Build a Tier IV data center in Islamabad") == [
        Piece("same", "Build a Tier "),
        Piece("removed", "III"),
        Piece("added", "IV"),
        Piece("same", " data center"),
        Piece("added", " in Islamabad"),
    ]


def test_chinese_is_compared_character_by_character():
    assert text_diff("建设三级数据中心", "建设四级数据中心") == [
        Piece("same", "建设"),
        Piece("removed", "三"),
        Piece("added", "四"),
        Piece("same", "级数据中心"),
    ]


def test_a_record_diff_lists_only_changed_fields():
    changes = record_diff(
        {"title": "Plan", "budget": "100", "team": [{"name": "Li"}]},
        {"title": "Plan", "budget": "120", "team": [{"name": "Li"}, {"name": "Khan"}]},
    )
    assert [(change.name, change.before, change.after) for change in changes] == [
        ("budget", "100", "120"),
        ("team", [{"name": "Li"}], [{"name": "Li"}, {"name": "Khan"}]),
    ]


def test_clauses_are_compared_by_key_with_added_removed_and_changed_ones():
    before = [
        {"key": "parties", "position": 1, "text_en": "Between A and B."},
        {"key": "purpose", "position": 2, "text_en": "To cooperate."},
        {"key": "term", "position": 3, "text_en": "Five years."},
    ]
    after = [
        {"key": "parties", "position": 1, "text_en": "Between A and B."},
        {"key": "purpose", "position": 2, "text_en": "To cooperate on data centers."},
        {"key": "law", "position": 3, "text_en": "The laws of Pakistan."},
    ]
    assert [(change.key, change.status) for change in clauses_diff(before, after)] == [
        ("parties", "same"),
        ("purpose", "changed"),
        ("term", "removed"),  # where it stood
        ("law", "added"),
    ]
