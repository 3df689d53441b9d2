"""Writes for relocation cases: a zone takes up a company's relocation request, which opens a case (a
deal on the relocation track) at the inquiry stage. The case then moves, gets its next step and reminders
and keeps its history through the deals pipeline's services (`deals.services.pipeline`).

Who may take a request up: staff, and the members of the organisation of a zone the request is shared
with, for that zone. The company itself does not (it shares; the zone takes up). One case per request and
zone: a second take-up is refused with the first case's reference.

Deleting a request (`relocation_request_remove`): the company's members and staff delete a request no zone
has taken up; one with a case is withdrawn instead, so the record stays: each open case moves to withdrawn
with the company's reason, and the request, its cases and their history are kept. A withdrawn request
is closed: no zone takes it up again, and its zone does not reopen its case (staff still may).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.deals.choices import DealOrigin, DealPartyRole, DealSubject, DealTrack, RelocationStage
from silkbridge.deals.history import pipeline as history
from silkbridge.deals.models import Deal, DealParty
from silkbridge.deals.selectors.pipeline import request_withdrawn
from silkbridge.deals.services.pipeline import case_withdraw_follow
from silkbridge.directory.selectors import organisation_ids_of
from silkbridge.zones.models import RelocationRequest, Zone
from silkbridge.zones.relocation_selectors import can_manage, relocation_requests_visible_to


def _already_open(relocation_request: RelocationRequest, zone: Zone) -> ValidationError | None:
    existing = Deal.objects.filter(relocation_request=relocation_request, zone=zone).only("reference").first()
    if existing is None:
        return None
    return ValidationError(
        {
            "zone": _("A case is already open for this request in %(zone)s: %(reference)s.")
            % {"zone": zone.name, "reference": existing.reference}
        }
    )


@transaction.atomic
def relocation_case_open(*, actor: Any, relocation_request: RelocationRequest, zone: Zone) -> Deal:
    """Take the request up for `zone`: a case at the inquiry stage, its parties the company (initiator)
    and the zone's organisation (authority), owned by the actor if staff. Refused (nothing stored) when
    the actor may not see the request, does not act for the zone, the request is not shared with the
    zone, the zone has no organisation on Silkbridge, or a case is already open for them."""
    # The request's row lock first: a deletion beside this take-up (relocation_request_remove) holds it
    # from the moment it read that no zone took the request up, and the take-up then finds no request.
    locked = RelocationRequest.objects.select_for_update().filter(pk=relocation_request.pk).first()
    if locked is None or not relocation_requests_visible_to(actor).filter(pk=relocation_request.pk).exists():
        raise PermissionDenied(_("No such relocation request."))
    is_staff = bool(getattr(actor, "is_staff", False))
    if not is_staff and (zone.organisation_id is None or zone.organisation_id not in organisation_ids_of(actor)):
        raise PermissionDenied(_("Only staff and the zone's members may take a request up for the zone."))
    if not is_staff and request_withdrawn(relocation_request.pk):
        raise ValidationError({"zone": _("The company has withdrawn this request: it is no longer taken up.")})
    if not relocation_request.shared_with.filter(pk=zone.pk).exists():
        raise ValidationError({"zone": _("This request is not shared with %(zone)s.") % {"zone": zone.name}})
    if zone.organisation is None:
        raise ValidationError(
            {"zone": _("%(zone)s has no organisation on Silkbridge to follow the case.") % {"zone": zone.name}}
        )
    existing = _already_open(relocation_request, zone)
    if existing is not None:
        raise existing
    company = relocation_request.organisation
    title = f"{relocation_request.title} – {zone.name}"[:200]
    deal = Deal(
        track=DealTrack.RELOCATION,
        title=title,
        subject=DealSubject.RELOCATION,
        origin=DealOrigin.RELOCATION,
        relocation_request=relocation_request,
        zone=zone,
        sector=relocation_request.sectors.order_by("code").first(),
        owner=actor if is_staff else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=RelocationStage.INQUIRY,
        stage_changed_at=timezone.now(),
    )
    try:
        with transaction.atomic():  # a savepoint: a racing second take-up fails on the constraint, not a 500
            deal.save()
    except IntegrityError as error:
        raise (_already_open(relocation_request, zone) or ValidationError({"zone": _("Try again.")})) from error
    parties = [(company, DealPartyRole.INITIATOR)]
    if zone.organisation_id != company.pk:
        parties.append((zone.organisation, DealPartyRole.AUTHORITY))
    DealParty.objects.bulk_create([DealParty(deal=deal, organisation=org, role=role) for org, role in parties])
    history.deal_created(
        deal=deal,
        actor=actor,
        parties=[org.key for org, _role in parties],
        cause={"relocation_request": str(relocation_request.pk), "zone": zone.key},
    )
    return deal


REMOVE_DELETED = "deleted"
REMOVE_WITHDRAWN = "withdrawn"


@transaction.atomic
def relocation_request_remove(*, actor: Any, relocation_request: RelocationRequest, reason: str = "") -> list[Deal]:
    """Delete the request when no zone has taken it up (returns []), else withdraw it: every case still open
    moves to withdrawn with `reason` (required), and the cases are returned. Only the company's members and
    staff: a zone the request is shared with reads it but may not remove it (PermissionDenied); anyone else
    does not see it (RelocationRequest.DoesNotExist, a 404)."""
    if not relocation_requests_visible_to(actor).filter(pk=relocation_request.pk).exists():
        raise RelocationRequest.DoesNotExist
    if not can_manage(viewer=actor, relocation_request=relocation_request):
        raise PermissionDenied(_("Only the company's members and staff may delete or withdraw a request."))
    relocation_request = RelocationRequest.objects.select_for_update().get(pk=relocation_request.pk)
    cases = list(Deal.objects.select_for_update().filter(relocation_request=relocation_request).order_by("pk"))
    if not cases:
        relocation_request.delete()
        return []
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("A zone has taken this request up: say why it is withdrawn (the zone reads the reason).")}
        )
    if len(reason) > 2_000:
        raise ValidationError({"reason": _("Keep the reason under 2,000 characters.")})
    open_cases = [case for case in cases if case.stage not in (RelocationStage.DECLINED, RelocationStage.WITHDRAWN)]
    if not open_cases:
        raise ValidationError({"reason": _("Every case of this request is already closed; its record is kept.")})
    return [case_withdraw_follow(actor=actor, deal=case, reason=reason) for case in open_cases]
