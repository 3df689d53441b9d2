import re

from silkbridge.core.references import public_reference


def test_references_are_twelve_url_safe_characters_that_never_start_like_an_option_or_a_formula():
    drawn = [public_reference() for _ in range(2000)]
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{11}", reference) for reference in drawn)
    # '-' and '_' still appear after the first character: the other eleven keep token_urlsafe's alphabet.
    assert any("-" in reference or "_" in reference for reference in drawn)
    assert len(set(drawn)) == len(drawn)
