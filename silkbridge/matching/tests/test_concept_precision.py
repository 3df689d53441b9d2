"""Issue 12: a concept shown as shared must be one a careful reader accepts.

The rules here keep a profile from stating a concept it does not name: words that belong to another
concept the text names exactly, a term's head or its modifier alone, and a concept that a description
mentions only in passing. Texts are written the way a new user writes a profile.
"""

from __future__ import annotations

from silkbridge.common.rates import DEFAULT_RATES
from silkbridge.matching.engine import profile_from_dict
from silkbridge.matching.engine.features import extract_features
from silkbridge.matching.engine.glossary import load_glossary


def _features(**data):
    profile = profile_from_dict({"id": "q", "org": "pk-new", "country": "PK", "type": "technology_request", **data})
    return extract_features(profile, load_glossary(), DEFAULT_RATES)


def _stated(text: str) -> set[str]:
    extraction = load_glossary().extract(text)
    return {*extraction.concepts, *extraction.approximate}


def test_words_inside_a_concept_the_text_names_name_no_other_concept():
    # "ویئر ہاؤس" ("warehouse", two Urdu words) carries most of the weight of ڈیٹا ویئر ہاؤس ("data
    # warehouse"), but in a warehouse management system (ویئر ہاؤس مینجمنٹ سسٹم) it is a word of that
    # system's name: another word stands where "data" would.
    for title in ["تھوک فروشوں کے لیے ویئر ہاؤس مینجمنٹ سسٹم", "ملتان کے کولڈ اسٹوروں کے لیے ویئر ہاؤس مینجمنٹ سسٹم"]:
        features = _features(
            language="ur", title=title, description="بارکوڈ سے وصولی، ریک کی جگہ اور ہر گاہک کا الگ بل درکار ہے۔"
        )
        assert "warehouse_management_system" in features.supported, title
        assert "data_warehouse" not in features.supported, title
    # Named in its own words, the data warehouse is still found.
    assert "data_warehouse" in _stated("بینک کو اپنی رپورٹس کے لیے ڈیٹا ویئر ہاؤس چاہیے۔")


def test_a_chinese_term_needs_its_head_and_its_first_word():
    # 通话录音 ("call recording") is the rest of 通话录音分析 ("call-recording analysis") without its head 分析:
    # a cloud call-centre platform that records calls offers no speech analytics. 病害智能识别 has the head of
    # 虫害识别 ("pest identification") but not its first word 虫害: crop diseases are no insect pests; and
    # 自动识别 ("automatic identification") without 车牌 ("licence plate") reads no plates.
    call_centre = _features(
        language="zh", title="云呼叫中心", description="支持来电排队、通话录音和外呼任务，按坐席数月付。"
    )
    assert "call_centre_speech_analytics" not in call_centre.supported
    diseases = _features(
        language="zh", title="小麦病害智能识别App", description="农户拍一张叶片照片即可得到病害名称和用药建议。"
    )
    assert "pest_identification" not in diseases.supported
    trap = _features(
        language="zh",
        title="太阳能虫情测报灯",
        description="灯下拍照后可自动识别三十多种害虫并计数，数据通过4G上传。",
    )
    assert "licence_plate_recognition" not in trap.supported
    helpdesk = _features(language="zh", title="银行客服机器人", description="用乌尔都语回答客户问题的对话机器人。")
    assert "harvesting_robot" not in helpdesk.supported  # 机器人 alone is no 采摘机器人 ("harvesting robot")
    # With the head and the first word, such words still name the concept.
    assert "call_centre_speech_analytics" in _stated("我们需要对呼叫中心的通话录音做语音分析，找出客户投诉。")
    assert "crop_disease_detection" in _stated("农作物病害智能识别模型")
