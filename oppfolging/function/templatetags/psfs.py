"""How PSFS numbers are written: up to two decimals in the language's own way (4,67 in
Norwegian), a change with its sign, and whether one activity's change is a real change."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

from oppfolging.function.scoring import REAL_CHANGE_ACTIVITY

register = template.Library()

DASH = "\u2013"  # for no value
MINUS = "\u2212"


@register.filter
def score(value: float | None) -> str:
    if value is None:
        return DASH
    return str(floatformat(value, "-2"))


@register.filter
def signed_score(value: float | int | None) -> str:
    """+1,67 / -2 / 0, with a true minus sign (U+2212) that screen readers read as minus."""
    if value is None:
        return DASH
    text = str(floatformat(abs(value), "-2"))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def real_activity_change(value: int | None) -> bool:
    return value is not None and abs(value) >= REAL_CHANGE_ACTIVITY
