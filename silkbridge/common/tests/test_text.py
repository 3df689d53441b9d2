from silkbridge.common.text import index_document, normalise, phrase_key, tokenize


def test_chinese_documents_are_segmented_so_a_word_inside_a_compound_is_found():
    document = index_document(["人工智能医疗影像诊断平台"])
    for word in tokenize("人工智能"):
        assert f" {word} " in document
    assert " 医疗 " in document
    assert " 影像 " in document


def test_chinese_query_words_are_cut_in_precise_mode():
    assert tokenize("人工智能") == ["人工智能"]
    assert tokenize("作物病害识别") == ["作物", "病害", "识别"]


def test_english_is_case_folded_stop_words_dropped_and_plurals_folded():
    assert tokenize("The Smart Meters of Lahore") == ["smart", "meter", "lahore"]
    assert tokenize("technologies companies boxes") == ["technology", "company", "box"]
    assert tokenize("business analysis") == ["business", "analysis"]


def test_urdu_arabic_letter_forms_and_vowel_marks_are_unified():
    # Arabic yeh and kaf (as typed on an Arabic keyboard) and a zer mark must not change the word.
    assert normalise("كمپيوٹر") == normalise("کمپیوٹر")
    assert normalise("ذِہانت") == normalise("ذہانت")
    assert tokenize("مصنوعی ذہانت کی مدد") == ["مصنوعی", "ذہانت", "مدد"]


def test_eastern_digits_read_as_ascii_digits():
    assert tokenize("۲۰۲۴") == ["2024"]


def test_phrase_key_is_the_same_for_differently_written_phrases():
    assert phrase_key("Crop Disease  Detection") == phrase_key("crop disease detection")
    assert phrase_key("") == ""


def test_index_document_is_padded_and_without_duplicates():
    document = index_document(["AI ai", "AI"])
    assert document == " ai "
    assert index_document([""]) == ""


def test_units_cut_latin_and_urdu_by_word_and_chinese_by_character_with_offsets():
    """The glossary's phrase matcher uses this one splitter: words (stop words dropped, plurals folded)
    for Latin and Urdu text, single characters for Chinese, each with where it stands in the text."""
    from silkbridge.common.text import normalise, units

    text = normalise("the Drones 无人机 زرعی")
    assert [(unit.text, text[unit.start : unit.end]) for unit in units(text)] == [
        ("drone", "drones"),
        ("无", "无"),
        ("人", "人"),
        ("机", "机"),
        ("زرعی", "زرعی"),
    ]


def test_a_latin_word_glued_to_chinese_letters_is_a_word_of_its_own():
    # Chinese product texts write "AI害虫识别" and "200余种害虫" without a space: the Latin word or
    # number ends where the Chinese begins, so the Chinese words are found like any others.
    assert tokenize("AI害虫识别") == ["ai", "害虫", "识别"]
    assert "害虫" in tokenize("可识别200余种害虫")
    document = index_document(["5G智慧工厂"])
    assert " 5g " in document
    assert " 智慧 " in document
