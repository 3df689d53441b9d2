"""Writes to the directory: organisations, their contacts, memberships and verification.

Every write validates with full_clean() before saving and runs in a transaction, so a bad value is
reported with its field name and nothing is half-written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from silkbridge.accounts.models import User
from silkbridge.common.domains import email_proves_website
from silkbridge.common.text import index_document, phrase_key
from silkbridge.core.mail import send_after_commit
from silkbridge.directory import history, selectors
from silkbridge.directory.choices import ClaimProof, ClaimStatus, MembershipRole
from silkbridge.directory.models import (
    Concept,
    Contact,
    HeldRequest,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationClaim,
    OrganisationSearchToken,
    Sector,
)
from silkbridge.directory.search import document_terms, index_replace
from silkbridge.notifications.choices import NotificationKind
from silkbridge.notifications.services import notify
from silkbridge.translations.services import author_translations_save, machine_translations_queue

ORGANISATION_FIELDS = (
    "kind",
    "name_en",
    "name_local",
    "language",
    "country",
    "city",
    "website",
    "size_band",
    "founded_year",
    "description",
    "keywords",
    "visibility",
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "is_public")


@dataclass
class OrganisationRecord:
    """Everything that describes an organisation, as imports and loaders hand it over."""

    key: str
    fields: dict[str, Any]
    sector_codes: list[str] = field(default_factory=list)
    concept_terms: list[str] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    is_verified: bool | None = None
    is_demo: bool = False
    sources: list[str] = field(default_factory=list)


def organisation_key_for(*, country: str, name_en: str) -> str:
    """The natural key of an organisation without an explicit one: country and English name."""
    return slugify(f"{country}-{name_en}")[:100].strip("-")


def sectors_resolve(codes: Iterable[str]) -> list[Sector]:
    wanted = [code.strip() for code in codes if code and code.strip()]
    found = {sector.code: sector for sector in Sector.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError({"sectors": _("Unknown sector code: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return list(dict.fromkeys(found[code] for code in wanted))


def search_rebuild_start(*, actor: Any) -> Any:
    """After an edit of the glossary (a concept's labels or synonyms, a sector's names): rebuild the
    search index in a background run (kind "directory.search_rebuild"), once the edit is committed.
    Until it has run, searches read the glossary's wordings themselves (slower, the same matches).
    Coalesced: edits made one after another queue one rebuild, and an edit made while it runs makes it
    run once more. Only staff edit the glossary (the admin)."""
    from silkbridge.core.runs import run_enqueue_coalesced
    from silkbridge.directory.tasks import search_rebuild_task

    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff can change the glossary."))
    return run_enqueue_coalesced(
        kind="directory.search_rebuild",
        key="directory.search_rebuild",
        created_by=actor,
        task=search_rebuild_task,
    )


def concepts_resolve(terms: Iterable[str]) -> list[Concept]:
    """Concepts named by code or by any label or synonym in any language; an unknown term is an error."""
    resolved, unknown = concepts_split(terms)
    if unknown:
        raise ValidationError({"concepts": _("Unknown technology: %(terms)s.") % {"terms": ", ".join(unknown)}})
    return resolved


def concepts_split(terms: Iterable[str]) -> tuple[list[Concept], list[str]]:
    """The concepts that terms name (by code, or any label or synonym in any language), and the terms
    that name none, as written (what a form keeps as free keywords rather than refusing)."""
    wanted = [term.strip() for term in terms if term and term.strip()]
    by_code = {concept.code: concept for concept in Concept.objects.filter(code__in=wanted)}
    missing = [term for term in wanted if term not in by_code]
    by_phrase: dict[str, Concept] = {}
    if missing:
        for concept in Concept.objects.all():
            for term in concept.all_terms():
                by_phrase.setdefault(phrase_key(term), concept)
    resolved: list[Concept] = []
    unknown: list[str] = []
    for term in wanted:
        found = by_code.get(term) or by_phrase.get(phrase_key(term))
        if found is None:
            unknown.append(term)
        else:
            resolved.append(found)
    return list(dict.fromkeys(resolved)), list(dict.fromkeys(unknown))


def _contacts_validate(contacts: Sequence[Mapping[str, Any]]) -> list[Contact]:
    built: list[Contact] = []
    for position, data in enumerate(contacts):
        contact = Contact(position=position, **{name: data[name] for name in CONTACT_FIELDS if name in data})
        try:
            contact.full_clean(exclude=["organisation"])
        except ValidationError as error:
            raise ValidationError(
                {f"contacts.{position}.{name}": messages for name, messages in error.message_dict.items()}
            ) from error
        built.append(contact)
    return built


def _organisation_apply(organisation: Organisation, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(organisation, name, "" if value is None and name != "founded_year" else value)


def organisation_reindex(*, organisation: Organisation) -> None:
    """Recompute what the directory search finds the organisation by (its rows of the search index,
    in the caller's transaction, and its search text): names, description, city, and the labels and
    synonyms of its technologies and sectors in all three languages, and those tags themselves."""
    concepts = list(organisation.concepts.all())
    sectors = list(organisation.sectors.all())
    parts = [
        organisation.name_en,
        organisation.name_local,
        organisation.city,
        organisation.description,
        *(organisation.keywords or []),
    ]
    for concept in concepts:
        parts.extend(concept.all_terms())
    for sector in sectors:
        parts.extend([sector.name_en, sector.name_zh, sector.name_ur])
    organisation.search_document = index_document(parts)
    organisation.save(update_fields=["search_document"])
    terms = document_terms(
        parts,
        concept_ids=[concept.pk for concept in concepts],
        sector_ids=[sector.pk for sector in sectors],
        names=[organisation.name_en, organisation.name_local],
    )
    index_replace(token_model=OrganisationSearchToken, document_id=organisation.pk, terms=terms)


def _relations_set(
    organisation: Organisation,
    *,
    sectors: list[Sector] | None,
    concepts: list[Concept] | None,
    contacts: list[Contact] | None,
) -> None:
    if sectors is not None:
        organisation.sectors.set(sectors)
    if concepts is not None:
        organisation.concepts.set(concepts)
    if contacts is not None:
        organisation.contacts.all().delete()
        for contact in contacts:
            contact.organisation = organisation
        Contact.objects.bulk_create(contacts)


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    fields: Mapping[str, Any],
    key: str = "",
    sector_codes: Iterable[str] = (),
    concept_terms: Iterable[str] = (),
    contacts: Sequence[Mapping[str, Any]] = (),
    is_demo: bool = False,
    sources: Sequence[str] = (),
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> Organisation:
    """Create an organisation; the actor (unless absent, as in imports) becomes its owner. `translations`:
    the author's own translations of the description (language -> {"description": text})."""
    organisation = Organisation(is_demo=is_demo, sources=list(sources))
    if actor is not None:
        organisation.verification_requested_at = timezone.now()  # a user's new organisation waits for staff
    _organisation_apply(organisation, fields)
    organisation.key = key or _unique_key(country=organisation.country, name_en=organisation.name_en)
    organisation.full_clean()
    sectors = sectors_resolve(sector_codes)
    concepts = concepts_resolve(concept_terms)
    contact_rows = _contacts_validate(contacts)
    organisation.save()
    _relations_set(organisation, sectors=sectors, concepts=concepts, contacts=contact_rows)
    if actor is not None:
        Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.OWNER)
    organisation_reindex(organisation=organisation)
    history.organisation_created(organisation=organisation, actor=actor)
    _translations_save(organisation, translations, by_user=actor is not None)
    return organisation


