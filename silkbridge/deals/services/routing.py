"""Writes for an MoU's way to signature: its approval route (send, approve, return), its signatories,
and the signing that renders, seals and freezes it (seconds of work: a background run, `mou_sign_start`).

Who acts: platform staff and members of the deal's authority (selectors.routing.can_route). Each
service locks the MoU row, checks its status, and writes its history row in the same transaction.
A signed MoU is frozen: every service here refuses to change it (and `mou_editable_check` is what the
drafting services call for the same rule).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from silkbridge.core.models import Run
from silkbridge.core.runs import Progress, RunAlreadyActive, RunFailure, run_enqueue, run_still_running
from silkbridge.deals import documents, seal
from silkbridge.deals.choices import CounterpartKind, DealStage, MouStatus, RouteStepStatus
from silkbridge.deals.history import routing as history
from silkbridge.deals.models import ApprovalRoute, ApprovalRouteStep, Mou, MouRouteStep, Signatory
from silkbridge.deals.selectors import routing as selectors
from silkbridge.deals.services import pipeline
from silkbridge.directory.models import Organisation

MIN_SIGNATORIES = 2


# --- shared checks -----------------------------------------------------------------------------------


def _route_check(*, actor: Any, mou: Mou) -> None:
    if not selectors.can_route(user=actor, mou=mou):
        raise PermissionDenied(_("Only platform staff and members of the deal's authority may do this."))


def mou_editable_check(*, mou: Mou) -> None:
    """Refuse any change to a signed MoU: its sealed PDF is the agreement."""
    if mou.status == MouStatus.SIGNED:
        raise ValidationError(_("This MoU is signed and sealed; it can no longer be changed."))


def _locked(mou: Mou) -> Mou:
    return Mou.objects.select_for_update(of=("self",)).select_related("deal", "route").get(pk=mou.pk)


def _deal_follow(*, actor: Any, mou: Mou, stage: str, cause: str, step: MouRouteStep | None = None) -> None:
    """The deal follows its MoU (sent → vetting, returned → MoU drafting, signed → signed), recorded in
    the deal's history with the actor who did it (pipeline.deal_stage_follow), with the MoU's version and,
    for a return, the office that returned it (in three languages: the deal's page names it in the
    reader's)."""
    details = {"cause": cause, "mou": mou.reference, "version": str(mou.version)}
    if step is not None:
        details.update({"office_en": step.name_en, "office_zh": step.name_zh, "office_ur": step.name_ur})
    pipeline.deal_stage_follow(actor=actor, deal=mou.deal, stage=stage, cause=details)


def _status_check(mou: Mou, expected: str, message: str) -> None:
    mou_editable_check(mou=mou)
    if mou.status != expected:
        raise ValidationError(message % {"status": mou.get_status_display()})


# --- the route ---------------------------------------------------------------------------------------


@transaction.atomic
def mou_send(*, actor: Any, mou: Mou) -> Mou:
    """Send a draft on its authority's route for its kind of counterpart. The first time, the route's
    offices are copied onto the MoU (the first one holds it); after a return, the route resumes at the
    office that returned it, and the approvals before it stand."""
    _route_check(actor=actor, mou=mou)
    mou = _locked(mou)
    _status_check(mou, MouStatus.DRAFTING, _("Only a draft can be sent on its route; this MoU is: %(status)s."))
    steps = list(mou.route_steps.select_for_update().order_by("position"))
    if steps and mou.route is not None and mou.route.counterpart == mou.counterpart:
        current = next((step for step in steps if step.status != RouteStepStatus.APPROVED), steps[-1])
    else:
        current = _route_start(mou)
    current.status = RouteStepStatus.CURRENT
    current.acted_by, current.acted_at, current.note = None, None, ""
    current.save(update_fields=["status", "acted_by", "acted_at", "note"])
    before = mou.status
    mou.status = MouStatus.VETTING
    mou.save(update_fields=["status", "route", "updated_at"])
    history.mou_sent(mou=mou, actor=actor, before=before, resumed_at=current)
    _deal_follow(actor=actor, mou=mou, stage=DealStage.VETTING, cause="mou_sent")
    return mou


def _route_start(mou: Mou) -> MouRouteStep:
    """Copy the authority's route onto the MoU (a route changed in the admin later does not change the
    MoUs already on it); the first office is returned."""
    authorities = selectors.authorities_of(mou=mou)
    if not authorities:
        raise ValidationError(
            _("This deal has no party with the role “authority”, so there is no approval route to follow.")
        )
    route = selectors.route_for(mou=mou)
    if route is None:
        raise ValidationError(
            _(
                "%(authority)s has no approval route in use for “%(counterpart)s”. Platform staff add one in the "
                "administration (Deals › Approval routes)."
            )
            % {"authority": authorities[0].name_en, "counterpart": mou.get_counterpart_display()}
        )
    offices = list(route.steps.order_by("position"))
    if not offices:
        raise ValidationError(_("The approval route “%(route)s” has no steps yet.") % {"route": route.name})
    mou.route_steps.all().delete()  # the counterpart changed since the last send: a new route from the start
    MouRouteStep.objects.bulk_create(
        MouRouteStep(
            mou=mou,
            position=number,
            name_en=office.name_en,
            name_zh=office.name_zh,
            name_ur=office.name_ur,
            status=RouteStepStatus.WAITING,
        )
        for number, office in enumerate(offices, start=1)
    )
    mou.route = route
    return mou.route_steps.get(position=1)


def _current_step(mou: Mou) -> MouRouteStep:
    _status_check(mou, MouStatus.VETTING, _("This MoU is not on its route (it is: %(status)s)."))
    step = mou.route_steps.select_for_update().filter(status=RouteStepStatus.CURRENT).first()
    if step is None:
        raise ValidationError(_("No office holds this MoU at the moment."))
    return step


def _act(step: MouRouteStep, *, actor: Any, mou: Mou, status: str, note: str) -> None:
    step.status = status
    step.note = note
    step.version = mou.version
    step.acted_by = actor
    step.acted_at = timezone.now()
    step.full_clean(exclude=["mou", "acted_by"])
    step.save(update_fields=["status", "note", "version", "acted_by", "acted_at"])


@transaction.atomic
def route_step_approve(*, actor: Any, mou: Mou, note: str = "") -> MouRouteStep:
    """The current office approves; the next one holds the MoU, or after the last one it is cleared for
    signature."""
    _route_check(actor=actor, mou=mou)
    mou = _locked(mou)
    step = _current_step(mou)
    _act(step, actor=actor, mou=mou, status=RouteStepStatus.APPROVED, note=(note or "").strip())
    following = mou.route_steps.filter(position__gt=step.position).order_by("position").first()
    before = mou.status
    if following is None:
        mou.status = MouStatus.READY
        mou.save(update_fields=["status", "updated_at"])
    else:
        following.status = RouteStepStatus.CURRENT
        following.save(update_fields=["status"])
    history.route_step_approved(mou=mou, actor=actor, step=step, before=before)
    return step


@transaction.atomic
def route_step_return(*, actor: Any, mou: Mou, note: str) -> MouRouteStep:
    """The current office returns the draft with a note: the MoU goes back to drafting, and when it is
    sent again the route resumes at this office."""
    _route_check(actor=actor, mou=mou)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the draft is returned.")})
    mou = _locked(mou)
    step = _current_step(mou)
    _act(step, actor=actor, mou=mou, status=RouteStepStatus.RETURNED, note=note)
    before = mou.status
    mou.status = MouStatus.DRAFTING
    mou.save(update_fields=["status", "updated_at"])
    history.route_step_returned(mou=mou, actor=actor, step=step, before=before)
    _deal_follow(actor=actor, mou=mou, stage=DealStage.MOU_DRAFTING, cause="mou_returned", step=step)
    return step


# --- signatories -------------------------------------------------------------------------------------


@transaction.atomic
def signatory_add(
    *,
    actor: Any,
    mou: Mou,
    name: str,
    title: str,
    organisation_name: str,
    signed_on: date,
    place: str,
) -> Signatory:
    """Record who signed for one side (once the route has cleared the MoU for signature)."""
    _route_check(actor=actor, mou=mou)
    mou = _locked(mou)
    _status_check(
        mou,
        MouStatus.READY,
        _("Signatories are recorded once the route clears the MoU for signature (it is: %(status)s)."),
    )
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date of signature cannot be in the future.")})
    last = mou.signatories.aggregate(last=Max("position"))["last"]
    signatory = Signatory(
        mou=mou,
        name=(name or "").strip(),
        title=(title or "").strip(),
        organisation_name=(organisation_name or "").strip(),
        signed_on=signed_on,
        place=(place or "").strip(),
        position=(last or 0) + 1,
    )
    signatory.full_clean(exclude=["mou"])
    signatory.save()
    history.signatory_recorded(mou=mou, actor=actor, signatory=signatory)
    return signatory


@transaction.atomic
def signatory_remove(*, actor: Any, mou: Mou, signatory_id: int) -> None:
    """Take back a signatory recorded by mistake (before the MoU is signed)."""
    _route_check(actor=actor, mou=mou)
    mou = _locked(mou)
    _status_check(mou, MouStatus.READY, _("Signatories can only change before signing (the MoU is: %(status)s)."))
    signatory = mou.signatories.filter(pk=signatory_id).first()
    if signatory is None:
        raise ValidationError({"signatory": _("No such signatory on this MoU.")})
    name = signatory.name
    signatory.delete()
    history.signatory_removed(mou=mou, actor=actor, name=name)


# --- signing -----------------------------------------------------------------------------------------


def _sign_check(*, actor: Any, mou: Mou) -> tuple[Mou, tuple[Any, ...]]:
    """The locked MoU, checked ready to sign, and what its sealed PDF is made of (to notice a change
    while the PDF was rendered outside the transaction)."""
    _route_check(actor=actor, mou=mou)
    locked = _locked(mou)
    _status_check(locked, MouStatus.READY, _("Only an MoU cleared by its route can be signed (it is: %(status)s)."))
    people = tuple(locked.signatories.order_by("pk").values_list("pk", "name", "title", "organisation_name"))
    if len(people) < MIN_SIGNATORIES:
        raise ValidationError(_("Record at least %(count)d signatories before signing.") % {"count": MIN_SIGNATORIES})
    return locked, (locked.version, people)


def mou_sign_start(*, actor: Any, mou: Mou) -> Run:
    """Queue the signing of an MoU cleared for signature (rendering and sealing take seconds, so a worker
    does it: `mou_sign_run`); the background run to follow. What can be checked now is checked now, and
    a refusal queues nothing: the route's clearance, the signatories, the sealing key, and a signing of
    this MoU already under way."""
    from silkbridge.deals.tasks import mou_sign_task

    with transaction.atomic():
        ready, _made_of = _sign_check(actor=actor, mou=mou)
        try:
            seal.seal_key()
        except seal.SealUnavailable as error:
            raise ValidationError(str(error)) from error
        try:
            return run_enqueue(
                kind=selectors.SIGN_RUN_KIND,
                created_by=actor,
                task=mou_sign_task,
                kwargs={"mou_id": ready.pk},
                exclusive_key=selectors.sign_run_key(ready),
            )
        except RunAlreadyActive as error:
            raise ValidationError(_("This MoU is being signed already; follow that run.")) from error


def mou_sign_run(*, run_id: int, mou_id: int, progress: Progress) -> dict[str, Any]:
    """The work of a signing run: `mou_sign` as the account that started the run. A refusal ends the run
    failed with its message (the MoU stays unsigned and can be signed again); success gives the seal's
    figures and the MoU's page as the result."""
    from django.urls import reverse

    run = Run.objects.select_related("created_by").get(pk=run_id)
    if run.created_by is None:
        raise RunFailure(_("The account that started the run no longer exists."))
    mou = Mou.objects.get(pk=mou_id)
    try:
        signed = mou_sign(actor=run.created_by, mou=mou, progress=progress, run_id=run_id)
    except ValidationError as error:
        raise RunFailure(" ".join(error.messages)) from error
    except PermissionDenied as error:
        raise RunFailure(str(error)) from error
    return {
        "url": reverse("deals:mou_detail", kwargs={"reference": signed.reference}),
        "reference": signed.reference,
        "version": signed.version,
        "sealed_at": signed.sealed_at.isoformat() if signed.sealed_at else None,
        "sealed_sha256": signed.sealed_sha256,
        "sealed_with_embedded_key": bool(
            signed.events.filter(kind="signed").values_list("changes__self_signed_embedded_key", flat=True).last()
        ),
    }


def mou_sign(*, actor: Any, mou: Mou, progress: Progress | None = None, run_id: int | None = None) -> Mou:
    """Render the final PDF (both texts, the signatories, and the route with who acted when on the last
    page), seal it with the platform's key, store it and freeze the MoU. Called by the signing run
    (`mou_sign_run`), never in a request.

    The PDF is rendered and sealed outside any transaction (it takes seconds); the MoU is then locked
    again and signed only if nothing changed meanwhile, so two clicks seal once. The MoU is signed only
    when the seal succeeded: any refusal leaves it cleared for signature, with nothing stored."""
    report = progress or (lambda fraction, message: None)
    with transaction.atomic():
        ready, made_of = _sign_check(actor=actor, mou=mou)
    try:
        key = seal.seal_key()
        report(0.1, _("Rendering the final PDF"))
        pdf = documents.mou_pdf(mou=ready)
        report(0.7, _("Sealing the PDF with the platform's key"))
        sealed = seal.seal_pdf(
            pdf,
            key=key,
            reason=f"Signed MoU {ready.reference}, version {ready.version}",
            location=settings.SITE_URL,
        )
    except seal.SealUnavailable as error:
        raise ValidationError(str(error)) from error
    except documents.PdfUnavailable as error:
        raise ValidationError(_("PDF output is not available on this server; ask the administrator.")) from error
    report(0.9, _("Storing the sealed PDF"))
    stored = default_storage.save(
        f"deals/mous/{ready.reference}/{secrets.token_urlsafe(9)}-v{ready.version}-sealed.pdf", ContentFile(sealed)
    )
    try:
        with transaction.atomic():
            if run_id is not None:
                run_still_running(run_id)  # a run the reaper gave up signs nothing
            locked, now_made_of = _sign_check(actor=actor, mou=mou)
            if now_made_of != made_of:
                raise ValidationError(_("The MoU or its signatories changed while it was being sealed; sign again."))
            before = locked.status
            locked.sealed_pdf.name = stored
            locked.sealed_sha256 = seal.sha256_of(sealed)
            locked.sealed_at = timezone.now()
            locked.status = MouStatus.SIGNED
            locked.save(update_fields=["sealed_pdf", "sealed_sha256", "sealed_at", "status", "updated_at"])
            history.mou_signed(
                mou=locked, actor=actor, before=before, key_fingerprint=key.fingerprint, is_embedded_key=key.is_embedded
            )
            _deal_follow(actor=actor, mou=locked, stage=DealStage.SIGNED, cause="mou_signed")
    except BaseException:
        default_storage.delete(stored)
        raise
    return locked


# --- routes as data ----------------------------------------------------------------------------------

# The offices an MoU of a Pakistani public body passes through before signature, from the reference
# (shared/reference/pakistan-china-reference.md, section 6):
# - the authority's legal section drafts and clears it, then its parent ministry or division, which
#   decides on an MoU with a foreign private entity (Cabinet Division guidelines, Jan 2024 [S29]);
# - the Law and Justice Division vets international agreements and MoUs before signature [S31];
# - the Ministry of Foreign Affairs is consulted on instruments with foreign parties; in the 2024 CDA
#   case the draft MoU with the Chinese side went through the Foreign Office [S22, S32];
# - with a foreign government or a company it controls, federal Cabinet approval comes before
#   signature (mandatory since Nov 2023 [S30]; Cabinet Division guidelines, Jan 2024 [S29]).
# Each office: (English, Chinese, Urdu); "{authority}" is the authority's name.
OFFICES_TO_FOREIGN_OFFICE = (
    ("Legal section, {authority}", "{authority} 法务部门", "شعبۂ قانون، {authority}"),
    ("{ministry}", "{ministry_zh}", "{ministry_ur}"),
    ("Law and Justice Division (vetting)", "法律与司法司（审核）", "وزارتِ قانون و انصاف، لا اینڈ جسٹس ڈویژن (جانچ)"),
    ("Ministry of Foreign Affairs", "外交部", "وزارتِ خارجہ"),
)
CABINET = (
    "Federal Cabinet (approval before signature)",
    "联邦内阁（签署前批准）",
    "وفاقی کابینہ (دستخط سے پہلے منظوری)",
)
PARENT_MINISTRY = ("Parent ministry or division", "上级部委或司局", "متعلقہ وزارت یا ڈویژن")

SEED_ROUTES = {
    CounterpartKind.FOREIGN_PRIVATE: (
        (
            "MoU with a foreign private company",
            "与外国私营公司的谅解备忘录",
            "غیر ملکی نجی کمپنی کے ساتھ مفاہمتی یادداشت",
        ),
        OFFICES_TO_FOREIGN_OFFICE,
    ),
    CounterpartKind.FOREIGN_GOVERNMENT: (
        (
            "MoU with a foreign government or state-owned enterprise",
            "与外国政府或国有企业的谅解备忘录",
            "غیر ملکی حکومت یا سرکاری ادارے کے ساتھ مفاہمتی یادداشت",
        ),
        (*OFFICES_TO_FOREIGN_OFFICE, CABINET),
    ),
}


@transaction.atomic
def routes_seed_for(
    authority: Organisation, *, ministry: tuple[str, str, str] = PARENT_MINISTRY
) -> list[ApprovalRoute]:
    """Give a Pakistani public body the two routes of the reference (foreign private company; foreign
    government or state-owned enterprise), unless it already has a route in use for that kind of
    counterpart: staff edit routes in the administration, and a seed never overwrites their edits.
    `ministry` names its parent ministry or division (English, Chinese, Urdu)."""
    names = {
        "authority": authority.name_en,
        "ministry": ministry[0],
        "ministry_zh": ministry[1] or ministry[0],
        "ministry_ur": ministry[2] or ministry[0],
    }
    routes = []
    for counterpart, (title, offices) in SEED_ROUTES.items():
        existing = ApprovalRoute.objects.filter(authority=authority, counterpart=counterpart, is_active=True).first()
        if existing is not None:
            routes.append(existing)
            continue
        route = ApprovalRoute.objects.create(
            authority=authority, counterpart=counterpart, name_en=title[0], name_zh=title[1], name_ur=title[2]
        )
        ApprovalRouteStep.objects.bulk_create(
            ApprovalRouteStep(
                route=route,
                position=position,
                name_en=office[0].format(**names),
                name_zh=office[1].format(**names),
                name_ur=office[2].format(**names),
            )
            for position, office in enumerate(offices, start=1)
        )
        routes.append(route)
    return routes
