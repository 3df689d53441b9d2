"""The glossary covers the industries Pakistan-China profiles are about (session 11's concepts).

Each pair is a Pakistani request and a Chinese offer written the way their companies would write them, naming
one subject in words other than the glossary's label. Both must state that concept, so that the pair shares it
across languages instead of meeting only through the embedding.
"""

from __future__ import annotations

import pytest

from silkbridge.common.rates import DEFAULT_RATES
from silkbridge.matching.engine import MatchIndex, profile_from_dict
from silkbridge.matching.engine.features import extract_features
from silkbridge.matching.engine.glossary import load_glossary

# (concept, request (language, title, description), offer (language, title, description))
PAIRS = [
    (
        "solar_water_pumping",
        (
            "en",
            "Replacing diesel pumps on our farms",
            "We run 40 diesel tube wells in Bahawalnagar and want solar irrigation pumps that start at sunrise.",
        ),
        ("zh", "光伏扬水系统", "为农田提供太阳能水泵与控制器，无需柴油，适合日照充足地区。"),
    ),
    (
        "fabric_defect_detection",
        (
            "en",
            "Catching faults in greige cloth",
            "Our mill in Faisalabad wants automatic fabric inspection at the end of each weaving line.",
        ),
        ("zh", "AI验布机", "基于深度学习的织物疵点检测，可识别断经、破洞和油污，速度每分钟60米。"),
    ),
    (
        "electronic_toll_collection",
        (
            "ur",
            "موٹر وے پر ٹول پلازوں کی جدید کاری",
            "ہمیں ایم ٹیگ کے لیے ایسا نظام چاہیے جس میں گاڑیاں رکے بغیر گزر سکیں۔",
        ),
        ("zh", "高速公路ETC不停车收费", "提供ETC不停车收费车道设备与后台结算，支持自由流收费。"),
    ),
    (
        "milk_adulteration_testing",
        (
            "ur",
            "دودھ کی خریداری کے مراکز کے لیے ٹیسٹنگ",
            "ہمارے کلیکشن سینٹرز پر ملک اینالائزر چاہئیں تاکہ پانی اور یوریا کی ملاوٹ فوراً پکڑی جائے۔",
        ),
        ("zh", "乳品成分分析仪", "快速测定原料奶的脂肪、蛋白和加水量，用于收奶站的原料奶质量检测。"),
    ),
    (
        "net_metering",
        (
            "en",
            "Solar for 300 homes in a housing society",
            "We plan rooftop PV on every house, connected to the grid under net metering.",
        ),
        ("zh", "屋顶光伏解决方案", "为住宅和工商业提供屋顶光伏设计、安装与并网服务。"),
    ),
    (
        "combine_harvester",
        (
            "ur",
            "گندم اور چاول کی کٹائی کے لیے مشینیں",
            "ہمارا ادارہ کسانوں کو کرائے پر کمبائن دینا چاہتا ہے اور پچاس مشینیں خریدے گا۔",
        ),
        ("zh", "水稻收割机出口", "履带式水稻收割机，适合水田作业，可提供配件与培训。"),
    ),
    (
        "hvdc_transmission",
        (
            "en",
            "Maintenance partner for a converter station",
            "We operate an HVDC converter station and seek a partner for valve hall maintenance and spares.",
        ),
        ("zh", "换流站运维服务", "为特高压直流工程提供换流站设备检修与备品备件。"),
    ),
    (
        "structural_health_monitoring",
        (
            "en",
            "Instruments for a new dam",
            "Our authority needs dam safety monitoring: piezometers, seepage and deformation readings online.",
        ),
        ("zh", "大坝安全监测系统", "渗压、渗流与变形自动化采集，实时预警，已应用于多座水电站。"),
    ),
    (
        "building_information_modelling",
        (
            "en",
            "BIM coordination for a hospital project",
            "We need a partner for BIM modelling and clash detection on a 500-bed hospital in Islamabad.",
        ),
        ("zh", "BIM建模与协同服务", "提供建筑、结构与机电BIM建模，施工阶段碰撞检查与深化设计。"),
    ),
    (
        "halal_meat_processing",
        (
            "en",
            "Export-grade halal abattoir",
            "Investors in Karachi want to build a halal slaughterhouse for chilled beef exports to the Gulf.",
        ),
        ("zh", "清真屠宰场成套设备", "提供清真牛羊肉加工生产线，从屠宰到分割包装。"),
    ),
    (
        "optical_colour_sorter",
        (
            "en",
            "Sorting discoloured rice",
            "Our rice mill in Sheikhupura wants a rice colour sorting machine for basmati exports.",
        ),
        ("zh", "大米色选机", "高清CCD大米色选机，剔除黄米、垩白粒和异物，产量每小时5吨。"),
    ),
    (
        "glacial_lake_flood_warning",
        (
            "en",
            "Warning villages below glacial lakes",
            "We want GLOF early warning for valleys in Gilgit-Baltistan, with sirens and SMS alerts.",
        ),
        ("zh", "冰湖溃决监测预警", "结合遥感与水位计的冰湖溃决监测，自动向下游发布预警。"),
    ),
    (
        "laser_land_leveller",
        (
            "ur",
            "کھیتوں کو ہموار کرنے کی مشینیں",
            "ہمارا منصوبہ ہے کہ پنجاب کے کسانوں کو لیزر لیولر کرائے پر دیں تاکہ پانی کم لگے۔",
        ),
        ("zh", "农田激光整平设备", "激光平地，平整精度两厘米，节水三成。"),
    ),
    (
        "digital_zakat",
        (
            "ur",
            "زکوٰۃ کے لیے موبائل ایپ",
            "ہمیں ایسی ایپ بنوانی ہے جو زکوٰۃ کا حساب کرے اور رقم مستحقین تک پہنچائے۔",
        ),
        ("en", "Zakat management software", "A zakat calculation app with receipts for donors and charities."),
    ),
    (
        "electronic_immunisation_registry",
        (
            "ur",
            "بچوں کے حفاظتی ٹیکوں کا ڈیجیٹل ریکارڈ",
            "محکمہ صحت کو ویکسینیشن ٹریکنگ کے لیے ایک ایپ درکار ہے جو ویکسینیٹرز فیلڈ میں استعمال کریں۔",
        ),
        ("zh", "预防接种信息系统", "儿童预防接种信息系统，支持接种登记、提醒和疫苗库存管理。"),
    ),
    (
        "export_credit_insurance",
        (
            "en",
            "Cover for a hydropower loan",
            "Our lenders ask for political risk insurance on the USD 300 million loan for a run-of-river plant.",
        ),
        ("zh", "中国信保承保服务", "为海外电力项目贷款提供海外投资保险与出口买方信贷保险。"),
    ),
    (
        "equipment_leasing",
        (
            "ur",
            "ٹیکسٹائل مل کے لیے نئی مشینری",
            "ہم اپنی مل کے لیے آلات کی لیزنگ کے ذریعے چینی لومز لینا چاہتے ہیں، پانچ سال کی مدت کے لیے۔",
        ),
        ("zh", "设备融资租赁", "为海外工厂提供纺织机械和工程机械的融资租赁与售后回租。"),
    ),
    (
        "mineral_supply_traceability",
        (
            "en",
            "Proving where our chromite comes from",
            "European buyers want responsible minerals sourcing records for chromite from our mines in Balochistan.",
        ),
        ("zh", "矿产溯源平台", "基于区块链的矿石溯源，从矿山、选厂到港口全程上链存证。"),
    ),
]