# The longest description an author's translation may have (as the description itself).
DESCRIPTION_TRANSLATION_LIMITS = {"description": 20_000}


def _translations_save(
    organisation: Organisation, translations: Mapping[str, Mapping[str, Any]] | None, *, by_user: bool
) -> None:
    """Store the author's translations given; for a user's write (not an import, which would send a
    whole file at once), queue machine translations of the description after commit."""
    if translations is not None:
        author_translations_save(obj=organisation, translations=translations, limits=DESCRIPTION_TRANSLATION_LIMITS)
    if by_user:
        machine_translations_queue(obj=organisation)


def _unique_key(*, country: str, name_en: str) -> str:
    base = organisation_key_for(country=country or "xx", name_en=name_en or "organisation") or "organisation"
    candidate, number = base, 2
    while Organisation.objects.filter(key=candidate).exists():
        candidate = f"{base[:95]}-{number}"
        number += 1
    return candidate


# What makes an organisation the one staff checked: a change to any of these clears the verified
# badge (unless staff make it) and puts the organisation back in staff's verification queue. The
# description, city, size, sectors, technologies and contacts do not: they describe, not identify.
IDENTITY_FIELDS = ("name_en", "name_local", "country", "website")


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    fields: Mapping[str, Any],
    sector_codes: Iterable[str] | None = None,
    concept_terms: Iterable[str] | None = None,
    contacts: Sequence[Mapping[str, Any]] | None = None,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> Organisation:
    """Change the given fields and, where given, the sectors, technologies, contacts and the author's
    translations of the description (language -> {"description": text}).

    A change to a name, the country or the website is written to the organisation's history (who,
    when, before and after); by anyone but staff it also clears verification and puts the
    organisation back in staff's queue. Only the organisation's owners and staff may change it.
    """
    selectors.organisation_edit_check(viewer=actor, organisation=organisation)
    # Locked, so that a verification by staff and this edit cannot interleave.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {name: getattr(organisation, name) for name in IDENTITY_FIELDS}
    _organisation_apply(organisation, fields)
    organisation.full_clean()
    sectors = sectors_resolve(sector_codes) if sector_codes is not None else None
    concepts = concepts_resolve(concept_terms) if concept_terms is not None else None
    contact_rows = _contacts_validate(contacts) if contacts is not None else None
    changes = {
        name: [before[name], getattr(organisation, name)]
        for name in IDENTITY_FIELDS
        if before[name] != getattr(organisation, name)
    }
    changed_fields = [*fields, "updated_at"]
    if changes:
        changed_fields += _identity_changed(actor=actor, organisation=organisation, changes=changes)
    else:
        given = (("sectors", sectors), ("concepts", concepts), ("contacts", contact_rows))
        relations = [name for name, value in given if value is not None]
        history.organisation_updated(organisation=organisation, actor=actor, fields=[*fields, *relations])
    organisation.save(update_fields=changed_fields)
    _relations_set(organisation, sectors=sectors, concepts=concepts, contacts=contact_rows)
    organisation_reindex(organisation=organisation)
    _translations_save(organisation, translations, by_user=True)
    return organisation


