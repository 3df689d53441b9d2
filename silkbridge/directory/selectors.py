"""Reads of the directory. Visibility rules live here, once, for pages, API, exports and search."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silkbridge.common.text import tokenize
from silkbridge.directory.choices import ClaimStatus, MembershipRole, Visibility
from silkbridge.directory.models import (
    Concept,
    Contact,
    HeldRequest,
    ImportRun,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationClaim,
    OrganisationEvent,
    OrganisationSearchToken,
    Sector,
)
from silkbridge.directory.search import RankedResults, name_word_condition, ranked, search_organisations

# --- memberships: every app asks these three (and members_of), never the Membership table by hand ---


def organisation_ids_of(user: Any) -> list[int]:
    """Ids of the organisations the user belongs to (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def is_member(user: Any, organisation: Organisation | int) -> bool:
    """Whether the user belongs to the organisation (as owner or member)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation_id=_pk(organisation)).exists()


def is_owner(user: Any, organisation: Organisation | int) -> bool:
    """Whether the user is an owner of the organisation (owners manage it and its members)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation_id=_pk(organisation), role=MembershipRole.OWNER).exists()


def members_of(organisation_id: int) -> list[Any]:
    """The active users who belong to the organisation (whom its notifications go to)."""
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            organisation_id=organisation_id, user__is_active=True
        )
    ]


def _pk(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def sectors_within(code: str) -> QuerySet[Sector]:
    """The sector with this code and, for a focus field, its sub-fields. The one rule for "a sector
    includes its sub-fields" that every app's filter uses: the parent link decides, not the code
    (a sub-field added by staff need not carry its focus field's code as a prefix)."""
    return Sector.objects.filter(Q(code=code) | Q(parent__code=code))


def filter_by_sector(queryset: QuerySet[Any], code: str, *, path: str = "sectors") -> QuerySet[Any]:
    """Rows of `queryset` tagged (through `path`) with the sector or one of its sub-fields; each row
    once, without DISTINCT, so the caller's ordering and annotations stay as they are."""
    if not code:
        return queryset
    tagged = queryset.model.objects.filter(**{f"{path}__in": sectors_within(code).values("pk")})
    return queryset.filter(pk__in=tagged.values("pk"))


def organisation_visibility_q(*, viewer: Any) -> Q:
    """Public organisations for everyone; members-only ones for signed-in users; private ones only
    for the organisation's own members and staff."""
    if getattr(viewer, "is_staff", False):
        return Q()
    if not getattr(viewer, "is_authenticated", False):
        return Q(visibility=Visibility.PUBLIC)
    return Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(pk__in=organisation_ids_of(viewer))


def organisation_list(
    *,
    viewer: Any,
    query: str = "",
    kind: str = "",
    country: str = "",
    sector: str = "",
    verified: bool | None = None,
) -> QuerySet[Organisation]:
    """Organisations the viewer may see, searched and filtered, best name matches first: the
    directory's FilterSet (the one filter of pages and API) for code that filters by arguments."""
    return _organisation_filterset(
        viewer=viewer, query=query, kind=kind, country=country, sector=sector, verified=verified
    ).qs


def organisation_search(*, viewer: Any, query: str = "", **filters: Any) -> RankedResults:
    """`organisation_list` as the directory page reads it: a page at a time, the count capped."""
    return _organisation_filterset(viewer=viewer, query=query, **filters).results()


def _organisation_filterset(
    *, viewer: Any, query: str, kind: str = "", country: str = "", sector: str = "", verified: bool | None = None
) -> Any:
    from silkbridge.directory.filtersets import OrganisationFilterSet  # it imports this module

    data = {
        "q": query,
        "kind": kind,
        "country": (country or "").upper(),
        "sector": sector,
        "verified": {True: "yes", False: "no"}.get(verified, ""),  # type: ignore[arg-type]
    }
    return OrganisationFilterSet(data, queryset=organisations_visible(viewer=viewer))


def organisations_visible(*, viewer: Any) -> QuerySet[Organisation]:
    """Every organisation the viewer may see, unordered: what the directory's FilterSet filters."""
    return Organisation.objects.filter(organisation_visibility_q(viewer=viewer))


def organisations_ranked(organisations: QuerySet[Organisation], *, query: str) -> QuerySet[Organisation]:
    """The search (names, descriptions, technologies in three languages) over `organisations`, best
    name matches first, then the query's own wording in the description, then verified ones."""
    return organisations_ordered(search_organisations(organisations, query), query=query)


# Queries shorter than this have no trigram (directory migration 0010's indexes).
SHORT_QUERY = 3
# Within a tier: verified ones first, then by name; the id makes the order total.
ORGANISATION_ORDER = ("-is_verified", "name_en", "pk")


def organisation_tiers(query: str) -> list[Q]:
    """The ranking's tiers: the query as typed in a name, then in the description. The query's own
    wording ranks above a hit found only through the glossary in another language: a reader who
    typed 人工智能医疗影像 wants that phrase first."""
    query = (query or "").strip()
    if not query:
        return []
    if len(query) < SHORT_QUERY:
        # A query of one or two characters has no trigram: PostgreSQL's trigram indexes would return
        # every organisation to be rechecked (300 ms at 100,000), and a test of every name walks the
        # whole rank-order index when few names hold it (40-70 ms for "产品"). So its name tier is "a
        # word of a name begins with the query", read from the index's name-word rows; until the index
        # has them (a rebuild after an upgrade), the names themselves are tested. The description tier
        # is the same test as icontains, written so that PostgreSQL does not answer it from the trigram
        # index: the tier walk stops as soon as its page is full.
        def contains(field: str) -> Q:
            return Q(GreaterThan(StrIndex(Upper(field), Upper(Value(query))), 0))

        name_words = name_word_condition(OrganisationSearchToken, query)
        names = contains("name_en") | contains("name_local") if name_words is None else name_words
        return [names, contains("description")]
    return [Q(name_en__icontains=query) | Q(name_local__icontains=query), Q(description__icontains=query)]


def _with_sectors(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("position", "code")))


