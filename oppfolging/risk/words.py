"""The risk engine's words: what each model feature (a score's factors) and each guideline flag
means, in Norwegian bokmål msgids (English comes through the catalogues).

- ``FACTOR_WORDS[feature]``: the feature's name, e.g. «Antall faste legemidler».
- ``describe_factor(feature, value)``: the feature with the person's value, e.g. «6 faste legemidler».
- ``FLAG_WORDS[key]``: the rule's name, e.g. «Fire eller flere faste legemidler».
- ``FLAG_REASONS[key]`` / ``flag_reason(key, values)``: why it fired for this person, with the numbers.
- ``DEFICIT_WORDS[deficit]``: the eFI's 36 deficits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

FACTOR_WORDS: dict[str, Promise] = {
    "age_0_17": gettext_lazy("Alder under 18 år"),
    "age_50_66": gettext_lazy("Alder 50-66 år"),
    "age_67_79": gettext_lazy("Alder 67-79 år"),
    "age_80_89": gettext_lazy("Alder 80-89 år"),
    "age_90_plus": gettext_lazy("Alder 90 år eller mer"),
    "male": gettext_lazy("Mann"),
    "cond_heart_failure": gettext_lazy("Hjertesvikt"),
    "cond_copd_asthma": gettext_lazy("KOLS eller astma"),
    "cond_diabetes": gettext_lazy("Diabetes"),
    "cond_dementia": gettext_lazy("Demens"),
    "cond_chronic_kidney_disease": gettext_lazy("Kronisk nyresykdom"),
    "cond_cancer": gettext_lazy("Kreft"),
    "cond_stroke": gettext_lazy("Hjerneslag eller TIA"),
    "cond_coronary_heart_disease": gettext_lazy("Koronarsykdom"),
    "cond_atrial_fibrillation": gettext_lazy("Atrieflimmer"),
    "cond_severe_mental_illness": gettext_lazy("Alvorlig psykisk lidelse"),
    "cond_substance_use": gettext_lazy("Rusmiddelproblem"),
    "cond_depression": gettext_lazy("Depresjon"),
    "cond_epilepsy": gettext_lazy("Epilepsi"),
    "cond_rheumatoid_arthritis": gettext_lazy("Revmatoid artritt eller Bekhterevs sykdom"),
    "cond_chronic_liver_disease": gettext_lazy("Kronisk leversykdom"),
    "n_conditions": gettext_lazy("Antall langvarige sykdomsgrupper"),
    "n_regular_medicines": gettext_lazy("Antall faste legemidler"),
    "emergency_admissions_12m": gettext_lazy("Øyeblikkelig hjelp-innleggelser siste 12 måneder"),
    "out_of_hours_12m": gettext_lazy("Legevaktkontakter siste 12 måneder"),
    "frailty_mild": gettext_lazy("Lett skrøpelighet (eFI)"),
    "frailty_moderate": gettext_lazy("Moderat skrøpelighet (eFI)"),
    "frailty_severe": gettext_lazy("Alvorlig skrøpelighet (eFI)"),
    "service_hours_week": gettext_lazy("Timer kommunale tjenester per uke"),
    "n_service_kinds": gettext_lazy("Antall ulike kommunale tjenester"),
}

FLAG_WORDS: dict[str, Promise] = {
    "polypharmacy": gettext_lazy("Fire eller flere faste legemidler"),
    "several_units": gettext_lazy("Tjenester fra flere enheter"),
    "repeated_emergency": gettext_lazy("Gjentatte øyeblikkelig hjelp-kontakter"),
    "multimorbidity": gettext_lazy("Flere langvarige sykdommer"),
    "psychosocial": gettext_lazy("Psykososiale problemer"),
    "frailty": gettext_lazy("Moderat eller alvorlig skrøpelighet"),
}

# Python-format msgids with the named numbers of each rule (flags.RULES[...].inputs).
FLAG_REASONS: dict[str, Promise] = {
    "polypharmacy": gettext_lazy(
        "%(n_regular_medicines)s faste legemidler (4 eller flere): vurder legemiddelgjennomgang"
    ),
    "several_units": gettext_lazy("%(n_service_kinds)s ulike kommunale tjenester samtidig"),
    "repeated_emergency": gettext_lazy(
        "%(emergency_admissions_12m)s øyeblikkelig hjelp-innleggelser og %(out_of_hours_12m)s "
        "legevaktkontakter siste 12 måneder"
    ),
    "multimorbidity": gettext_lazy("%(n_conditions)s langvarige sykdomsgrupper registrert"),
    "psychosocial": gettext_lazy("Alvorlig psykisk lidelse eller rusmiddelproblem registrert"),
    "frailty": gettext_lazy("Skrøpelighetsindeks %(frailty_index)s (%(n_deficits)s av 36 mangler)"),
}

DEFICIT_WORDS: dict[str, Promise] = {
    "activity_limitation": gettext_lazy("Nedsatt aktivitet"),
    "anaemia": gettext_lazy("Anemi"),
    "arthritis": gettext_lazy("Leddsykdom (artritt, artrose)"),
    "atrial_fibrillation": gettext_lazy("Atrieflimmer"),
    "cerebrovascular_disease": gettext_lazy("Karsykdom i hjernen"),
    "chronic_kidney_disease": gettext_lazy("Kronisk nyresykdom"),
    "diabetes": gettext_lazy("Diabetes"),
    "dizziness": gettext_lazy("Svimmelhet"),
    "dyspnoea": gettext_lazy("Tung pust"),
    "falls": gettext_lazy("Fall"),
    "foot_problems": gettext_lazy("Fotproblemer"),
    "fragility_fracture": gettext_lazy("Lavenergibrudd"),
    "hearing_impairment": gettext_lazy("Nedsatt hørsel"),
    "heart_failure": gettext_lazy("Hjertesvikt"),
    "heart_valve_disease": gettext_lazy("Hjerteklaffsykdom"),
    "housebound": gettext_lazy("Bundet til hjemmet"),
    "hypertension": gettext_lazy("Høyt blodtrykk"),
    "hypotension_syncope": gettext_lazy("Lavt blodtrykk eller besvimelse"),
    "ischaemic_heart_disease": gettext_lazy("Iskemisk hjertesykdom"),
    "memory_cognitive_problems": gettext_lazy("Hukommelses- og kognitive problemer"),
    "mobility_transfer_problems": gettext_lazy("Problemer med å gå og forflytte seg"),
    "osteoporosis": gettext_lazy("Benskjørhet"),
    "parkinsonism_tremor": gettext_lazy("Parkinsonisme og skjelving"),
    "peptic_ulcer": gettext_lazy("Magesår"),
    "peripheral_vascular_disease": gettext_lazy("Perifer karsykdom"),
    "polypharmacy": gettext_lazy("Fem eller flere faste legemidler"),
    "requirement_for_care": gettext_lazy("Behov for pleie og omsorg"),
    "respiratory_disease": gettext_lazy("Lungesykdom"),
    "skin_ulcer": gettext_lazy("Hudsår"),
    "sleep_disturbance": gettext_lazy("Søvnproblemer"),
    "social_vulnerability": gettext_lazy("Sosial sårbarhet"),
    "thyroid_disease": gettext_lazy("Stoffskiftesykdom"),
    "urinary_incontinence": gettext_lazy("Urinlekkasje"),
    "urinary_system_disease": gettext_lazy("Sykdom i urinveiene"),
    "visual_impairment": gettext_lazy("Nedsatt syn"),
    "weight_loss_anorexia": gettext_lazy("Vekttap og dårlig matlyst"),
}


def _count(value: Any) -> int:
    return round(float(value))


def describe_factor(feature: str, value: Any) -> str:
    """The feature with the person's value, in words (raises KeyError for an unknown feature)."""
    label = FACTOR_WORDS[feature]
    if feature == "n_conditions":
        n = _count(value)
        return ngettext("%(count)s langvarig sykdomsgruppe", "%(count)s langvarige sykdomsgrupper", n) % {
            "count": n
        }
    if feature == "n_regular_medicines":
        n = _count(value)
        return ngettext("%(count)s fast legemiddel", "%(count)s faste legemidler", n) % {"count": n}
    if feature == "emergency_admissions_12m":
        n = _count(value)
        return ngettext(
            "%(count)s øyeblikkelig hjelp-innleggelse siste 12 måneder",
            "%(count)s øyeblikkelig hjelp-innleggelser siste 12 måneder",
            n,
        ) % {"count": n}
    if feature == "out_of_hours_12m":
        n = _count(value)
        return ngettext(
            "%(count)s legevaktkontakt siste 12 måneder", "%(count)s legevaktkontakter siste 12 måneder", n
        ) % {"count": n}
    if feature == "n_service_kinds":
        n = _count(value)
        return ngettext("%(count)s kommunal tjeneste", "%(count)s ulike kommunale tjenester", n) % {
            "count": n
        }
    if feature == "service_hours_week":
        return _("%(hours)s timer kommunale tjenester per uke") % {
            "hours": number_format(round(float(value), 1), decimal_pos=1)
        }
    return str(label)


def flag_reason(key: str, values: Mapping[str, Any]) -> str:
    """Why flag ``key`` fired, with the person's numbers (``values``: the rule's input columns)."""
    numbers: dict[str, Any] = {}
    for name, value in values.items():
        if name == "frailty_index":
            numbers[name] = number_format(round(float(value), 2), decimal_pos=2)
        elif value is None:
            numbers[name] = 0
        else:
            numbers[name] = _count(value) if isinstance(value, int | float) else value
    return str(FLAG_REASONS[key]) % numbers