def _identity_changed(*, actor: User | None, organisation: Organisation, changes: dict[str, list[Any]]) -> list[str]:
    """Clear verification where the edit requires it and write the history row; the fields it set."""
    cleared = organisation.is_verified and not getattr(actor, "is_staff", False)
    changed = []
    if cleared:
        organisation.is_verified, organisation.verified_at, organisation.verified_by = False, None, None
        changed += ["is_verified", "verified_at", "verified_by"]
    if not organisation.is_verified and organisation.verification_requested_at is None:
        organisation.verification_requested_at = timezone.now()
        changed.append("verification_requested_at")
    history.organisation_identity_changed(organisation=organisation, actor=actor, changes=changes, cleared=cleared)
    return changed


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation, is_verified: bool = True) -> Organisation:
    """Staff mark an organisation as checked (or withdraw that), recording who and when in its history."""
    selectors.verifier_check(viewer=actor)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.is_verified = is_verified
    organisation.verified_at = timezone.now() if is_verified else None
    organisation.verified_by = actor if is_verified else None
    organisation.verification_requested_at = None  # out of the queue: staff have decided
    organisation.save(
        update_fields=["is_verified", "verified_at", "verified_by", "verification_requested_at", "updated_at"]
    )
    history.organisation_verified(organisation=organisation, actor=actor, is_verified=is_verified)
    return organisation


def _current_state(organisation: Organisation) -> tuple[Any, ...]:
    return (
        {name: getattr(organisation, name) for name in ORGANISATION_FIELDS},
        sorted(organisation.sectors.values_list("code", flat=True)),
        sorted(organisation.concepts.values_list("code", flat=True)),
        [{name: getattr(contact, name) for name in CONTACT_FIELDS} for contact in organisation.contacts.all()],
        organisation.is_verified,
        organisation.is_demo,
        list(organisation.sources),
    )


@transaction.atomic
def organisation_upsert(*, record: OrganisationRecord) -> tuple[Organisation, str]:
    """Create or update the organisation with this natural key; 'created', 'updated' or 'unchanged'.

    Importing the same data twice changes nothing: the second time every row is 'unchanged' and no
    row is written.
    """
    organisation = Organisation.objects.filter(key=record.key).first()
    sectors = sectors_resolve(record.sector_codes)
    concepts = concepts_resolve(record.concept_terms)
    contacts = _contacts_validate(record.contacts)
    if organisation is None:
        organisation = Organisation(key=record.key)
        outcome = "created"
    else:
        outcome = "updated"
        before = _current_state(organisation)
    _organisation_apply(organisation, record.fields)
    if record.is_verified is not None:
        organisation.is_verified = record.is_verified
    organisation.is_demo = record.is_demo
    organisation.sources = list(record.sources)
    organisation.full_clean()
    if outcome == "updated":
        after = (
            {name: getattr(organisation, name) for name in ORGANISATION_FIELDS},
            sorted(sector.code for sector in sectors),
            sorted(concept.code for concept in concepts),
            [{name: getattr(contact, name) for name in CONTACT_FIELDS} for contact in contacts],
            organisation.is_verified,
            organisation.is_demo,
            list(organisation.sources),
        )
        if after == before:
            return organisation, "unchanged"
    if organisation.is_verified and organisation.verified_at is None:
        organisation.verified_at = timezone.now()
    organisation.save()
    _relations_set(organisation, sectors=sectors, concepts=concepts, contacts=contacts)
    organisation_reindex(organisation=organisation)
    history.organisation_imported(organisation=organisation, outcome=outcome)
    return organisation, outcome