def organisations_ordered(organisations: QuerySet[Organisation], *, query: str) -> QuerySet[Organisation]:
    """Searched organisations in the order the list shows them (the benchmark's LIKE baseline orders
    its own answer with it, so the two first pages compare)."""
    return _with_sectors(ranked(organisations, tiers=organisation_tiers(query), order=ORGANISATION_ORDER))


def organisation_results(organisations: QuerySet[Organisation], *, query: str) -> RankedResults:
    """`organisations_ranked` read a page at a time, as the directory page and the API read it: the
    same organisations in the same order, the count capped at search.COUNT_CAP."""
    return RankedResults(
        organisations,
        query,
        token_model=OrganisationSearchToken,
        tiers=organisation_tiers(query),
        order=ORGANISATION_ORDER,
        prepare=_with_sectors,
    )


def organisation_get(*, viewer: Any, key: str) -> Organisation:
    """One organisation the viewer may see; Organisation.DoesNotExist otherwise (never 'forbidden',
    which would reveal that a private organisation exists)."""
    return (
        Organisation.objects.filter(organisation_visibility_q(viewer=viewer))
        .select_related("verified_by")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.select_related("parent").order_by("position", "code")),
            Prefetch("concepts", queryset=Concept.objects.order_by("label_en")),
        )
        .get(key=key)
    )


