"""Reads for the marketplace. Who may see a profile is decided here and nowhere else.

- Others see a profile only while it is live (published and not past its expiry date) and its
  visibility allows: public to everyone, members to signed-in users, private to nobody outside.
- The owning organisation's members and staff see every profile of theirs, whatever its status.
- A profile read through a relation (an expression of interest) follows the same rule: the interest
  carries `opportunity_visible`, and where it is False the reader gets neither the profile's title nor
  its owner nor the owner's contacts, only "profile no longer available".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.directory.choices import Visibility
from silkbridge.directory.models import Membership, Organisation
from silkbridge.directory.selectors import organisation_ids_of, user_organisations
from silkbridge.marketplace.choices import InterestStatus, OpportunityStatus
from silkbridge.marketplace.models import ExpressionOfInterest, Opportunity, OpportunityEvent


def live_q(prefix: str = "") -> Q:
    """Published and not expired (expiry is a date: a profile is live through its last day)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}status": OpportunityStatus.PUBLISHED}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today})
    )


def shown_to_others_q(viewer: Any, prefix: str = "") -> Q:
    """What a viewer may see of profiles that are not their organisation's: live, and both the profile
    and its organisation public (or members-only, for a signed-in viewer). A private organisation's
    profiles are as private as the organisation."""
    allowed = [Visibility.PUBLIC]
    if getattr(viewer, "is_authenticated", False):
        allowed.append(Visibility.MEMBERS)
    return (
        live_q(prefix)
        & Q(**{f"{prefix}visibility__in": allowed})
        & Q(**{f"{prefix}organisation__visibility__in": allowed})
    )


def offered_to_others_q(prefix: str = "") -> Q:
    """Profiles the matching may show to other organisations at all: live, and neither the profile nor
    its organisation private."""
    return (
        live_q(prefix)
        & ~Q(**{f"{prefix}visibility": Visibility.PRIVATE})
        & ~Q(**{f"{prefix}organisation__visibility": Visibility.PRIVATE})
    )


def visible_to_q(viewer: Any, prefix: str = "") -> Q:
    """What `opportunities_visible_to` lets a non-staff viewer see, as a condition usable through a
    relation (prefix "opportunity__")."""
    return shown_to_others_q(viewer, prefix) | Q(**{f"{prefix}organisation_id__in": organisation_ids_of(viewer)})


def opportunities_visible_to(viewer: Any) -> QuerySet[Opportunity]:
    base = Opportunity.objects.select_related("organisation")
    if getattr(viewer, "is_staff", False):
        return base.all()
    return base.filter(visible_to_q(viewer))


def is_visible_to(*, viewer: Any, opportunity_id: int) -> bool:
    """Whether the profile selector lets the viewer see this profile (as owner, staff or another)."""
    return opportunities_visible_to(viewer).filter(pk=opportunity_id).exists()


def opportunities_browse(viewer: Any) -> QuerySet[Opportunity]:
    """The public marketplace list: live profiles the viewer may see (their own live ones included)."""
    own_ids = organisation_ids_of(viewer)
    return (
        Opportunity.objects.select_related("organisation")
        .filter(shown_to_others_q(viewer) | (Q(organisation_id__in=own_ids) & live_q()))
        .order_by("-published_at", "-pk")
    )


def is_open_to(*, viewer: Any, opportunity: Opportunity) -> bool:
    """Whether the viewer sees the profile as another organisation would (not as its owner or staff):
    what an expression of interest requires."""
    return Opportunity.objects.filter(shown_to_others_q(viewer), pk=opportunity.pk).exists()


def opportunity_get(*, viewer: Any, pk: int) -> Opportunity:
    """One profile the viewer may see; Opportunity.DoesNotExist otherwise (pages answer 404)."""
    return opportunities_visible_to(viewer).get(pk=pk)


def can_manage(*, user: Any, opportunity: Opportunity) -> bool:
    """Staff, or a member of the owning organisation."""
    if getattr(user, "is_staff", False):
        return True
    return opportunity.organisation_id in organisation_ids_of(user)


def opportunities_of_user(*, user: Any) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.select_related("organisation")
        .filter(organisation_id__in=organisation_ids_of(user))
        .order_by("status", "-updated_at")
    )


def can_review(*, user: Any) -> bool:
    """Staff review profiles (publish, send back, comment); nobody else."""
    return bool(getattr(user, "is_staff", False))


def review_check(*, viewer: Any) -> None:
    """PermissionDenied unless the viewer may review profiles: checked before any lookup, so that the
    page and the API refuse a non-staff reviewer alike, whatever the profile."""
    if not can_review(user=viewer):
        raise PermissionDenied(_("Only staff may do this."))


def opportunity_for_review(*, viewer: Any, pk: int) -> Opportunity:
    """A profile to review: PermissionDenied for anyone but staff, then Opportunity.DoesNotExist."""
    review_check(viewer=viewer)
    return opportunity_get(viewer=viewer, pk=pk)


