"""Writes for the marketplace: profiles and their review, expiry and renewal, expressions of interest.

Every write validates first and runs in one transaction; a refused write names the field and changes
nothing. Publishing, editing, closing, expiring or renewing a profile queues a background refresh of
its matches: it fires `hooks.opportunity_changed`, which matching answers with a refresh that runs
once the change is committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silkbridge.accounts.models import User
from silkbridge.common.countries import is_country_code
from silkbridge.common.languages import detect_language
from silkbridge.directory.models import Organisation
from silkbridge.directory.search import document_terms, index_replace
from silkbridge.directory.selectors import is_member, members_of
from silkbridge.directory.services import concepts_resolve, held_request_record, sectors_resolve
from silkbridge.marketplace import history, hooks, selectors
from silkbridge.marketplace.choices import (
    DealType,
    InterestDeclineReason,
    InterestStatus,
    OpportunityStatus,
    ReviewDecision,
)
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, OpportunitySearchToken, ReviewComment
from silkbridge.money.selectors import current_rates
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify
from silkbridge.translations.services import (
    author_translations_save,
    machine_translations_queue,
    translations_delete,
)

PROFILE_FIELDS = frozenset(
    {
        "kind",
        "title",
        "summary",
        "description",
        "language",
        "trl",
        "ipr_status",
        "deal_types",
        "amount_min",
        "amount_max",
        "currency",
        "target_countries",
        "keywords",
        "expires_on",
        "visibility",
    }
)
RELATION_FIELDS = frozenset({"sectors", "concepts"})
# The free text translated by a machine, and what the author may translate themselves (with its length).
TRANSLATED_FIELDS = ("title", "summary", "description")
AUTHOR_TRANSLATED_FIELDS = {"title": 200, "summary": 500}
DEFAULT_LIFETIME = timedelta(days=365)  # EEN profiles run for a year unless renewed
MAX_LIFETIME = timedelta(days=2 * 365)  # the furthest expiry date an owner may choose or renew to


def _require_member(*, actor: Any, organisation_id: int) -> None:
    if getattr(actor, "is_staff", False):
        return
    if not is_member(actor, organisation_id):
        raise PermissionDenied(_("You are not a member of this organisation."))


def _link(opportunity: Opportunity) -> str:
    return settings.SITE_URL + reverse("marketplace:opportunity_detail", kwargs={"pk": opportunity.pk})


# --- what the text says ------------------------------------------------------------------------------


def suggest_terms(*, title: str, description: str, language: str = "") -> dict[str, list[str]]:
    """Sector and concept codes the glossary finds in the text (what the form offers to pre-fill)."""
    return hooks.terms_suggested.ask(
        {"sectors": [], "concepts": []},
        text=f"{title}\n{description}",
        language=language or detect_language(description),
    )


# --- validation --------------------------------------------------------------------------------------


def _decimal(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({name: _("Enter a number.")}) from error
    if not amount.is_finite() or amount < 0:
        raise ValidationError({name: _("Enter an amount of zero or more.")})
    return amount


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PROFILE_FIELDS - RELATION_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    data = dict(fields)
    errors: dict[str, str] = {}
    if "deal_types" in data:
        deal_types = list(dict.fromkeys(data["deal_types"] or []))
        wrong = [value for value in deal_types if value not in DealType.values]
        if wrong:
            errors["deal_types"] = _("Unknown partnership type: %(values)s.") % {"values": ", ".join(map(str, wrong))}
        data["deal_types"] = deal_types
    if "target_countries" in data:
        countries = [str(code).upper() for code in data["target_countries"] or []]
        wrong = [code for code in countries if not is_country_code(code)]
        if wrong:
            errors["target_countries"] = _("Unknown country code: %(values)s.") % {"values": ", ".join(wrong)}
        data["target_countries"] = list(dict.fromkeys(countries))
    for name in ("amount_min", "amount_max"):
        if name in data:
            try:
                data[name] = _decimal(data[name], name)
            except ValidationError as error:
                errors.update({key: value[0] for key, value in error.message_dict.items()})
    if "currency" in data:
        data["currency"] = (data["currency"] or "").strip().upper()
        if data["currency"] and not current_rates().knows(data["currency"]):
            errors["currency"] = _("No exchange rate is set for %(code)s; use one of %(known)s.") % {
                "code": data["currency"],
                "known": ", ".join(sorted(current_rates().per_usd)),
            }
    if isinstance(data.get("expires_on"), str):
        try:
            data["expires_on"] = date.fromisoformat(data["expires_on"]) if data["expires_on"] else None
        except ValueError:
            errors["expires_on"] = _("Enter a date as YYYY-MM-DD.")
            data["expires_on"] = None
    if data.get("expires_on") is not None:
        today = timezone.localdate()
        if not today <= data["expires_on"] <= today + MAX_LIFETIME:
            errors["expires_on"] = _("Choose a date from today up to %(date)s.") % {
                "date": (today + MAX_LIFETIME).isoformat()
            }
    if errors:
        raise ValidationError(errors)
    return data


def _check_whole(opportunity: Opportunity) -> None:
    """Rules across fields, then the model's own validation (lengths, choices, TRL range)."""
    errors: dict[str, str] = {}
    has_amount = opportunity.amount_min is not None or opportunity.amount_max is not None
    if has_amount and not opportunity.currency:
        errors["currency"] = _("Say which currency the amount is in.")
    if (
        opportunity.amount_min is not None
        and opportunity.amount_max is not None
        and opportunity.amount_min > opportunity.amount_max
    ):
        errors["amount_max"] = _("The amount up to must not be below the amount from.")
    if errors:
        raise ValidationError(errors)
    opportunity.full_clean(exclude=["organisation", "created_by"])