def _profile(identifier: str, kind: str, country: str, language: str, title: str, description: str):
    return profile_from_dict(
        {
            "id": identifier,
            "org": f"org-{identifier}",
            "type": kind,
            "country": country,
            "language": language,
            "title": title,
            "description": description,
        }
    )


def _supported(language: str, title: str, description: str) -> frozenset[str]:
    profile = _profile("q", "technology_request", "PK", language, title, description)
    return extract_features(profile, load_glossary(), DEFAULT_RATES).supported


@pytest.mark.parametrize(("concept", "request_text", "offer_text"), PAIRS, ids=[pair[0] for pair in PAIRS])
def test_a_pakistani_request_and_a_chinese_offer_share_their_subject(concept, request_text, offer_text):
    request_concepts = _supported(*request_text)
    offer_concepts = _supported(*offer_text)
    assert concept in request_concepts, request_concepts
    assert concept in offer_concepts, offer_concepts


def test_the_new_concepts_cover_every_focus_field():
    glossary = load_glossary()
    fields = {glossary.field_of(glossary.concepts[concept].sector) for concept, _, _ in PAIRS}
    assert fields == {"ai", "iot", "bigdata", "cloud", "robotics", "fintech", "biotech", "blockchain"}


def test_the_shared_concept_is_shown_as_the_reason_for_a_cross_lingual_match():
    # A Pakistani dairy asks in Urdu for milk testing; of two Chinese dairy offers, the milk analyser is the
    # one that names the same subject, and the match says so.
    index = MatchIndex()
    request_language, request_title, request_description = next(
        request for concept, request, _ in PAIRS if concept == "milk_adulteration_testing"
    )
    index.add(_profile("request", "technology_request", "PK", request_language, request_title, request_description))
    analyser = ("乳品成分分析仪", "快速测定原料奶的脂肪、蛋白和加水量。")
    chiller = ("直冷式奶罐", "收奶站用直冷式奶罐，四小时内把鲜奶冷却到四度。")
    index.add(_profile("analyser", "technology_offer", "CN", "zh", *analyser))
    index.add(_profile("chiller", "technology_offer", "CN", "zh", *chiller))
    best = index.top_k("request", 2)[0]
    assert best.id == "analyser"
    shared = {
        concept["code"]
        for reason in best.reasons
        if reason.code == "shared_concepts"
        for concept in reason.params["concepts"]
    }
    assert "milk_adulteration_testing" in shared


def test_an_acronym_of_another_trade_names_no_new_concept():
    # EVM is also the Ethereum Virtual Machine, TMS a translation memory system, TOS terms of service:
    # the new concepts are named by their own words, not by those bare acronyms.
    glossary = load_glossary()
    for text, wrong in [
        ("We build EVM-compatible smart contracts for token issuers.", "electronic_voting_machine"),
        ("兼容EVM的智能合约开发服务。", "electronic_voting_machine"),
        ("Cloud TMS for translation agencies, with translation memories per client.", "transport_management_system"),
        ("Read our TOS before you sign up for the trial.", "terminal_operating_system"),
    ]:
        extraction = glossary.extract(text)
        assert wrong not in {*extraction.concepts, *extraction.approximate}, text
    assert "electronic_voting_machine" in glossary.extract("Electronic voting system for union elections").concepts
