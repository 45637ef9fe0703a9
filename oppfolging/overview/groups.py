"""The overview's target groups and stages, with the words that explain how each is derived.

There is no diagnosis field yet (diagnoses come with risk stratification, SPEC §4.1), so the
target groups are derived from what is recorded, and the page says so. The derivations are in
:func:`oppfolging.overview.selectors.group_q` and :func:`_stage_q`; the texts here must match.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Barn og unge")
    MENTAL_HEALTH = "mental_health", _("Psykisk helse og rus")
    FRAIL_ELDERLY = "frail_elderly", _("Skrøpelige eldre")
    CHRONIC = "chronic", _("Kroniske tilstander")


GROUP_HELP = {
    TargetGroup.CHILDREN: _("Under 18 år i dag."),
    TargetGroup.MENTAL_HEALTH: _(
        "Noen fra en enhet for psykisk helse og rus er aktivt medlem i personens team, "
        "eller en melding om personen kom fra en slik enhet."
    ),
    TargetGroup.FRAIL_ELDERLY: _("75 år eller eldre i dag (bare alder: skrøpelighet er ikke kartlagt ennå)."),
    TargetGroup.CHRONIC: _(
        "En fullført kartlegging konkluderte med behov for langvarige og koordinerte tjenester. "
        "Det er ikke en diagnose."
    ),
}


class Stage(models.TextChoices):
    REPORTED = "reported", _("Meldt, ikke påbegynt")
    BEING_ASSESSED = "being_assessed", _("Under kartlegging")
    DECIDED = "decided", _("Vedtak fattet")
    COORDINATOR_PROPOSED = "coordinator_proposed", _("Koordinator foreslått, venter på leder")
    COORDINATOR = "coordinator", _("Har koordinator")
    TEAM = "team", _("Har team")


STAGE_HELP = {
    Stage.REPORTED: _("Har en melding med status mottatt."),
    Stage.BEING_ASSESSED: _("Har en melding under vurdering eller en kartlegging som pågår."),
    Stage.DECIDED: _("Har minst ett vedtak, eller en melding med vedtak fattet."),
    Stage.COORDINATOR_PROPOSED: _("En koordinator er foreslått og venter på leders godkjenning."),
    Stage.COORDINATOR: _("Har en oppnevnt koordinator."),
    Stage.TEAM: _("Har et oppfølgingsteam med minst ett aktivt medlem."),
}