def organisation_can_edit(*, user: Any, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return is_owner(user, organisation)


def organisation_edit_check(*, viewer: Any, organisation: Organisation) -> None:
    """PermissionDenied unless the viewer may change the organisation (its owners and staff)."""
    if not organisation_can_edit(user=viewer, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's owners and staff can change it."))


def members_manage_check(*, viewer: Any, organisation: Organisation) -> None:
    """PermissionDenied unless the viewer may see and manage the organisation's members (owners, staff)."""
    if not organisation_can_edit(user=viewer, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's owners can manage its members."))


def membership_list(*, viewer: Any, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's members, owners first; for its owners and staff (PermissionDenied otherwise)."""
    members_manage_check(viewer=viewer, organisation=organisation)
    return organisation.memberships.select_related("user").order_by("role", "user__email")


def can_verify(*, user: Any) -> bool:
    """Staff verify organisations (and run imports); nobody else."""
    return bool(getattr(user, "is_staff", False))


def verifier_check(*, viewer: Any) -> None:
    if not can_verify(user=viewer):
        raise PermissionDenied(_("Only staff can verify organisations."))


def importer_check(*, viewer: Any) -> None:
    """PermissionDenied unless the viewer may import organisations (staff)."""
    if not can_verify(user=viewer):
        raise PermissionDenied(_("Only staff may do this."))


def contact_list(*, viewer: Any, organisation: Organisation) -> QuerySet[Contact]:
    """Contacts the viewer may see: all of them for the organisation's members and staff, public ones
    for other signed-in users, none for anonymous visitors."""
    contacts = organisation.contacts.all()
    if not getattr(viewer, "is_authenticated", False):
        return contacts.none()
    if viewer.is_staff or is_member(viewer, organisation):
        return contacts
    return contacts.filter(is_public=True)


def sector_tree() -> list[Sector]:
    """Focus fields with their sub-fields prefetched, in taxonomy order."""
    return list(
        Sector.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("subsectors", queryset=Sector.objects.order_by("position", "code"))
        )
    )


def concept_list(*, query: str = "", sector: str = "") -> QuerySet[Concept]:
    concepts = Concept.objects.select_related("sector", "sector__parent")
    concepts = filter_by_sector(concepts, sector, path="sector")
    for token in tokenize((query or "")[:200]):
        concepts = concepts.filter(search_document__contains=f" {token}")
    return concepts.order_by("label_en")


def user_organisations(*, user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name_en")


def import_run_list(*, viewer: Any) -> QuerySet[ImportRun]:
    """Imports and their per-row reports, for staff (PermissionDenied otherwise)."""
    importer_check(viewer=viewer)
    return ImportRun.objects.select_related("created_by")


def verification_queue() -> QuerySet[Organisation]:
    """Organisations waiting for staff to verify them (new ones, and verified ones whose name, country
    or website changed), longest-waiting first."""
    return Organisation.objects.filter(is_verified=False, verification_requested_at__isnull=False).order_by(
        "verification_requested_at", "pk"
    )


def organisation_history(*, viewer: Any, organisation: Organisation) -> QuerySet[OrganisationEvent]:
    """The organisation's history (creation, changes, verifications), newest first; its owners and
    staff only (PermissionDenied otherwise). The page and the API show its rows through
    `core.selectors.history_entries`, which hides the authors' addresses from all but staff."""
    if not organisation_can_edit(user=viewer, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's owners and staff see its history."))
    return (
        OrganisationEvent.objects.filter(organisation=organisation)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def pending_invitations(*, viewer: Any, organisation: Organisation) -> QuerySet[Any]:
    """Invitations to this organisation not yet accepted nor expired, newest first (for its owners)."""
    members_manage_check(viewer=viewer, organisation=organisation)
    return MembershipInvitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


# Claims of organisations, and requests held for organisations without members (docs/marketplace.md).

# What a sender is told, on the page and in the API, when the organisation has nobody to read a request.
NO_MEMBERS_NOTE = gettext_lazy(
    "This organisation has no members on Silkbridge yet; the center's staff will pass your message on."
)
OWNER_TOLD_NOTE = gettext_lazy("The organisation's members are told and answer here.")


def has_active_members(organisation_id: int) -> bool:
    return Membership.objects.filter(organisation_id=organisation_id, user__is_active=True).exists()


def has_active_members_expression(organisation_field: str) -> Exists:
    """`has_active_members` as an expression over rows whose `organisation_field` names the organisation (an
    annotation for a whole list in one query)."""
    return Exists(Membership.objects.filter(organisation_id=OuterRef(organisation_field), user__is_active=True))


def active_owners_of(organisation_id: int) -> list[Any]:
    return [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            organisation_id=organisation_id, user__is_active=True, role=MembershipRole.OWNER
        )
    ]


def claim_deciders_q(*, viewer: Any) -> Q:
    """The claims the viewer decides: every one for staff; for an owner, the claims of the organisations
    they own (an organisation with owners approves its own newcomers)."""
    if getattr(viewer, "is_staff", False):
        return Q(pk__isnull=False)  # every claim (an empty Q() would vanish from an OR)
    if not getattr(viewer, "is_authenticated", False):
        return Q(pk__in=[])
    owned = Membership.objects.filter(user=viewer, role=MembershipRole.OWNER).values("organisation_id")
    return Q(organisation_id__in=owned)


def claims_to_decide(*, viewer: Any) -> QuerySet[OrganisationClaim]:
    """Open claims the viewer may approve or reject, oldest first (an empty list for anyone else)."""
    return (
        OrganisationClaim.objects.filter(claim_deciders_q(viewer=viewer), status=ClaimStatus.PENDING)
        .select_related("organisation", "user")
        .order_by("created_at", "pk")
    )


def claims_of(*, user: Any) -> QuerySet[OrganisationClaim]:
    """The user's own claims, newest first."""
    if not getattr(user, "is_authenticated", False):
        return OrganisationClaim.objects.none()
    return OrganisationClaim.objects.filter(user=user).select_related("organisation", "decided_by")


def claim_get(*, viewer: Any, pk: int) -> OrganisationClaim:
    """One claim, for its author and those who decide it; OrganisationClaim.DoesNotExist for anyone else
    (a stranger learns nothing, not even that it exists)."""
    if not getattr(viewer, "is_authenticated", False):
        raise OrganisationClaim.DoesNotExist
    return (
        OrganisationClaim.objects.filter(Q(user=viewer) | claim_deciders_q(viewer=viewer))
        .select_related("organisation", "user", "decided_by")
        .get(pk=pk)
    )


def claim_open_for(*, user: Any, organisation: Organisation) -> OrganisationClaim | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return OrganisationClaim.objects.filter(user=user, organisation=organisation, status=ClaimStatus.PENDING).first()


def held_requests_check(*, viewer: Any) -> None:
    if not getattr(viewer, "is_staff", False):
        raise PermissionDenied(_("Only staff may do this."))


def held_requests(*, viewer: Any) -> QuerySet[HeldRequest]:
    """Requests and interests waiting for an organisation without members, newest first (staff only)."""
    held_requests_check(viewer=viewer)
    return HeldRequest.objects.filter(delivered_at__isnull=True).select_related("organisation", "sender")
