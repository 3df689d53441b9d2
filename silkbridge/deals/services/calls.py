"""Writes for calls for proposals: the call and its rubric, publication and cancellation, clarifications,
the opening of proposals (and, for quality-and-cost-based calls, of the financial envelopes), the
evaluation report with its grievance window, grievances and their answers, and the decision.

Every service takes the actor and checks it (staff of the calling body, see selectors.calls), validates
before it writes, runs in one transaction with the call's row locked, and writes a CallEvent. A refused
write raises PermissionDenied or a ValidationError naming the field, and stores nothing.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from silkbridge.common.rates import Rates, UnknownCurrencyError
from silkbridge.deals.choices import CallStatus, CallVisibility, EvaluationMethod, OpeningKind
from silkbridge.deals.engine import rubric
from silkbridge.deals.history import calls as history
from silkbridge.deals.models import Call, Clarification, Criterion, Grievance, Opening, Proposal, ReviewScore
from silkbridge.deals.selectors import calls as selectors
from silkbridge.deals.services import reviews
from silkbridge.directory.models import Organisation, Sector
from silkbridge.directory.selectors import is_member, members_of
from silkbridge.money.selectors import current_rates
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify

TEXT_FIELDS = frozenset(
    f"{name}_{language}" for name in ("title", "scope", "eligibility") for language in ("en", "zh", "ur")
)
CALL_FIELDS = TEXT_FIELDS | {
    "required_documents",
    "sector",
    "deadline",
    "time_zone",
    "contact_name",
    "contact_email",
    "visibility",
    "evaluation",
    "technical_weight",
    "technical_threshold",
    "minimum_tier",
    "currency",
}
# Fixed once a call is published: proposals are written against them.
FIXED_AFTER_PUBLICATION = frozenset(
    {"visibility", "evaluation", "technical_weight", "technical_threshold", "minimum_tier", "currency"}
)
LANGUAGES = ("en", "zh", "ur")
LEVELS = tuple(str(level) for level in range(rubric.MAX_SCORE + 1))
MAX_CRITERIA = 20
MAX_DOCUMENTS = 30
MAX_ATTENDEES = 100
MAX_GRIEVANCE_DAYS = 60
_HUNDREDTH = Decimal("0.01")


# --- who may act ---------------------------------------------------------------------------------------


def _require_call_staff(*, actor: Any, call: Call) -> None:
    if not selectors.call_staff_check(viewer=actor, call=call):
        raise PermissionDenied(_("Only staff of the calling body may do this."))


def _require_issuer(*, actor: Any, issuer: Organisation) -> None:
    if issuer.kind not in selectors.ISSUER_KINDS:
        raise ValidationError({"issuer": _("Only government bodies and zone developers issue calls for proposals.")})
    if not (getattr(actor, "is_staff", False) or is_member(actor, issuer)):
        raise PermissionDenied(_("You are not a member of this organisation."))


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().select_related("issuer").get(pk=call.pk)


def _when(moment: datetime, zone_name: str | None = None) -> str:
    """A time as "2030-03-01 17:00 (Asia/Karachi)": in `zone_name`, else in the reader's zone (the one the
    request activated), so that a refusal names the time as the reader reads it."""
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} ({zone_name or timezone.get_current_timezone_name()})"


def _link(call: Call) -> str:
    return settings.SITE_URL + reverse("deals:call_detail", kwargs={"slug": call.slug})


# --- validation ----------------------------------------------------------------------------------------


def _zone(name: Any) -> str:
    name = str(name or "").strip()
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(name)s”; use a name like Asia/Karachi.") % {"name": name}}
        )
    return name


def _deadline(value: Any, zone_name: str) -> datetime:
    """The deadline as entered: a wall-clock time in the call's own zone (or a time with its offset)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise ValidationError({"deadline": _("Enter the deadline as YYYY-MM-DD HH:MM.")}) from error
    if not isinstance(value, datetime):
        raise ValidationError({"deadline": _("Enter the deadline as YYYY-MM-DD HH:MM.")})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))
    return value