INVITATION_DAYS = 14


def _invitation_hash(token: str) -> str:
    # 256 random bits per token, so a fast unsalted hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def membership_invite(*, actor: User, organisation: Organisation, email: str, role: str) -> MembershipInvitation:
    """An owner (or staff) invites an e-mail address to join the organisation.

    The answer and the e-mail are the same whether or not the address has an account, so the form
    cannot be used to find out who has one; the address's owner accepts once signed in with it.
    Inviting an address again replaces its pending invitation (and its link).
    """
    _require_owner(actor=actor, organisation=organisation)
    address = (email or "").strip().lower()
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose owner or member.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=address).exists():
        # The owner sees the member list already: saying so reveals nothing new.
        raise ValidationError({"email": _("This address already belongs to a member of this organisation.")})
    MembershipInvitation.objects.select_for_update().filter(
        organisation=organisation, email__iexact=address, accepted_at__isnull=True
    ).delete()
    token = secrets.token_urlsafe(32)
    invitation = MembershipInvitation(
        organisation=organisation,
        email=address,
        role=role,
        token_hash=_invitation_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    account = User.objects.filter(email__iexact=address).first()
    recipient = SimpleNamespace(email=address, language=account.language if account else actor.language)
    send_after_commit(
        users=[recipient],
        template="directory/email/membership_invitation.txt",
        context={
            "organisation": organisation,
            "inviter": actor,
            "days": INVITATION_DAYS,
            "link": settings.SITE_URL + reverse("directory:invitation_accept", kwargs={"token": token}),
        },
    )
    return invitation


def membership_invitation_for_token(*, token: str) -> MembershipInvitation | None:
    """The pending, unexpired invitation a link's token names, or None."""
    if not token or len(token) > 100:
        return None
    invitation = (
        MembershipInvitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_invitation_hash(token), accepted_at__isnull=True)
        .first()
    )
    return invitation if invitation is not None and invitation.is_pending else None


