"""Words for what the work-lists and the population view show: tiers, frailty bands, and the
factors and flags of a score.

The factors' and flags' own words live in :mod:`oppfolging.risk.words` (the engine's); this
module only turns a stored score's JSON into those words, and falls back to the raw key for a
feature or flag the words do not know, so that a new rule never breaks a page.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oppfolging.risk import words

# The risk pyramid's tiers (Kaiser Permanente's pyramid, as the engine assigns them).
TIER_LABELS: dict[int, Promise] = {
    1: gettext_lazy("Nivå 1: lav risiko"),
    2: gettext_lazy("Nivå 2: moderat risiko"),
    3: gettext_lazy("Nivå 3: høy risiko"),
    4: gettext_lazy("Nivå 4: svært høy risiko"),
}
# eFI bands (Clegg et al., Age Ageing 2016).
BAND_LABELS: dict[str, Promise] = {
    "fit": gettext_lazy("Ikke skrøpelig"),
    "mild": gettext_lazy("Lett skrøpelig"),
    "moderate": gettext_lazy("Moderat skrøpelig"),
    "severe": gettext_lazy("Alvorlig skrøpelig"),
}
SEX_LABELS: dict[str, Promise] = {"female": gettext_lazy("Kvinne"), "male": gettext_lazy("Mann")}


def tier_label(tier: int) -> str:
    label = TIER_LABELS.get(tier)
    return str(label) if label is not None else _("Nivå %(tier)s") % {"tier": tier}


def band_label(band: str) -> str:
    label = BAND_LABELS.get(band)
    return str(label) if label is not None else band


def sex_label(sex: str) -> str:
    label = SEX_LABELS.get(sex)
    return str(label) if label is not None else sex


def percent(share: float) -> str:
    """0.234 -> "23 %" (whole percent; below one percent as "<1 %")."""
    value = share * 100
    if 0 < value < 1:
        return "<1 %"
    return f"{number_format(round(value), 0)} %"


def _key(item: Any, name: str) -> str:
    if isinstance(item, dict):
        return str(item.get(name, ""))
    return str(item)


def factor_key(factor: Any) -> str:
    return _key(factor, "feature")


def flag_key(flag: Any) -> str:
    return _key(flag, "key")


def factor_text(factor: Any) -> str:
    """A stored factor ({"feature", "value", "contribution"}) in words, with its value when the
    score kept it."""
    feature = factor_key(factor)
    value = factor.get("value") if isinstance(factor, dict) else None
    if value is not None:
        try:
            return str(words.describe_factor(feature, value))
        except (KeyError, TypeError, ValueError):
            pass
    label = words.FACTOR_WORDS.get(feature)
    return str(label) if label is not None else feature


def flag_text(flag: Any) -> str:
    key = flag_key(flag)
    label = words.FLAG_WORDS.get(key)
    return str(label) if label is not None else key


def flag_reason(flag: Any) -> str:
    """The rule's reason for this person (e.g. "5 faste legemidler"), when the score kept one."""
    return str(flag.get("reason", "")) if isinstance(flag, dict) else ""


def flag_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in words.FLAG_WORDS.items()]
