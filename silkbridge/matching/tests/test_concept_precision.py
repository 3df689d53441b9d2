"""Issue 12: a concept shown as shared must be one a careful reader accepts.

The rules here keep a profile from stating a concept it does not name: words that belong to another
concept the text names exactly, a term's head or its modifier alone, and a concept that a description
mentions only in passing. Texts are written the way a new user writes a profile.
"""

from __future__ import annotations

from silkbridge.common.rates import DEFAULT_RATES
from silkbridge.matching.engine import MatchIndex, profile_from_dict
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
    # Without its head the concept is not stated, but it still counts a little towards similarity; and a
    # concept the text names exactly is stated, whatever other words of it stand without a head.
    assert call_centre.concept_weights["call_centre_speech_analytics"] > 0
    laundering = _features(
        language="zh", title="银行反洗钱可疑交易监测平台", description="实时筛查可疑交易，自动生成上报材料。"
    )
    assert "anti_money_laundering" in laundering.supported
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


def _shown(index, query_id):
    """The concepts each match's card shows as shared, by match id."""
    return {
        match.id: {
            concept["code"]
            for reason in match.reasons
            if reason.code == "shared_concepts"
            for concept in reason.params["concepts"]
        }
        for match in index.top_k(query_id, 5)
    }


def _index_with(*profiles):
    index = MatchIndex()
    for number, (kind, language, title, description) in enumerate(profiles):
        index.add(
            profile_from_dict(
                {
                    "id": f"p{number}",
                    "org": f"org-{number}",
                    "type": kind,
                    "country": "PK" if kind.endswith("request") else "CN",
                    "language": language,
                    "title": title,
                    "description": description,
                }
            )
        )
    return index


MINE_SAFETY = {
    "en": (
        "Gas monitoring for underground coal mines",
        "Methane, carbon monoxide, air-flow and temperature sensors underground report to a surface control room; "
        "power is cut automatically when methane passes the limit.",
    ),
    "zh": (
        "煤矿井下瓦斯监控与断电系统",
        "井下布设甲烷、一氧化碳、风速和温度传感器，数据上传地面监控中心，瓦斯超限自动断电。",
    ),
    "ur": (
        "کوئلے کی کانوں میں گیس کی نگرانی",
        "کان کے اندر میتھین، کاربن مونو آکسائیڈ، ہوا کی رفتار اور درجہ حرارت کے سینسر لگائے جاتے ہیں۔",
    ),
}


def test_a_concept_named_only_as_one_item_of_a_list_is_not_shown_as_shared():
    # The temperature sensors are one of four kinds of sensor of a mine-safety system: beside a cold-store
    # request that wants temperature sensors too, "Shared concepts: temperature sensor" would say the two are
    # alike. Beside an offer of temperature sensors (its title says so), the same list item is shown.
    for language, (title, description) in MINE_SAFETY.items():
        index = _index_with(
            ("technology_offer", language, title, description),
            (
                "technology_request",
                "en",
                "Alarms when our cold rooms warm up",
                "Our mango cold rooms need wireless temperature sensors and an SMS alarm when a door is left open.",
            ),
            (
                "technology_request",
                "en",
                "Temperature sensors for hazardous areas",
                "We buy explosion-proof temperature sensors for a chemical plant and want a supplier.",
            ),
        )
        assert "temperature_sensor" in index.features_of("p0").passing, language
        shown = _shown(index, "p0")
        assert {"p1", "p2"} <= set(shown), language  # both requests are among the offer's matches
        assert "temperature_sensor" not in shown["p1"], language
        # The offer's title names its own subject (mine safety monitoring), so the list item is not shown
        # beside the temperature-sensor request either: the offer is about mine safety.
        assert index.features_of("p0").subject == {"mine_safety_monitoring"}, language
        assert "temperature_sensor" not in shown["p2"], language


def test_words_around_a_list_are_not_items_of_it():
    # The list is of customers or parts; the concept before "for" or after it is what the profile is about.
    for title, description, concept in [
        (
            "Transaction risk engine",
            "Fraud detection for banks, wallets and microfinance lenders, in real time.",
            "fraud_detection",
        ),
        (
            "Motor monitoring kit",
            "Our kit bundles vibration sensors, current clamps and gateways for predictive maintenance of motors.",
            "predictive_maintenance",
        ),
    ]:
        features = _features(language="en", title=title, description=description)
        assert concept in features.supported, title
        assert concept not in features.passing, title


def test_a_past_application_of_a_product_is_not_shown_as_shared():
    # A privacy-computing platform that "has been deployed for anti-fraud between banks" offers privacy
    # computing, not fraud detection: beside a bank that wants a fraud model trained without sharing data,
    # the shared concept is the privacy computing, not the fraud detection.
    for language, title, description in [
        (
            "zh",
            "隐私计算平台",
            "支持多方安全计算和联邦建模，数据可用不可见，已在多家银行的联合反欺诈场景落地。",
        ),
        (
            "en",
            "Privacy computing platform",
            "Secure multi-party computation and federated modelling, so data never leaves its owner. Already "
            "deployed at three banks for joint fraud detection.",
        ),
        (
            "ur",
            "پرائیویسی کمپیوٹنگ پلیٹ فارم",
            "ڈیٹا شیئر کیے بغیر کئی اداروں کا مشترکہ ماڈل۔ یہ پلیٹ فارم بینکوں کی دھوکہ دہی کی نشاندہی میں "
            "پہلے ہی استعمال ہو رہا ہے۔",
        ),
    ]:
        index = _index_with(
            ("technology_offer", language, title, description),
            (
                "rnd_request",
                "en",
                "A fraud model across banks without pooling customer data",
                "Three banks want to train a fraud detection model together using secure multi-party computation, "
                "keeping customer data inside each bank.",
            ),
        )
        assert "fraud_detection" in index.features_of("p0").passing, language
        assert "fraud_detection" not in _shown(index, "p1").get("p0", set()), language


def test_a_concept_glued_to_a_latin_word_in_chinese_is_found():
    # "AI害虫识别" (no space between AI and the Chinese): the pest identification a Chinese offer is
    # about, and the acronym beside it, are both found, as they are when a space separates them.
    glued = _stated("AI害虫识别灯，可识别200余种害虫，数据上传云平台。")
    spaced = _stated("AI 害虫识别灯，可识别 200 余种害虫，数据上传云平台。")
    assert "pest_identification" in glued
    assert glued == spaced
