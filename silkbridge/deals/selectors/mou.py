"""Reads for MoUs. Who may see an MoU, draft it or comment on it is decided here and nowhere else.

- An MoU (every version, clause comment, history row and document of it) is visible to the members of
  the deal's party organisations and to platform staff; anyone else gets "does not exist" (pages and
  API answer 404), also a member of an organisation that is not a party, whatever else they belong to.
- Drafting and saving are for platform staff and members of the deal's party whose role is
  "authority"; any member of a party may comment.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from silkbridge.deals.choices import DealPartyRole
from silkbridge.deals.engine.diff import ClauseChange, clauses_diff
from silkbridge.deals.models import ClauseComment, ClauseTemplate, Deal, Mou, MouEvent, MouVersion
from silkbridge.directory.selectors import organisation_ids_of


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False))


def _party_q(viewer: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}parties__organisation_id__in": organisation_ids_of(viewer)})


def mous_visible(*, viewer: Any) -> QuerySet[Mou]:
    """The MoUs the viewer may read: of deals their organisations are parties to; staff every one."""
    base = Mou.objects.select_related("deal", "created_by")
    if _is_staff(viewer):
        return base.all()
    if not getattr(viewer, "is_authenticated", False):
        return base.none()
    deal_ids = Deal.objects.filter(_party_q(viewer)).values("pk")
    return base.filter(deal_id__in=deal_ids)


def mou_get(*, viewer: Any, reference: str) -> Mou:
    """One MoU the viewer may read; Mou.DoesNotExist otherwise (pages and API answer 404)."""
    return mous_visible(viewer=viewer).get(reference=reference)


def _check_visible(viewer: Any, mou: Mou) -> None:
    # Callers pass an MoU they got from mou_get; this keeps a mistake from showing another's text.
    if not mous_visible(viewer=viewer).filter(pk=mou.pk).exists():
        raise Mou.DoesNotExist


def can_draft(*, user: Any, deal: Deal) -> bool:
    """Platform staff, or a member of the deal's party with the role "authority"."""
    if _is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return deal.parties.filter(role=DealPartyRole.AUTHORITY, organisation_id__in=organisation_ids_of(user)).exists()


def can_comment(*, user: Any, mou: Mou) -> bool:
    """Platform staff, or a member of any of the deal's parties."""
    if _is_staff(user):
        return True
    return (
        bool(organisation_ids_of(user))
        and mou.deal.parties.filter(organisation_id__in=organisation_ids_of(user)).exists()
    )


def deal_for_drafting(*, viewer: Any, reference: str) -> Deal:
    """A deal the viewer takes part in (staff: any), to draft its MoU from; Deal.DoesNotExist otherwise.
    Whether the viewer may draft is the service's check (a party member without authority gets 403)."""
    deals = Deal.objects.all() if _is_staff(viewer) else Deal.objects.filter(_party_q(viewer))
    return deals.distinct().get(reference=reference)


def library_clauses(*, keys: list[str] | None = None) -> QuerySet[ClauseTemplate]:
    """The clause library's clauses offered in new drafts, in their order."""
    clauses = ClauseTemplate.objects.filter(is_active=True)
    return clauses.filter(key__in=keys) if keys is not None else clauses


def mou_versions(*, viewer: Any, mou: Mou) -> QuerySet[MouVersion]:
    """Every saved version of the MoU, newest first, with who saved it."""
    _check_visible(viewer, mou)
    return MouVersion.objects.filter(mou=mou).select_related("saved_by").order_by("-number")


def mou_version_get(*, viewer: Any, mou: Mou, number: int) -> MouVersion:
    """One version of a visible MoU; MouVersion.DoesNotExist when there is no such number."""
    return mou_versions(viewer=viewer, mou=mou).get(number=number)


def mou_diff(*, viewer: Any, mou: Mou, from_number: int, to_number: int) -> list[ClauseChange]:
    """Clause by clause, what changed from one version to another (either order): clauses added,
    removed, changed (with the words changed in both languages) or the same."""
    versions = {
        version.number: version
        for version in mou_versions(viewer=viewer, mou=mou).filter(number__in=[from_number, to_number])
    }
    if from_number not in versions or to_number not in versions:
        raise MouVersion.DoesNotExist
    return clauses_diff(versions[from_number].clauses, versions[to_number].clauses)


def mou_comments(*, viewer: Any, mou: Mou) -> QuerySet[ClauseComment]:
    """Every comment on the MoU's clauses, oldest first, with its author."""
    _check_visible(viewer, mou)
    return ClauseComment.objects.filter(mou=mou).select_related("author").order_by("created_at", "pk")


def comments_by_clause(*, viewer: Any, mou: Mou) -> dict[str, list[ClauseComment]]:
    grouped: dict[str, list[ClauseComment]] = defaultdict(list)
    for comment in mou_comments(viewer=viewer, mou=mou):
        grouped[comment.clause_key].append(comment)
    return dict(grouped)


def mou_history(*, viewer: Any, mou: Mou) -> QuerySet[MouEvent]:
    """The MoU's history, newest first (the parties and staff read all of it)."""
    _check_visible(viewer, mou)
    return MouEvent.objects.filter(mou=mou).select_related("actor")


# --- PDFs made by background runs ---------------------------------------------------------------------

PDF_RUN_KIND = "deals.mou_pdf"


def pdf_run_key(*, mou: Mou, number: int) -> str:
    """The exclusive key of the runs that make one version's PDF: one at a time per version, and how its
    runs are found again."""
    return f"{PDF_RUN_KIND}:{mou.pk}:{number}"


def pdf_runs(*, mou: Mou, number: int) -> QuerySet[Any]:
    """The runs that made (or are making) this version's PDF, newest first. The caller got `mou` from
    `mou_get`, so the viewer may read it; whoever may read the MoU may read its PDFs."""
    from silkbridge.core.models import Run

    return Run.objects.filter(kind=PDF_RUN_KIND, exclusive_key=pdf_run_key(mou=mou, number=number)).order_by(
        "-created_at", "-pk"
    )


def pdf_made(*, mou: Mou, number: int, run_id: int | None = None) -> Any:
    """The succeeded run whose PDF of this version is stored (the latest, or the one asked for), or None."""
    runs = pdf_runs(mou=mou, number=number).filter(status="succeeded")
    if run_id is not None:
        runs = runs.filter(pk=run_id)
    for run in runs[:5]:
        if isinstance(run.result, dict) and run.result.get("file"):
            return run
    return None