def _apply(opportunity: Opportunity, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name in RELATION_FIELDS:
            continue
        if name in {"summary", "ipr_status", "currency"} and value is None:
            value = ""
        setattr(opportunity, name, value)
    if not opportunity.language:
        opportunity.language = detect_language(f"{opportunity.title}\n{opportunity.description}")


def _relations(opportunity: Opportunity, data: Mapping[str, Any], *, suggest_missing: bool) -> None:
    sectors = sectors_resolve(data["sectors"]) if data.get("sectors") is not None else None
    concepts = concepts_resolve(data["concepts"]) if data.get("concepts") is not None else None
    if suggest_missing and (not sectors or not concepts):
        suggested = suggest_terms(
            title=opportunity.title, description=opportunity.description, language=opportunity.language
        )
        sectors = sectors or sectors_resolve(suggested["sectors"])
        concepts = concepts or concepts_resolve(suggested["concepts"])
    if sectors is not None:
        opportunity.sectors.set(sectors)
    if concepts is not None:
        opportunity.concepts.set(concepts)


def opportunity_reindex(*, opportunity: Opportunity) -> None:
    """Rewrite the profile's rows of the search index (in the caller's transaction): title, summary,
    description, and the labels and synonyms of its technologies and sectors, and those tags."""
    concepts = list(opportunity.concepts.all())
    sectors = list(opportunity.sectors.all())
    parts = [opportunity.title, opportunity.summary, opportunity.description, *(opportunity.keywords or [])]
    for concept in concepts:
        parts.extend(concept.all_terms())
    for sector in sectors:
        parts.extend([sector.name_en, sector.name_zh, sector.name_ur])
    terms = document_terms(
        parts, concept_ids=[concept.pk for concept in concepts], sector_ids=[sector.pk for sector in sectors]
    )
    index_replace(token_model=OpportunitySearchToken, document_id=opportunity.pk, terms=terms)


def opportunities_reindex_all() -> int:
    """Rebuild every profile's rows of the search index (after the glossary changed, or a restore)."""
    count = 0
    for opportunity in Opportunity.objects.prefetch_related("concepts", "sectors").order_by("pk").iterator(500):
        with transaction.atomic():
            opportunity_reindex(opportunity=opportunity)
        count += 1
    return count


# --- profiles ----------------------------------------------------------------------------------------


def _split_translations(fields: Mapping[str, Any]) -> tuple[dict[str, Any], Mapping[str, Any] | None]:
    """The profile's own fields, and the author's translations (language -> field -> text) if given."""
    data = dict(fields)
    return data, data.pop("translations", None)


def _translations_save(opportunity: Opportunity, translations: Mapping[str, Any] | None) -> None:
    """Store the author's translations given, then queue machine translations of what still has none
    (after commit; never blocks the save, whatever the backend does)."""
    if translations is not None:
        author_translations_save(obj=opportunity, translations=translations, limits=AUTHOR_TRANSLATED_FIELDS)
    machine_translations_queue(obj=opportunity)


@transaction.atomic
def opportunity_create(
    *, actor: Any, organisation: Organisation, fields: Mapping[str, Any], submit: bool = False
) -> Opportunity:
    """A draft profile of the organisation, sent for review at once with `submit`: one transaction, so
    that a refused submission leaves no draft behind. Sectors and technologies are suggested from the
    text when none are given."""
    _require_member(actor=actor, organisation_id=organisation.pk)
    own_fields, translations = _split_translations(fields)
    data = _clean(own_fields)
    opportunity = Opportunity(organisation=organisation, created_by=actor if actor.is_authenticated else None)
    _apply(opportunity, data)
    _check_whole(opportunity)
    opportunity.save()
    _relations(opportunity, data, suggest_missing=True)
    opportunity_reindex(opportunity=opportunity)
    _translations_save(opportunity, translations)
    history.opportunity_created(opportunity=opportunity, actor=actor)
    if submit:
        opportunity = opportunity_submit(actor=actor, opportunity=opportunity)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor: Any, opportunity: Opportunity, fields: Mapping[str, Any]) -> Opportunity:
    """Edit a profile. An owner's edit of a published (or expired) profile goes back to staff review, as
    EEN does, so that renewing cannot publish unreviewed text."""
    _require_member(actor=actor, organisation_id=opportunity.organisation_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == OpportunityStatus.CLOSED:
        raise ValidationError({"status": _("A closed profile cannot be edited.")})
    own_fields, translations = _split_translations(fields)
    data = _clean(own_fields)
    before = opportunity.status
    _apply(opportunity, data)
    _check_whole(opportunity)
    if opportunity.status in (OpportunityStatus.PUBLISHED, OpportunityStatus.EXPIRED) and not actor.is_staff:
        opportunity.status = OpportunityStatus.UNDER_REVIEW
        opportunity.submitted_at = timezone.now()
    opportunity.save()
    _relations(opportunity, data, suggest_missing=False)
    opportunity_reindex(opportunity=opportunity)
    _translations_save(opportunity, translations)
    history.opportunity_edited(opportunity=opportunity, actor=actor, fields=list(data), before=before)
    hooks.opportunity_changed.fire(opportunity.pk)
    return opportunity


def _staff_users() -> Iterable[User]:
    return User.objects.filter(is_active=True, role="staff")


@transaction.atomic
def opportunity_submit(*, actor: Any, opportunity: Opportunity) -> Opportunity:
    _require_member(actor=actor, organisation_id=opportunity.organisation_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != OpportunityStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be sent for review.")})
    opportunity.status = OpportunityStatus.UNDER_REVIEW
    opportunity.submitted_at = timezone.now()
    opportunity.save(update_fields=["status", "submitted_at", "updated_at"])
    history.opportunity_submitted(opportunity=opportunity, actor=actor, before=OpportunityStatus.DRAFT)
    notify(
        users=_staff_users(),
        kind=NotificationKind.PROFILE_REVIEW,
        template="marketplace/email/review_requested.txt",
        context={"opportunity": opportunity, "link": _link(opportunity)},
        url=_link(opportunity),
    )
    return opportunity


@transaction.atomic
def opportunity_review(*, actor: Any, opportunity: Opportunity, decision: str, comment: str = "") -> ReviewComment:
    """Staff approve (publish), send back for changes (with a comment), or only comment."""
    selectors.review_check(viewer=actor)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose approve, request changes or comment.")})
    comment = (comment or "").strip()
    if decision != ReviewDecision.APPROVE and not comment:
        raise ValidationError({"comment": _("Tell the owner what to change.")})
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if decision != ReviewDecision.COMMENT and opportunity.status != OpportunityStatus.UNDER_REVIEW:
        raise ValidationError({"decision": _("This profile is not waiting for review.")})
    today = timezone.localdate()
    before = opportunity.status
    if decision == ReviewDecision.APPROVE:
        opportunity.status = OpportunityStatus.PUBLISHED
        opportunity.published_at = timezone.now()
        if opportunity.expires_on is None or opportunity.expires_on < today:
            opportunity.expires_on = today + DEFAULT_LIFETIME
    elif decision == ReviewDecision.REQUEST_CHANGES:
        opportunity.status = OpportunityStatus.DRAFT
    opportunity.save()
    review = ReviewComment.objects.create(opportunity=opportunity, author=actor, decision=decision, body=comment)
    if decision != ReviewDecision.COMMENT:  # a comment alone changes nothing; the review comments keep it
        published = decision == ReviewDecision.APPROVE
        history.opportunity_reviewed(opportunity=opportunity, actor=actor, published=published, before=before)
    notify(
        users=members_of(opportunity.organisation_id),
        kind=NotificationKind.PROFILE_REVIEW,
        template="marketplace/email/reviewed.txt",
        context={"opportunity": opportunity, "review": review, "link": _link(opportunity)},
        url=_link(opportunity),
    )
    hooks.opportunity_changed.fire(opportunity.pk)
    return review


@transaction.atomic
def opportunity_close(*, actor: Any, opportunity: Opportunity) -> Opportunity:
    _require_member(actor=actor, organisation_id=opportunity.organisation_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = opportunity.status
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_at", "updated_at"])
    history.opportunity_closed(opportunity=opportunity, actor=actor, before=before)
    hooks.opportunity_changed.fire(opportunity.pk)
    return opportunity


@transaction.atomic
def opportunity_draft_delete(*, actor: Any, opportunity: Opportunity) -> None:
    """Delete a draft that was never published (a member of its organisation, or staff). A profile that
    was published once keeps its record (matches, interests and the figures count it): close it instead."""
    _require_member(actor=actor, organisation_id=opportunity.organisation_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != OpportunityStatus.DRAFT or opportunity.published_at is not None:
        raise ValidationError(
            {"status": _("Only a draft that was never published can be deleted; close a published profile instead.")}
        )
    translations_delete(obj=opportunity)
    opportunity.delete()


@transaction.atomic
def opportunity_renew(*, actor: Any, opportunity: Opportunity) -> Opportunity:
    """Another year from today (or from the current expiry, if later); an expired profile is published again."""
    _require_member(actor=actor, organisation_id=opportunity.organisation_id)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status not in (OpportunityStatus.PUBLISHED, OpportunityStatus.EXPIRED):
        raise ValidationError({"status": _("Only a published or expired profile can be renewed.")})
    today = timezone.localdate()
    before = opportunity.status
    opportunity.expires_on = min(max(today, opportunity.expires_on or today) + DEFAULT_LIFETIME, today + MAX_LIFETIME)
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.save(update_fields=["status", "expires_on", "updated_at"])
    history.opportunity_renewed(opportunity=opportunity, actor=actor, before=before)
    hooks.opportunity_changed.fire(opportunity.pk)
    return opportunity


def opportunities_expire(*, today: date | None = None) -> int:
    """Mark published profiles past their expiry date as expired (pages hide them already); the count."""
    today = today or timezone.localdate()
    expired = 0
    for pk in Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, expires_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            changed = Opportunity.objects.filter(pk=pk, status=OpportunityStatus.PUBLISHED).update(
                status=OpportunityStatus.EXPIRED, updated_at=timezone.now()
            )
            if not changed:
                continue  # renewed or closed since the list was read
            history.opportunity_expired(opportunity_id=pk)
            hooks.opportunity_changed.fire(pk)
        expired += 1
    return expired


# --- expressions of interest -------------------------------------------------------------------------


@transaction.atomic
def interest_express(
    *,
    actor: Any,
    organisation: Organisation,
    opportunity: Opportunity,
    message: str,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> ExpressionOfInterest:
    """Send an interest; `translations`: the sender's own translations of the message (language ->
    {"message": text}). A machine translation of the message is queued after commit."""
    _require_member(actor=actor, organisation_id=organisation.pk)
    # Seen as another organisation sees it: a member of both organisations cannot carry a private
    # profile's existence over to the other one.
    if not selectors.is_open_to(viewer=actor, opportunity=opportunity):
        raise ValidationError({"opportunity": _("This profile is not open for expressions of interest.")})
    if opportunity.organisation_id == organisation.pk:
        raise ValidationError({"organisation": _("An organisation cannot express interest in its own profile.")})
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say why you are interested.")})
    interest = ExpressionOfInterest(
        opportunity=opportunity, organisation=organisation, created_by=actor, message=message
    )
    interest.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError as error:
        raise ValidationError(
            {"organisation": _("Your organisation has already expressed interest in this profile.")}
        ) from error
    if translations:
        author_translations_save(obj=interest, translations=translations, limits={"message": 5000})
    machine_translations_queue(obj=interest)
    # Nobody to read it: staff's queue keeps it until the organisation is claimed (then it is delivered).
    held_request_record(
        organisation=opportunity.organisation, sender=actor, what=opportunity.title, url=_interest_link(interest)
    )
    notify(
        users=members_of(opportunity.organisation_id),
        kind=NotificationKind.REQUEST_RECEIVED,
        template="marketplace/email/interest_received.txt",
        context={"interest": interest, "opportunity": opportunity, "link": _interest_link(interest)},
        url=_interest_link(interest),
    )
    return interest


def _interest_link(interest: ExpressionOfInterest) -> str:
    return settings.SITE_URL + reverse("marketplace:interest_detail", kwargs={"pk": interest.pk})


@transaction.atomic
def interest_answer(
    *, actor: Any, interest: ExpressionOfInterest, accept: bool, reason: str = "", note: str = ""
) -> ExpressionOfInterest:
    """Accept (both sides then see each other's contacts) or decline with a reason from the fixed list."""
    interest = ExpressionOfInterest.objects.select_for_update().select_related("opportunity").get(pk=interest.pk)
    _require_member(actor=actor, organisation_id=interest.opportunity.organisation_id)
    if interest.status != InterestStatus.PENDING:
        raise ValidationError({"status": _("This expression of interest has already been answered.")})
    if not accept and reason not in InterestDeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason for declining.")})
    if not accept and reason == InterestDeclineReason.OTHER and not (note or "").strip():
        raise ValidationError({"note": _("Say what the other reason is.")})
    interest.status = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
    interest.decline_reason = "" if accept else reason
    interest.answer_note = (note or "").strip()
    interest.answered_by = actor
    interest.answered_at = timezone.now()
    interest.save()
    _tell_sender(interest)
    return interest


# Lazy: rendered in each recipient's language.
PROFILE_NO_LONGER_AVAILABLE = gettext_lazy("Profile no longer available")


def _tell_sender(interest: ExpressionOfInterest) -> None:
    """E-mail the interested organisation's members the answer. The profile's title goes only to those
    the profile selector still lets see it: the owner may have made it private since the interest."""
    recipients = members_of(interest.organisation_id)
    seeing = [
        user for user in recipients if selectors.is_visible_to(viewer=user, opportunity_id=interest.opportunity_id)
    ]
    groups = (
        (seeing, interest.opportunity.title),
        ([user for user in recipients if user not in seeing], PROFILE_NO_LONGER_AVAILABLE),
    )
    for users, title in groups:
        if users:
            notify(
                users=users,
                kind=NotificationKind.ANSWER,
                template="marketplace/email/interest_answered.txt",
                context={"interest": interest, "opportunity_title": title, "link": _interest_link(interest)},
                url=_interest_link(interest),
            )


@transaction.atomic
def interest_withdraw(*, actor: Any, interest: ExpressionOfInterest) -> ExpressionOfInterest:
    interest = ExpressionOfInterest.objects.select_for_update().get(pk=interest.pk)
    _require_member(actor=actor, organisation_id=interest.organisation_id)
    if interest.status != InterestStatus.PENDING:
        raise ValidationError({"status": _("Only an unanswered expression of interest can be withdrawn.")})
    interest.status = InterestStatus.WITHDRAWN
    interest.save(update_fields=["status"])
    return interest
