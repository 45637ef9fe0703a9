"""The guideline's assessment checklist (veileder 6.5, SPEC §4.2) as data.

Section keys are stable identifiers: assessments store their text under them, and the person's
information-sharing consent names them to say which team members may read which parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    group: str
    label: Promise
    help: Promise | str = ""


WISHES = "wishes"
RESOURCES = "resources"
CHALLENGES = "challenges"
COPING = "coping"

GROUP_LABELS = {
    WISHES: _("Ønsker og mål"),
    RESOURCES: _("Ressurser"),
    CHALLENGES: _("Utfordringer"),
    COPING: _("Tiltak som støtter mestring"),
}

SECTIONS: tuple[Section, ...] = (
    Section("wishes", WISHES, _("Hva er viktig for deg?"), _("Personens egne ord: ønsker og mål.")),
    Section("own_resources", RESOURCES, _("Egne ressurser og mestring")),
    Section("family", RESOURCES, _("Familie")),
    Section("social_network", RESOURCES, _("Sosialt nettverk")),
    Section("life_arena", RESOURCES, _("Livsarena: fritid, arbeid, utdanning")),
    Section("economy", RESOURCES, _("Økonomi")),
    Section("medical", CHALLENGES, _("Medisinsk tilstand")),
    Section("physical", CHALLENGES, _("Fysisk funksjon")),
    Section("mental", CHALLENGES, _("Psykisk og psykososial funksjon")),
    Section("cognitive", CHALLENGES, _("Kognitiv funksjon")),
    Section("communication", CHALLENGES, _("Kommunikasjon")),
    Section("nutrition", CHALLENGES, _("Ernæring")),
    Section("dental", CHALLENGES, _("Tannhelse")),
    Section("substance_use", CHALLENGES, _("Rusmiddelbruk")),
    Section("participation", CHALLENGES, _("Deltakelse i fritid, arbeid og utdanning")),
    Section("housing", CHALLENGES, _("Bolig")),
    Section("treatment_burden", CHALLENGES, _("Behandlingsbyrde")),
    Section("coping_family", COPING, _("I et familie- og nettverksperspektiv")),
    Section("coping_information", COPING, _("Informasjon, veiledning og opplæring")),
    Section("coping_technology", COPING, _("Hjelpemidler og velferdsteknologi")),
)

SECTION_KEYS = tuple(section.key for section in SECTIONS)
BY_KEY = {section.key: section for section in SECTIONS}