def _text(value: Any, *, limit: int) -> str:
    text = str(value or "").strip()
    return text[: limit + 1]  # one over the limit, so that the model's validation names it


def _languages(value: Any, *, field: str, limit: int) -> dict[str, str]:
    """{"en": ..., "zh": ..., "ur": ...} with at least one text; a plain string is English."""
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, Mapping) or set(value) - set(LANGUAGES):
        raise ValidationError({field: _("Give the text in English (en), Chinese (zh) or Urdu (ur).")})
    texts = {language: str(value.get(language) or "").strip() for language in LANGUAGES}
    if not any(texts.values()):
        raise ValidationError({field: _("Give the text in at least one language.")})
    if any(len(text) > limit for text in texts.values()):
        raise ValidationError({field: _("Keep each text within %(limit)s characters.") % {"limit": limit}})
    return {language: text for language, text in texts.items() if text}


def _documents(value: Any) -> list[dict[str, str]]:
    items = list(value or [])
    if len(items) > MAX_DOCUMENTS:
        raise ValidationError({"required_documents": _("List at most %(count)s documents.") % {"count": MAX_DOCUMENTS}})
    return [_languages(item, field="required_documents", limit=300) for item in items]


def criteria_clean(criteria: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A rubric: at least one criterion, each with a name, a positive weight and what each score from 0
    to 5 means (in up to three languages)."""
    items = list(criteria)
    if not items:
        raise ValidationError({"criteria": _("A rubric needs at least one criterion.")})
    if len(items) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA}})
    cleaned = []
    for number, item in enumerate(items, start=1):
        names = _languages(
            {language: item.get(f"name_{language}", "") for language in LANGUAGES}, field="criteria", limit=200
        )
        if "en" not in names:
            raise ValidationError({"criteria": _("Criterion %(number)s needs an English name.") % {"number": number}})
        weight = item.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            raise ValidationError(
                {
                    "criteria": _("Criterion %(number)s: the weight is a whole number from 1 to 100.")
                    % {"number": number}
                }
            )
        anchors = item.get("anchors") or {}
        if not isinstance(anchors, Mapping) or set(map(str, anchors)) != set(LEVELS):
            raise ValidationError(
                {"criteria": _("Criterion %(number)s: say what each score from 0 to 5 means.") % {"number": number}}
            )
        cleaned.append(
            {
                **{f"name_{language}": names.get(language, "") for language in LANGUAGES},
                "weight": weight,
                "anchors": {
                    level: _languages(anchors.get(level, anchors.get(int(level))), field="criteria", limit=1000)
                    for level in LEVELS
                },
            }
        )
    return cleaned


def _clean(fields: Mapping[str, Any], *, zone_name: str) -> dict[str, Any]:
    unknown = set(fields) - CALL_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            data[name] = _text(value, limit=20_000)
        elif name in {"contact_name", "contact_email"}:
            data[name] = _text(value, limit=254)
        elif name == "required_documents":
            data[name] = _documents(value)
        elif name == "sector":
            data[name] = _sector(value)
        elif name == "time_zone":
            data[name] = _zone(value)
        elif name == "currency":
            data[name] = _currency(value)
        elif name == "minimum_tier":
            data[name] = value if value not in ("", None) else None
        else:
            data[name] = value
    if "deadline" in data:
        data["deadline"] = _deadline(data["deadline"], data.get("time_zone", zone_name))
    return data


def _sector(code: Any) -> Sector | None:
    if code in (None, ""):
        return None
    if isinstance(code, Sector):
        return code
    sector = Sector.objects.filter(code=str(code)).first()
    if sector is None:
        raise ValidationError({"sector": _("Unknown sector “%(code)s”.") % {"code": code}})
    return sector


def _currency(value: Any) -> str:
    code = str(value or "").strip().upper()
    rates = current_rates()
    if not rates.knows(code):
        raise ValidationError(
            {
                "currency": _("No exchange rate is set for %(code)s; use one of %(known)s.")
                % {"code": code, "known": ", ".join(sorted(rates.per_usd))}
            }
        )
    return code


def _check_whole(call: Call) -> None:
    errors: dict[str, str] = {}
    if not call.title_en:
        errors["title_en"] = _("Give the call a title in English.")
    if not call.scope_en:
        errors["scope_en"] = _("Describe the scope in English.")
    if call.evaluation == EvaluationMethod.QUALITY_AND_COST and not 0 < call.technical_weight < 100:
        errors["technical_weight"] = _(
            "In a quality-and-cost-based call both scores count: give the technical score a weight between 1 and 99."
        )
    if errors:
        raise ValidationError(errors)
    call.full_clean(exclude=["issuer", "created_by", "sector"])


def _new_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "call"
    slug, number = base, 1
    while Call.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _rubric_set(call: Call, criteria: list[dict[str, Any]]) -> None:
    call.criteria.all().delete()
    Criterion.objects.bulk_create(
        [Criterion(call=call, position=position, **item) for position, item in enumerate(criteria, start=1)]
    )


def _rubric_summary(criteria: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    return [[item["name_en"], item["weight"]] for item in criteria]


def _invite(*, actor: Any, call: Call, organisations: Sequence[Organisation]) -> None:
    """Add invitations (each one a history row); the calling body cannot invite itself."""
    if organisations and call.visibility != CallVisibility.INVITATION:
        raise ValidationError({"invited": _("Only an invitation-only call has invited organisations.")})
    already = set(call.invited.values_list("pk", flat=True))
    for organisation in organisations:
        if organisation.pk == call.issuer_id:
            raise ValidationError({"invited": _("The calling body cannot invite itself.")})
        if organisation.pk not in already:
            call.invited.add(organisation)
            already.add(organisation.pk)
            history.call_invited(call=call, actor=actor, organisation=organisation.display_name)


# --- the call ------------------------------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    actor: Any,
    issuer: Organisation,
    fields: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]] = (),
    invited: Sequence[Organisation] = (),
) -> Call:
    """A draft call of the issuer (a government body or zone developer), with its rubric if given."""
    _require_issuer(actor=actor, issuer=issuer)
    data = _clean(fields, zone_name=str(fields.get("time_zone") or "Asia/Karachi"))
    call = Call(issuer=issuer, created_by=actor if actor.is_authenticated else None)
    for name, value in data.items():
        setattr(call, name, value)
    call.slug = _new_slug(call.title_en)
    _check_whole(call)
    cleaned_criteria = criteria_clean(criteria) if criteria else []
    call.save()
    if cleaned_criteria:
        _rubric_set(call, cleaned_criteria)
    history.call_created(call=call, actor=actor)
    _invite(actor=actor, call=call, organisations=invited)
    return call


def _changes(before: Mapping[str, Any], call: Call) -> dict[str, Any]:
    def shown(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, Sector):
            return value.code
        return value

    return {
        name: [shown(value), shown(getattr(call, name))]
        for name, value in before.items()
        if shown(value) != shown(getattr(call, name))
    }


@transaction.atomic
def call_update(
    *,
    actor: Any,
    call: Call,
    fields: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]] | None = None,
    invited: Sequence[Organisation] | None = None,
) -> Call:
    """Edit a call. A draft changes freely; a published call only before its deadline, its rules and rubric
    stay as published (proposals are written against them), and its deadline can only move later."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
        raise ValidationError({"status": _("A cancelled or decided call cannot be edited.")})
    published = call.status == CallStatus.PUBLISHED
    if published and selectors.is_past_deadline(call):
        raise ValidationError({"deadline": _("The deadline has passed: the call can no longer be edited.")})
    data = _clean(fields, zone_name=call.time_zone)
    if published:
        fixed = sorted(name for name in FIXED_AFTER_PUBLICATION & set(data) if data[name] != getattr(call, name))
        if fixed:
            raise ValidationError({name: _("This cannot change once the call is published.") for name in fixed})
        if criteria is not None:
            raise ValidationError({"criteria": _("The rubric cannot change once the call is published.")})
        if "deadline" in data and data["deadline"] < call.deadline:
            raise ValidationError({"deadline": _("A published call's deadline can only be extended.")})
    before = {name: getattr(call, name) for name in data}
    for name, value in data.items():
        setattr(call, name, value)
    _check_whole(call)
    call.save()
    changes = _changes(before, call)
    if criteria is not None:
        cleaned_criteria = criteria_clean(criteria)
        old = [[item.name_en, item.weight] for item in call.criteria.all()]
        _rubric_set(call, cleaned_criteria)
        if old != _rubric_summary(cleaned_criteria):
            changes["criteria"] = [old, _rubric_summary(cleaned_criteria)]
    if changes:
        history.call_edited(call=call, actor=actor, changes=changes)
    if invited is not None:
        if not published:
            call.invited.set([organisation for organisation in call.invited.all() if organisation in invited])
        _invite(actor=actor, call=call, organisations=invited)
    return call


@transaction.atomic
def call_publish(*, actor: Any, call: Call) -> Call:
    """Publish a draft: it needs a rubric and a deadline ahead."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status != CallStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    errors: dict[str, str] = {}
    if not call.criteria.exists():
        errors["criteria"] = _("A call needs a rubric (at least one criterion) before it is published.")
    if selectors.is_past_deadline(call):
        errors["deadline"] = _("The deadline %(deadline)s has passed; set a later one before publishing.") % {
            "deadline": _when(call.deadline)
        }
    if call.visibility == CallVisibility.INVITATION and not call.invited.exists():
        errors["invited"] = _("Invite at least one organisation to an invitation-only call.")
    if errors:
        raise ValidationError(errors)
    call.status = CallStatus.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["status", "published_at", "updated_at"])
    history.call_published(call=call, actor=actor, before=CallStatus.DRAFT)
    return call


@transaction.atomic
def call_cancel(*, actor: Any, call: Call, reason: str) -> Call:
    """Cancel a call that has not been decided, with the reason (kept in its history)."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
        raise ValidationError({"status": _("Only a draft or published call can be cancelled.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the call is cancelled.")})
    before = call.status
    call.status = CallStatus.CANCELLED
    call.save(update_fields=["status", "updated_at"])
    history.call_cancelled(call=call, actor=actor, before=before, reason=reason[:2000])
    return call


# --- clarifications ------------------------------------------------------------------------------------


@transaction.atomic
def clarification_ask(*, actor: Any, call: Call, organisation: Organisation, question: str) -> Clarification:
    """A question from an organisation that may submit, until the deadline."""
    call = _locked(call)
    if not selectors.organisations_may_submit(viewer=actor, call=call).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only organisations that may answer this call can ask about it."))
    if call.status != CallStatus.PUBLISHED or selectors.is_past_deadline(call):
        raise ValidationError({"question": _("Questions are taken only while the call is open.")})
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write your question.")})
    clarification = Clarification(call=call, question=question, asked_by=actor, asked_by_organisation=organisation)
    clarification.full_clean(exclude=["call", "asked_by", "asked_by_organisation"])
    clarification.save()
    history.clarification_asked(call=call, actor=actor, clarification_id=clarification.pk)
    return clarification


@transaction.atomic
def clarification_answer(*, actor: Any, clarification: Clarification, answer: str) -> Clarification:
    """Answer a question and publish it to all who may submit (the asker is not named)."""
    clarification = Clarification.objects.select_for_update().select_related("call").get(pk=clarification.pk)
    _require_call_staff(actor=actor, call=clarification.call)
    if clarification.published_at is not None:
        raise ValidationError({"answer": _("This question has already been answered.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    clarification.answer = answer
    clarification.answered_by = actor
    clarification.published_at = timezone.now()
    clarification.full_clean(exclude=["call", "asked_by", "asked_by_organisation", "answered_by"])
    clarification.save(update_fields=["answer", "answered_by", "published_at"])
    history.clarification_answered(call=clarification.call, actor=actor, clarification_id=clarification.pk)
    return clarification


# --- openings ------------------------------------------------------------------------------------------


def _attendees(attendees: Sequence[str]) -> list[str]:
    names = [str(name).strip()[:200] for name in attendees if str(name).strip()]
    if not names:
        raise ValidationError({"attendees": _("Name who attended the opening.")})
    if len(names) > MAX_ATTENDEES:
        raise ValidationError({"attendees": _("List at most %(count)s attendees.") % {"count": MAX_ATTENDEES}})
    return names


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


def _technical_entry(call: Call, proposal: Proposal) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "organisation": proposal.organisation.display_name,
        "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
    }
    if call.evaluation == EvaluationMethod.QUALITY:
        # One envelope: the declared price is read out at the opening (the budget where no price was given).
        if proposal.declared_price is not None:
            entry.update(price=_money(proposal.declared_price), currency=proposal.price_currency, price_is="price")
        elif proposal.budget_amount is not None:
            entry.update(price=_money(proposal.budget_amount), currency=proposal.budget_currency, price_is="budget")
        else:
            entry.update(price=None, currency="", price_is="")
    return entry


def _notify_submitters(call: Call, template: str) -> None:
    for organisation_id in selectors.submitted_proposals(call=call).values_list("organisation_id", flat=True):
        notify(
            users=members_of(organisation_id),
            kind=NotificationKind.CALL,
            template=template,
            context={"call": call, "link": _link(call)},
            url=_link(call),
        )


@transaction.atomic
def call_open(*, actor: Any, call: Call, attendees: Sequence[str]) -> Opening:
    """Open the proposals once the deadline has passed: the record (who submitted, when, and for a
    one-envelope call the declared price) is published to every submitter."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status != CallStatus.PUBLISHED:
        raise ValidationError({"status": _("Only a published call's proposals can be opened.")})
    if not selectors.is_past_deadline(call):
        raise ValidationError(
            {
                "deadline": _("No one can open the proposals before the deadline, %(deadline)s.")
                % {"deadline": _when(call.deadline)}
            }
        )
    if selectors.opening_of(call=call) is not None:
        raise ValidationError({"status": _("These proposals have already been opened.")})
    names = _attendees(attendees)
    proposals = list(selectors.submitted_proposals(call=call))
    opening = Opening.objects.create(
        call=call,
        kind=OpeningKind.TECHNICAL,
        opened_at=timezone.now(),
        opened_by=actor,
        attendees=names,
        record=[_technical_entry(call, proposal) for proposal in proposals],
    )
    history.call_opened(call=call, actor=actor, financial=False, proposals=len(proposals))
    _notify_submitters(call, "deals/calls/email/opened.txt")
    return opening


def _scores(call: Call, proposals: Sequence[Proposal]) -> tuple[dict[int, int], dict[int, list[dict[int, int]]]]:
    """The rubric's weights and, per proposal, each submitted review as {criterion: score}."""
    weights = {criterion.pk: criterion.weight for criterion in call.criteria.all()}
    reviews: dict[int, dict[int, dict[int, int]]] = {proposal.pk: {} for proposal in proposals}
    rows = ReviewScore.objects.filter(
        assignment__proposal__in=[proposal.pk for proposal in proposals], assignment__submitted_at__isnull=False
    ).values_list("assignment__proposal_id", "assignment_id", "criterion_id", "score")
    for proposal_id, assignment_id, criterion_id, score in rows:
        reviews[proposal_id].setdefault(assignment_id, {})[criterion_id] = score
    return weights, {proposal_id: list(by_assignment.values()) for proposal_id, by_assignment in reviews.items()}


@dataclass(frozen=True)
class Scored:
    """One proposal as the evaluation sees it: its technical score, and once its financial envelope is
    open, its price in the call's currency and its financial and combined scores."""

    proposal: Proposal
    technical: Decimal
    means: dict[int, Decimal]
    passed: bool
    price: Decimal | None = None  # in the proposal's own currency
    price_currency: str = ""
    converted: Decimal | None = None  # in the call's currency
    financial: Decimal | None = None
    combined: Decimal | None = None


def _convert(call: Call, proposal: Proposal, rates: Rates) -> Decimal:
    assert proposal.declared_price is not None
    try:
        value = rates.convert(float(proposal.declared_price), proposal.price_currency, call.currency)
    except UnknownCurrencyError as error:
        raise ValidationError(
            {
                "currency": _("No exchange rate is set for %(code)s (the price of %(organisation)s).")
                % {"code": proposal.price_currency, "organisation": proposal.organisation.display_name}
            }
        ) from error
    return Decimal(str(value)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def evaluate(*, call: Call, proposals: Sequence[Proposal], rates: Rates | None) -> tuple[list[Scored], dict[int, int]]:
    """Technical scores from the submitted reviews (every proposal needs one) and, given `rates` on a
    quality-and-cost-based call, the prices of those at or above the pass mark converted to the call's
    currency, their financial scores and combined scores (engine.rubric)."""
    weights, reviews = _scores(call, proposals)
    missing = [proposal.organisation.display_name for proposal in proposals if not reviews[proposal.pk]]
    if missing:
        raise ValidationError(
            {
                "reviews": _("Every proposal needs at least one submitted review first; none yet for: %(names)s.")
                % {"names": ", ".join(missing)}
            }
        )
    try:
        technical = {proposal.pk: rubric.technical_score(weights, reviews[proposal.pk]) for proposal in proposals}
    except rubric.RubricError as error:
        raise ValidationError(
            {"reviews": _("A submitted review does not score every criterion of the rubric.")}
        ) from error
    passed = {pk: score is not None and score >= call.technical_threshold for pk, score in technical.items()}
    converted: dict[int, Decimal] = {}
    if rates is not None:
        for proposal in proposals:
            if passed[proposal.pk] and proposal.declared_price is not None:
                converted[proposal.pk] = _convert(call, proposal, rates)
    valid_technical = {pk: score for pk, score in technical.items() if score is not None}
    try:
        combined = rubric.quality_and_cost(
            valid_technical,
            converted,
            technical_weight=call.technical_weight,
            pass_mark=call.technical_threshold,
        )
        financial = rubric.financial_scores({pk: converted[pk] for pk in combined})
    except rubric.RubricError as error:
        raise ValidationError({"price": _("A price to be scored must be above zero.")}) from error
    scored = [
        Scored(
            proposal=proposal,
            technical=valid_technical[proposal.pk],
            means=rubric.criterion_means(weights, reviews[proposal.pk]),
            passed=passed[proposal.pk],
            price=proposal.declared_price if proposal.pk in converted else None,
            price_currency=proposal.price_currency if proposal.pk in converted else "",
            converted=converted.get(proposal.pk),
            financial=financial.get(proposal.pk),
            combined=combined.get(proposal.pk),
        )
        for proposal in proposals
    ]
    return scored, weights


def ranked(*, call: Call, scored: Sequence[Scored], weights: Mapping[int, int]) -> list[Scored]:
    """Best first (engine.rubric.rank and its tie-break). In a quality-and-cost-based call those with a
    combined score come first; those below the pass mark follow, by their technical score."""
    by_pk = {item.proposal.pk: item for item in scored}

    def candidates(items: Sequence[Scored]) -> list[rubric.Candidate]:
        return [
            rubric.Candidate(
                proposal=item.proposal.pk,
                technical=item.technical,
                criterion_means=item.means,
                submitted_at=item.proposal.submitted_at or timezone.now(),
                price=item.converted,
                combined=item.combined,
            )
            for item in items
        ]

    if call.evaluation == EvaluationMethod.QUALITY_AND_COST:
        groups = [[item for item in scored if item.combined is not None], [i for i in scored if i.combined is None]]
    else:
        groups = [list(scored)]
    order = [candidate for group in groups for candidate in rubric.rank(candidates(group), weights)]
    return [by_pk[candidate.proposal] for candidate in order]


@transaction.atomic
def call_open_financial(*, actor: Any, call: Call, attendees: Sequence[str]) -> Opening:
    """Open the financial envelopes of a quality-and-cost-based call: once every proposal has a submitted
    review, those at or above the technical pass mark are opened, their prices converted to the call's
    currency with the day's rates, and the quality-and-cost-based scores computed and published."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.evaluation != EvaluationMethod.QUALITY_AND_COST:
        raise ValidationError({"evaluation": _("Only a quality-and-cost-based call has financial envelopes.")})
    if selectors.opening_of(call=call) is None:
        raise ValidationError({"status": _("Open the proposals (technical envelopes) first.")})
    if selectors.opening_of(call=call, kind=OpeningKind.FINANCIAL) is not None:
        raise ValidationError({"status": _("The financial envelopes have already been opened.")})
    names = _attendees(attendees)
    rates = current_rates()
    proposals = list(selectors.submitted_proposals(call=call))
    scored, _weights = evaluate(call=call, proposals=proposals, rates=rates)
    record = [
        {
            "organisation": item.proposal.organisation.display_name,
            "technical": _money(item.technical),
            "passed": item.passed,
            "price": _money(item.price),
            "currency": item.price_currency,
            "price_in_call_currency": _money(item.converted),
            "financial": _money(item.financial),
            "combined": _money(item.combined),
            "rates_as_of": rates.as_of.isoformat() if item.converted is not None else None,
        }
        for item in scored
    ]
    opening = Opening.objects.create(
        call=call, kind=OpeningKind.FINANCIAL, opened_at=timezone.now(), opened_by=actor, attendees=names, record=record
    )
    history.call_opened(call=call, actor=actor, financial=True, proposals=sum(1 for item in scored if item.passed))
    _notify_submitters(call, "deals/calls/email/opened.txt")
    return opening


# --- the evaluation report, grievances and the decision ------------------------------------------------


@transaction.atomic
def report_publish(*, actor: Any, call: Call, grievance_days: int) -> Call:
    """Publish the evaluation report to every submitter (the ranking with the technical, financial and
    combined scores and the decision on each proposal, and the tie-break rule), opening the window for
    grievances; the decision takes effect only after it (call_decide)."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status != CallStatus.PUBLISHED or call.report_published_at is not None:
        raise ValidationError({"status": _("The evaluation report has already been published.")})
    if isinstance(grievance_days, bool) or not isinstance(grievance_days, int):
        raise ValidationError({"grievance_days": _("Give the grievance window in whole days.")})
    if not 1 <= grievance_days <= MAX_GRIEVANCE_DAYS:
        raise ValidationError(
            {"grievance_days": _("The grievance window is from 1 to %(days)s days.") % {"days": MAX_GRIEVANCE_DAYS}}
        )
    if selectors.opening_of(call=call) is None:
        raise ValidationError({"status": _("Open the proposals first.")})
    rates = None
    if call.evaluation == EvaluationMethod.QUALITY_AND_COST:
        financial_opening = selectors.opening_of(call=call, kind=OpeningKind.FINANCIAL)
        if financial_opening is None:
            raise ValidationError({"status": _("Open the financial envelopes first.")})
        # The rates of the financial opening's day, so that the report repeats the published figures.
        rates = current_rates(on=timezone.localdate(financial_opening.opened_at))
    proposals = list(selectors.submitted_proposals(call=call))
    undecided = [proposal.organisation.display_name for proposal in proposals if not proposal.decision]
    if undecided:
        raise ValidationError(
            {
                "decision": _("The committee has not recorded a decision on the proposals of: %(names)s.")
                % {"names": ", ".join(undecided)}
            }
        )
    scored, weights = evaluate(call=call, proposals=proposals, rates=rates)
    now = timezone.now()
    call.report = {
        "evaluation": call.evaluation,
        "currency": call.currency,
        "technical_weight": call.technical_weight,
        "pass_mark": call.technical_threshold,
        "rates_as_of": rates.as_of.isoformat() if rates is not None else None,
        "tie_break_rule": rubric.TIE_BREAK_RULE,
        "ranking": [
            {
                "rank": position,
                "organisation": item.proposal.organisation.display_name,
                "technical": _money(item.technical),
                "passed": item.passed,
                "price": _money(item.converted),
                "financial": _money(item.financial),
                "combined": _money(item.combined),
                "decision": item.proposal.decision,
            }
            for position, item in enumerate(ranked(call=call, scored=scored, weights=weights), start=1)
        ],
    }
    call.report_published_at = now
    call.grievances_until = now + timedelta(days=grievance_days)
    call.save(update_fields=["report", "report_published_at", "grievances_until", "updated_at"])
    history.report_published(call=call, actor=actor)
    _notify_submitters(call, "deals/calls/email/report_published.txt")
    return call


@transaction.atomic
def grievance_file(*, actor: Any, call: Call, organisation: Organisation, text: str) -> Grievance:
    """A submitter's grievance about the evaluation report, within the window."""
    call = _locked(call)
    if not selectors.grievance_organisations(viewer=actor, call=call).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only an organisation that submitted a proposal to this call can file a grievance."))
    if call.report_published_at is None or call.grievances_until is None:
        raise ValidationError({"text": _("Grievances are taken once the evaluation report is published.")})
    if timezone.now() > call.grievances_until:
        raise ValidationError(
            {"text": _("The window for grievances closed at %(time)s.") % {"time": _when(call.grievances_until)}}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your grievance.")})
    grievance = Grievance(call=call, organisation=organisation, filed_by=actor, text=text)
    grievance.full_clean(exclude=["call", "organisation", "filed_by"])
    grievance.save()
    history.grievance_filed(call=call, actor=actor, grievance_id=grievance.pk)
    notify(
        users=members_of(call.issuer_id),
        kind=NotificationKind.CALL,
        template="deals/calls/email/grievance_filed.txt",
        context={"call": call, "link": _link(call)},
        url=_link(call),
    )
    return grievance


@transaction.atomic
def grievance_answer(*, actor: Any, grievance: Grievance, answer: str) -> Grievance:
    """Staff of the calling body answer a grievance; the answer is recorded and shown to its filer."""
    grievance = Grievance.objects.select_for_update().select_related("call").get(pk=grievance.pk)
    _require_call_staff(actor=actor, call=grievance.call)
    if grievance.answered_at is not None:
        raise ValidationError({"answer": _("This grievance has already been answered.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    grievance.answer = answer
    grievance.answered_by = actor
    grievance.answered_at = timezone.now()
    grievance.full_clean(exclude=["call", "organisation", "filed_by", "answered_by"])
    grievance.save(update_fields=["answer", "answered_by", "answered_at"])
    history.grievance_answered(call=grievance.call, actor=actor, grievance_id=grievance.pk)
    notify(
        users=members_of(grievance.organisation_id),
        kind=NotificationKind.CALL,
        template="deals/calls/email/grievance_answered.txt",
        context={"call": grievance.call, "link": _link(grievance.call)},
        url=_link(grievance.call),
    )
    return grievance


@transaction.atomic
def call_decide(*, actor: Any, call: Call) -> Call:
    """The decision takes effect: only once the grievance window has closed and every grievance has its
    answer. Then the chair's decisions take effect on the proposals (reviews.decision_take_effect)."""
    _require_call_staff(actor=actor, call=call)
    call = _locked(call)
    if call.status != CallStatus.PUBLISHED or call.report_published_at is None or call.grievances_until is None:
        raise ValidationError({"status": _("Publish the evaluation report first.")})
    if timezone.now() <= call.grievances_until:
        raise ValidationError(
            {
                "status": _("The decision can take effect once the grievance window closes, at %(time)s.")
                % {"time": _when(call.grievances_until)}
            }
        )
    unanswered = list(call.grievances.filter(answered_at__isnull=True).select_related("organisation"))
    if unanswered:
        raise ValidationError(
            {
                "grievances": _("Answer every grievance first; still unanswered: %(names)s.")
                % {"names": ", ".join(grievance.organisation.display_name for grievance in unanswered)}
            }
        )
    call.status = CallStatus.DECIDED
    call.decided_at = timezone.now()
    call.save(update_fields=["status", "decided_at", "updated_at"])
    history.call_decided(call=call, actor=actor, before=CallStatus.PUBLISHED)
    # The chair's recorded decisions take effect: each submitter is told (after the commit), and each
    # approved proposal's deal reaches the stage "approved".
    for proposal in selectors.submitted_proposals(call=call).exclude(decision=""):
        reviews.decision_take_effect(actor=actor, proposal=proposal)
    return call