@transaction.atomic
def membership_invitation_accept(*, actor: User, token: str) -> Membership:
    """The invited address's owner, signed in with it and verified, joins the organisation (once)."""
    invitation = membership_invitation_for_token(token=token)
    if invitation is not None:
        invitation = MembershipInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if invitation is None or not invitation.is_pending:
        raise ValidationError({"token": _("This invitation is not valid any more: ask for a new one.")})
    if actor.email.lower() != invitation.email.lower() or not actor.is_email_verified:
        raise PermissionDenied(
            _("This invitation was sent to %(email)s: sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member; the last owner cannot be removed, so an organisation is never orphaned."""
    organisation = membership.organisation
    _require_owner(actor=actor, organisation=organisation)
    owners = Membership.objects.select_for_update().filter(organisation=organisation, role=MembershipRole.OWNER)
    if membership.role == MembershipRole.OWNER and owners.count() <= 1:
        raise ValidationError({"membership": _("An organisation needs at least one owner.")})
    membership.delete()


def _require_owner(*, actor: User, organisation: Organisation) -> None:
    selectors.members_manage_check(viewer=actor, organisation=organisation)


# --- claims of organisations, and requests held for organisations without members ---


def _link(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def held_request_record(*, organisation: Organisation, sender: Any, what: str, url: str) -> HeldRequest | None:
    """Called by whoever sends a request or an interest, inside its transaction: when the organisation has
    no active member, keep the request in staff's queue (and tell staff) until someone claims the
    organisation. Returns the held request, or None when the organisation has members to read it."""
    if selectors.has_active_members(organisation.pk):
        return None
    held = HeldRequest(organisation=organisation, sender=sender, what=what[:300], url=url[:500])
    held.full_clean()
    held.save()
    notify(
        users=_staff(),
        kind=NotificationKind.REQUEST_RECEIVED,
        template="directory/email/held_request_staff.txt",
        context={"held": held, "organisation": organisation, "link": _link("directory:held_requests")},
        url=_link("directory:held_requests"),
    )
    return held


def _staff() -> list[User]:
    return list(User.objects.filter(is_active=True, role="staff"))


def _held_requests_deliver(*, organisation: Organisation, users: list[Any]) -> int:
    """The requests that waited for the organisation reach its new member(s): one notification each."""
    waiting = list(HeldRequest.objects.select_for_update().filter(organisation=organisation, delivered_at__isnull=True))
    for held in waiting:
        notify(
            users=users,
            kind=NotificationKind.REQUEST_RECEIVED,
            template="directory/email/held_request_delivered.txt",
            context={"held": held, "organisation": organisation, "link": held.url},
            url=held.url,
            key=f"held-request-{held.pk}",
        )
    HeldRequest.objects.filter(pk__in=[held.pk for held in waiting]).update(delivered_at=timezone.now())
    return len(waiting)


def _claim_approve(*, claim: OrganisationClaim, decided_by: Any, proof: str) -> Membership:
    organisation = Organisation.objects.select_for_update().get(pk=claim.organisation_id)
    has_owner = Membership.objects.filter(
        organisation=organisation, role=MembershipRole.OWNER, user__is_active=True
    ).exists()
    membership, _created = Membership.objects.get_or_create(
        user=claim.user,
        organisation=organisation,
        defaults={"role": MembershipRole.MEMBER if has_owner else MembershipRole.OWNER},
    )
    claim.status = ClaimStatus.APPROVED
    claim.proof = proof
    claim.decided_by = decided_by
    claim.decided_at = timezone.now()
    claim.save()
    _held_requests_deliver(organisation=organisation, users=[claim.user])
    return membership


@transaction.atomic
def organisation_claim(*, actor: User, organisation: Organisation, message: str = "") -> OrganisationClaim:
    """A signed-in user asks to join a listed organisation (or, when it has no members, to take it over).
    A verified account e-mail at the organisation's website domain (not a public mail provider) is
    proof: the user joins at once, as its owner if it has none. Otherwise the claim waits for the
    organisation's owners or, where it has none, for staff; they are told."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Sign in to ask to join an organisation."))
    if selectors.is_member(actor, organisation):
        raise ValidationError({"organisation": _("You are already a member of this organisation.")})
    message = (message or "").strip()
    claim = OrganisationClaim(organisation=organisation, user=actor, message=message)
    claim.full_clean(validate_constraints=False)
    if OrganisationClaim.objects.filter(organisation=organisation, user=actor, status=ClaimStatus.PENDING).exists():
        raise ValidationError({"organisation": _("You have already asked to join this organisation.")})
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:  # two requests at once
        raise ValidationError({"organisation": _("You have already asked to join this organisation.")}) from error
    if actor.is_email_verified and email_proves_website(email=actor.email, website=organisation.website):
        _claim_approve(claim=claim, decided_by=None, proof=ClaimProof.EMAIL_DOMAIN)
        return claim
    owners = selectors.active_owners_of(organisation.pk)
    notify(
        users=owners or _staff(),
        kind=NotificationKind.REQUEST_RECEIVED,
        template="directory/email/claim_received.txt",
        context={"claim": claim, "organisation": organisation, "link": _link("directory:claim_queue")},
        url=_link("directory:claim_detail", pk=claim.pk),
    )
    return claim


@transaction.atomic
def organisation_claim_decide(
    *, actor: User, claim: OrganisationClaim, approve: bool, reason: str = ""
) -> OrganisationClaim:
    """Staff (or the organisation's owners) approve a claim (the user joins, and requests that waited for
    the organisation reach them) or reject it with a reason. The user is told either way."""
    claim = OrganisationClaim.objects.select_for_update().select_related("organisation", "user").get(pk=claim.pk)
    if not OrganisationClaim.objects.filter(selectors.claim_deciders_q(viewer=actor), pk=claim.pk).exists():
        raise PermissionDenied(_("Only staff and the organisation's owners decide on requests to join it."))
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError({"status": _("This request has already been decided.")})
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    if approve:
        claim.reason = reason
        _claim_approve(claim=claim, decided_by=actor, proof=ClaimProof.STAFF)
    else:
        claim.status = ClaimStatus.REJECTED
        claim.proof = ClaimProof.STAFF
        claim.reason = reason
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        claim.full_clean(validate_constraints=False)
        claim.save()
    notify(
        users=[claim.user],
        kind=NotificationKind.ANSWER,
        template="directory/email/claim_decided.txt",
        context={
            "claim": claim,
            "organisation": claim.organisation,
            "link": _link("directory:claim_detail", pk=claim.pk),
        },
        url=_link("directory:claim_detail", pk=claim.pk),
    )
    return claim
