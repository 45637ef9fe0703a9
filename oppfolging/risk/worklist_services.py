"""The two actions on a work-list entry: report a need, or mark the person reviewed.

A report goes into the pathway's one queue through the same service as every other report
(:func:`oppfolging.referrals.report_services.report_create`), which registers the person from
the extract's number when they are not registered yet; the subject is then linked to that
person, and the open report keeps them off the lists. A review holds while the subject's data
are what they were when it was made (``data_hash``). Both are recorded in the audit log: the
report by the report service, the review here (``risk.review``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_record
from oppfolging.referrals import report_services
from oppfolging.referrals.models import Knowledge, NeedReport, ReportChannel, ReportKind, ReportSource
from oppfolging.referrals.report_selectors import OPEN_STATUSES
from oppfolging.risk.access import GP_ROLE, SubjectAccess, reporting_unit
from oppfolging.risk.models import Review, RiskSubject
from oppfolging.risk.subject_selectors import ScoreView
from oppfolging.risk.worklist_selectors import current_hash_of, latest_score_of


def requested_text() -> str:
    return _("Tverrfaglig kartlegging")


def default_reason_without_knowledge() -> str:
    return _(
        "Personen er funnet ved forebyggende risikokartlegging og er ikke kontaktet ennå. "
        "Kartleggingen avklarer om personen ønsker oppfølging."
    )


def observed_text(current: ScoreView | None) -> str:
    """The report's «observed», prefilled from the score: what weighed most and which of the
    guideline's criteria the person meets, in words, marked as decision support."""
    if current is None:
        return _("Funnet ved forebyggende risikokartlegging (beslutningsstøtte, ikke en beslutning).")
    parts = [
        _("Funnet ved forebyggende risikokartlegging %(date)s (beslutningsstøtte, ikke en beslutning).")
        % {"date": date_format(current.computed_on, "SHORT_DATE_FORMAT")},
        _("Beregnet risiko for øyeblikkelig hjelp-innleggelse de neste 12 månedene: %(risk)s.")
        % {"risk": current.risk_percent},
        _("Skrøpelighet: %(band)s.") % {"band": current.band_label},
    ]
    factors = [text for text, _contribution in current.factors]
    if factors:
        parts.append(_("Det som veide mest: %(factors)s.") % {"factors": "; ".join(factors)})
    flags = [f"{text} ({reason})" if reason else text for text, reason in current.flags]
    if flags:
        parts.append(_("Kriterier i veilederen: %(flags)s.") % {"flags": "; ".join(flags)})
    return "\n".join(parts)


@transaction.atomic
def report_from_subject(
    *,
    actor: Actor,
    access: SubjectAccess,
    observed: str,
    requested: str,
    agrees: bool,
    reason_without_knowledge: str = "",
    given_name: str = "",
    family_name: str = "",
) -> NeedReport:
    """Report the subject's need to the municipality's queue in one step: register the person
    when needed (names from the form), record the report with the GP or KE as reporter, link
    the subject to the person. Refused when the person already has an open report."""
    subject = RiskSubject.all_tenants.select_for_update().get(pk=access.subject.pk)
    person = subject.person
    if person is not None and NeedReport.all_tenants.filter(person=person, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("Personen har allerede en åpen melding om behov i mottaket."))
    unit = reporting_unit(actor, access.role)
    if unit is None:
        raise ValidationError(_("Du har ingen enhet å melde fra i denne rollen."))
    if person is not None:
        given_name, family_name = person.given_name, person.family_name
    report = report_services.report_create(
        actor=actor,
        municipality=access.subject.municipality,
        national_id=subject.national_id,
        given_name=given_name,
        family_name=family_name,
        kind=ReportKind.NEED,
        reporter_unit=unit,
        reporter_role=_("Fastlege") if access.role == GP_ROLE else _("Koordinerende enhet"),
        source=ReportSource.STAFF,
        channel=ReportChannel.WRITTEN,
        observed=observed,
        requested=requested,
        knowledge=Knowledge.KNOWS_AND_AGREES if agrees else Knowledge.DOES_NOT_KNOW,
        reason_without_knowledge="" if agrees else reason_without_knowledge,
    )
    if subject.person_id != report.person_id:
        subject.person = report.person
        subject.save(update_fields=["person", "updated_at"])
    return report


@transaction.atomic
def review_create(*, actor: Actor, access: SubjectAccess, reason: str) -> Review:
    """«Vurdert»: no report now. Keeps the subject off the lists until their data change."""
    if actor.user is None:
        raise PermissionError("no user")
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor personen ikke meldes nå.")})
    subject = access.subject
    review = Review.all_tenants.create(
        municipality_id=subject.municipality_id,
        subject=subject,
        reviewed_by=actor.user,
        reason=reason.strip(),
        data_hash=current_hash_of(subject, latest_score_of(subject)),
    )
    audit_record(
        actor=actor.user,
        action=AuditAction.CREATE,
        what="risk.review",
        role=access.role,
        person=subject.person,
        municipality=subject.municipality,
        object_uuid=review.uuid,
        detail={"subject": str(subject.uuid)},
    )
    return review
