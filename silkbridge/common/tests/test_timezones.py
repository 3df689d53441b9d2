"""Time zones named as people name them (issue 13 item 5)."""

from datetime import UTC, datetime

from silkbridge.common.timezones import zone_label, zone_name


def test_the_zones_our_users_meet_in_carry_the_names_people_use():
    assert zone_label("Asia/Shanghai", "zh") == "北京时间 (Asia/Shanghai)"
    assert zone_label("Asia/Karachi", "en") == "PKT (Asia/Karachi)"
    assert zone_label("Asia/Karachi", "ur") == "پاکستانی وقت (Asia/Karachi)"
    assert zone_name("Asia/Shanghai", "en") == "Beijing time"


def test_other_zones_take_cldrs_name_in_the_readers_language_and_season():
    summer, winter = datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 1, 15, tzinfo=UTC)
    assert zone_name("Europe/London", "en", at=summer) == "British Summer Time"
    assert zone_name("Europe/London", "en", at=winter) == "Greenwich Mean Time"
    assert zone_name("Asia/Dubai", "zh") == "海湾标准时间"
    # Xinjiang's local time is not Beijing time.
    assert zone_name("Asia/Urumqi", "zh") != "北京时间"


def test_an_unknown_zone_or_utc_is_shown_as_its_identifier():
    assert zone_label("Mars/Olympus_Mons", "en") == "Mars/Olympus_Mons"
    assert zone_label("UTC", "en") == "Coordinated Universal Time (UTC)"
