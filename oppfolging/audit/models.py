"""The audit log: append-only data, not logging.

Rows are written by services inside the same transaction as the change they record, and by the
selectors that read a person's data. The database itself refuses UPDATE and DELETE on this table
(triggers, see migration 0002), so not even a bug in our own code can rewrite history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oppfolging.core.tenancy import TenantManager


class AuditAction(models.TextChoices):
    VIEW = "view", _("Åpnet")
    SEARCH = "search", _("Søkte")
    CREATE = "create", _("Opprettet")
    UPDATE = "update", _("Endret")
    DELETE = "delete", _("Fjernet")
    LOGIN = "login", _("Logget inn")
    LOGIN_FAILED = "login_failed", _("Mislykket innlogging")
    LOGOUT = "logout", _("Logget ut")


# What a row is about, in words the person reading their own access log understands.
WHAT_LABELS = {
    "person": _("Opplysninger om personen"),
    "person.identity": _("Opplysninger om personen, med fullt fødselsnummer"),
    "person.access_log": _("Tilgangsloggen"),
    "relative": _("Pårørende"),
    "session": _("Innlogging"),
    "user": _("Brukerkonto"),
    "membership": _("Rolle i enhet"),
    "unit": _("Enhet"),
    "care_team": _("Oppfølgingsteamet"),
    "team_member": _("Teammedlem"),
    "consent": _("Samtykke"),
    "need_report": _("Melding om behov"),
    "assessment": _("Kartlegging"),
    "assessment.section": _("Del av kartleggingen"),
    "assessment.draft": _("Utkast i kartleggingen"),
    "assessment.participant": _("Deltaker i kartleggingen"),
    "assessment.list": _("Oversikt over kartlegginger"),
    "decision": _("Vedtak"),
    "service_type": _("Tjenestekatalog"),
    "coordinator_assignment": _("Koordinator"),
    "coordinator_training": _("Opplæring av koordinator"),
    "coordinator_registry": _("Koordinatorregister"),
    "ke_overview": _("Oversikten til koordinerende enhet"),
    # The individual plan and the follow-up cycle
    "plan": _("Individuell plan"),
    "plan.goal": _("Mål i planen"),
    "plan.period": _("Planperiode"),
    "plan.sub_goal": _("Delmål i planen"),
    "plan.measure": _("Tiltak i planen"),
    "plan.evaluation": _("Evaluering av planen"),
    "plan.link": _("Kobling til annen plan"),
    "plan.comment": _("Kommentar til planen"),
    "plan.transition": _("Overgang"),
    "plan.history": _("Planens historikk"),
    "plan.draft": _("Utkast i planen"),
    "plan.pdf": _("Planen som PDF"),
    "meeting": _("Møte"),
    "meeting.item": _("Sak i møte"),
    "meeting.participant": _("Deltaker i møte"),
    "meeting.invitation": _("Innkalling til møte"),
    "meeting.minutes": _("Referat fra møte"),
    "meeting.correction": _("Retting av referat"),
    "meeting.change_request": _("Ønske om endring av møte"),
    "meeting.ical": _("Møte i kalenderfil"),
    "function": _("«Hva er viktig for deg?» (PSFS)"),
    "function.activity": _("Aktivitet i PSFS"),
    "function.measurement": _("Skår i PSFS"),
    "function.survey": _("Svar om hvordan oppfølgingen oppleves"),
    "medicine": _("Legemidler"),
    "followup.day": _("Koordinatorens dag"),
    "followup.board": _("Tavlemøte"),
    "notice": _("Varsel"),
    "risk.model": _("Risikomodell"),
    "risk.import": _("Innlesing av uttrekk til risikokartlegging"),
    "risk.score": _("Risikovurdering (beslutningsstøtte)"),
    "risk.review": _("Vurdering fra risikolisten"),
    "risk.population": _("Risikopyramiden (samlede tall)"),
    "indicators.dashboard": _("Indikatorer for ledere (samlede tall)"),
    "indicators.detail": _("Én indikator per enhet og målgruppe (samlede tall)"),
    "indicators.report": _("Indikatorrapport (samlede tall)"),
    "indicators.report_pdf": _("Indikatorrapport som PDF (samlede tall)"),
    "indicators.csv": _("Indikatorer lastet ned som CSV (samlede tall)"),
}
# Roles that are not staff roles (those are labelled by accounts.Role).
ROLE_LABELS = {
    "self": _("Personen selv"),
    "guardian": _("Foresatt"),
    "citizen": _("Innbygger"),
    "coordinator": _("Koordinator"),
    "team_member": _("Teammedlem"),
    "former_team_member": _("Tidligere teammedlem"),
    "relative": _("Pårørende"),
    "system": _("Systemet"),
}


class AuditEvent(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    # No cascades and no SET NULL: either would be an UPDATE/DELETE the triggers refuse.
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("hvem"), max_length=200)
    role = models.CharField(_("i rolle"), max_length=64, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("handling"), max_length=16, choices=AuditAction.choices)
    what = models.CharField(_("hva"), max_length=64)
    object_uuid = models.UUIDField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012

    class Meta:
        verbose_name = _("logghendelse")
        verbose_name_plural = _("logghendelser")
        ordering = ["-occurred_at", "-id"]
        base_manager_name = "all_tenants"
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["municipality", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.what}"

    @property
    def what_label(self) -> str:
        return str(WHAT_LABELS.get(self.what, self.what))

    @property
    def role_label(self) -> str:
        from oppfolging.accounts.models import Role

        labels = {**dict(Role.choices), **ROLE_LABELS}
        return ", ".join(str(labels.get(part, part)) for part in self.role.split(",") if part)