def organisations_acting_for(*, actor: Any) -> QuerySet[Organisation]:
    """The organisations on whose behalf the actor may write a profile or an expression of interest:
    their own, and for staff any organisation."""
    if getattr(actor, "is_staff", False):
        return Organisation.objects.all()
    return user_organisations(user=actor)


def review_queue(*, viewer: Any) -> QuerySet[Opportunity]:
    """Profiles waiting for review, oldest first; staff only (PermissionDenied otherwise)."""
    review_check(viewer=viewer)
    return (
        Opportunity.objects.select_related("organisation")
        .filter(status=OpportunityStatus.UNDER_REVIEW)
        .order_by("submitted_at", "pk")
    )


_INTEREST_RELATED = ("opportunity__organisation", "organisation", "created_by", "answered_by")
_INTEREST_CONTACTS = ("opportunity__organisation__contacts", "organisation__contacts")


def _with_opportunity_visibility(
    interests: QuerySet[ExpressionOfInterest], viewer: Any
) -> QuerySet[ExpressionOfInterest]:
    """Mark each interest with whether the viewer may see its profile (`opportunity_visible`): the
    interest outlives the profile's visibility, and must not carry what the profile selector hides."""
    if getattr(viewer, "is_staff", False):
        visible: Any = Value(True, output_field=BooleanField())
    else:
        visible = Case(
            When(visible_to_q(viewer, "opportunity__"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    # Whether anyone can read it (an organisation without members: staff pass it on, docs/marketplace.md).
    owner_has_members = Exists(
        Membership.objects.filter(organisation_id=OuterRef("opportunity__organisation_id"), user__is_active=True)
    )
    return interests.annotate(opportunity_visible=visible, owner_has_members=owner_has_members)


def interests_of_user(*, user: Any) -> QuerySet[ExpressionOfInterest]:
    """Expressions of interest the user's organisations received (on their profiles) or sent, newest
    first, each marked `is_received` and `is_sent`; `filtersets.InterestFilterSet` picks one side."""
    own = organisation_ids_of(user)
    received, sent = Q(opportunity__organisation_id__in=own), Q(organisation_id__in=own)
    interests = (
        ExpressionOfInterest.objects.select_related(*_INTEREST_RELATED)
        .prefetch_related(*_INTEREST_CONTACTS)
        .filter(received | sent)
        .annotate(
            is_received=Case(When(received, then=Value(True)), default=Value(False), output_field=BooleanField()),
            is_sent=Case(When(sent, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        .order_by("-created_at", "-pk")
    )
    return _with_opportunity_visibility(interests, user)


def interest_get(*, viewer: Any, pk: int) -> ExpressionOfInterest:
    """An expression of interest its two organisations and staff may see; DoesNotExist otherwise.
    Its `opportunity_visible` says whether the viewer may also see the profile's title and owner."""
    interests = ExpressionOfInterest.objects.select_related(*_INTEREST_RELATED)
    if not getattr(viewer, "is_staff", False):
        own = organisation_ids_of(viewer)
        interests = interests.filter(Q(organisation_id__in=own) | Q(opportunity__organisation_id__in=own))
    return _with_opportunity_visibility(interests, viewer).get(pk=pk)


def interest_contacts(*, interest: ExpressionOfInterest) -> dict[str, list[dict[str, str]]] | None:
    """Once accepted, each side's contacts (all of them, and the people who wrote); None before. The
    owner's side is empty for a reader who may no longer see the profile (it would name the owner);
    `interest` comes from interest_get or interests_of_user, which mark that."""
    if interest.status != InterestStatus.ACCEPTED:
        return None

    def side(organisation: Any, people: list[Any]) -> list[dict[str, str]]:
        contacts = [
            {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}
            for contact in sorted(organisation.contacts.all(), key=lambda item: (item.position, item.pk))
        ]
        known = {contact["email"] for contact in contacts}
        for person in people:
            if person is not None and person.email not in known:
                contacts.append({"name": person.get_full_name(), "role": "", "email": person.email, "phone": ""})
                known.add(person.email)
        return contacts

    shows_owner = getattr(interest, "opportunity_visible", False)
    return {
        "owner": side(interest.opportunity.organisation, [interest.answered_by]) if shows_owner else [],
        "interested": side(interest.organisation, [interest.created_by]),
    }


def opportunity_history(*, viewer: Any, opportunity: Opportunity) -> QuerySet[OpportunityEvent]:
    """The profile's history (created, sent for review, published, closed...), newest first; for its
    organisation's members and staff only, like its review comments (PermissionDenied otherwise). The
    page and the API show its rows through `core.selectors.history_entries`."""
    if not can_manage(user=viewer, opportunity=opportunity):
        raise PermissionDenied(_("Only the profile's organisation and staff see its history."))
    return (
        OpportunityEvent.objects.filter(opportunity=opportunity).select_related("actor").order_by("-created_at", "-pk")
    )
