"""Words for the plan's history: what each kind of object, field, action and stored value is
called in the UI. A snapshot (:mod:`oppfolging.plans.history`) stores plain values — choice keys,
ISO dates, uuids — so the pages translate them here, with the models' own ``verbose_name`` and
choices as the source, and a few names for snapshot keys that are no model field."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from oppfolging.accounts.models import Role
from oppfolging.audit.models import ROLE_LABELS
from oppfolging.plans.models import (
    AuthorKind,
    CarePlan,
    Evaluation,
    Goal,
    Measure,
    PlanComment,
    PlanLink,
    PlanPeriod,
    SubGoal,
    Transition,
)

# The kinds of object in a snapshot (see history._objects) and the model each one is.
KIND_MODELS: dict[str, type[models.Model]] = {
    "plan": CarePlan,
    "goal": Goal,
    "period": PlanPeriod,
    "sub_goal": SubGoal,
    "measure": Measure,
    "link": PlanLink,
    "transition": Transition,
    "comment": PlanComment,
    "evaluation": Evaluation,
}

# Snapshot keys that are no model field, or a field without a Norwegian verbose_name.
EXTRA_FIELD_LABELS = {
    "author_kind": gettext_lazy("skrevet av"),
    "author_label": gettext_lazy("navn på den som skrev"),
    "responsible": gettext_lazy("ansvarlig person"),
    "sub_goal": gettext_lazy("delmål"),
    "goal": gettext_lazy("gjelder målet"),
    "at": gettext_lazy("skrevet"),
    "receiving": gettext_lazy("mottakende enhet"),
    "next_coordinator": gettext_lazy("ny koordinator"),
    "results": gettext_lazy("antall resultater"),
    "number": gettext_lazy("periode nr."),
}

# The field whose value names an object of the kind ("the goal «…»").
NAMING_FIELD = {
    "goal": "text",
    "sub_goal": "text",
    "measure": "description",
    "link": "title",
    "comment": "text",
}

# What a version did, by the ``action`` key services record; unknown keys read as a change.
ACTION_LABELS: dict[str, Any] = {
    "plan.create": gettext_lazy("Planen ble opprettet"),
    "plan.update": gettext_lazy("Planens tekst ble endret"),
    "plan.activate": gettext_lazy("Planen ble tatt i bruk"),
    "plan.close": gettext_lazy("Planen ble avsluttet"),
    "goal.add": gettext_lazy("Mål lagt til"),
    "goal.update": gettext_lazy("Mål endret"),
    "period.add": gettext_lazy("Planperiode lagt til"),
    "period.update": gettext_lazy("Planperiode endret"),
    "sub_goal.add": gettext_lazy("Delmål lagt til"),
    "sub_goal.update": gettext_lazy("Delmål endret"),
    "measure.add": gettext_lazy("Tiltak lagt til"),
    "measure.update": gettext_lazy("Tiltak endret"),
    "link.add": gettext_lazy("Kobling til annen plan lagt til"),
    "comment.add": gettext_lazy("Kommentar skrevet"),
    "evaluation.record": gettext_lazy("Evaluering registrert"),
    "minutes.apply": gettext_lazy("Endringer fra møtereferat lagt inn"),
    "transition.add": gettext_lazy("Overgang planlagt"),
    "transition.complete": gettext_lazy("Overgang gjennomført"),
    "transition.cancel": gettext_lazy("Overgang avlyst"),
}

CHANGE_LABELS = {
    "added": pgettext_lazy("plan history", "Lagt til"),
    "changed": pgettext_lazy("plan history", "Endret"),
    "removed": pgettext_lazy("plan history", "Fjernet"),
}

SHORT = 60
# Fields that follow from another change the summary already names (activating sets the status).
NOT_SUMMARISED = frozenset({("plan", "activated_at")})
NOTHING = "\u2013"  # en dash: no value


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else _("Endring i planen")


def role_label(role: str) -> str:
    labels = {**dict(Role.choices), **ROLE_LABELS}
    return str(labels.get(role, role or NOTHING))


def author_kind_label(kind: str) -> str:
    return str(dict(AuthorKind.choices).get(kind, kind))


def kind_label(kind: str) -> str:
    model = KIND_MODELS.get(kind)
    if model is None:
        return kind
    return str(capfirst(model._meta.verbose_name))


def _field(kind: str, name: str) -> models.Field[Any, Any] | None:
    model = KIND_MODELS.get(kind)
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(kind: str, name: str, *, capital: bool = True) -> str:
    if name in EXTRA_FIELD_LABELS:
        label = str(EXTRA_FIELD_LABELS[name])
    else:
        field = _field(kind, name)
        label = str(field.verbose_name) if field is not None else name
    return str(capfirst(label)) if capital else label


def is_text_field(kind: str, name: str) -> bool:
    """Free text the user writes, where a word-level difference helps the reader."""
    field = _field(kind, name)
    return isinstance(field, models.TextField | models.CharField) and not field.choices


def display_value(kind: str, name: str, value: Any, names: Mapping[str, str] | None = None) -> str:
    """A stored snapshot value as the UI shows it: choice labels, local dates, yes/no, and uuids
    of other objects by their names (``names``) where the page knows them."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    field = _field(kind, name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name in ("sub_goal", "goal"):
        return (names or {}).get(str(value), _("(et annet)"))
    if isinstance(field, models.DateTimeField) or name == "at":
        return _datetime(str(value))
    if isinstance(field, models.DateField):
        return _date(str(value))
    return str(value)


def _date(value: str) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


def _datetime(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def shorten(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def object_label(kind: str, label: str) -> str:
    """How one object is named in a summary line: "Mål «Klare meg selv»", "Planperiode 2"."""
    if kind == "plan" or not label:
        return kind_label(kind)
    if kind == "period":
        return f"{kind_label(kind)} {label}"
    if kind == "transition":
        return f"{kind_label(kind)}: {display_value(kind, 'kind', label)}"
    return f"{kind_label(kind)} «{shorten(label, 40)}»"


def change_summary(change: Mapping[str, Any]) -> list[str]:
    """Readable lines for one entry of :func:`oppfolging.plans.history.diff`, e.g.
    «Mål endret: «Gå tur» → «Gå tur hver dag»»."""
    kind, label, what = change["kind"], change.get("label", ""), change["change"]
    if what == "added":
        if kind == "plan":
            return [_("Planen ble opprettet")]
        return [_("%(object)s lagt til") % {"object": object_label(kind, label)}]
    if what == "removed":
        return [_("%(object)s fjernet") % {"object": object_label(kind, label)}]
    lines = []
    naming = NAMING_FIELD.get(kind)
    for field in change.get("fields", []):
        name = field["field"]
        if (kind, name) in NOT_SUMMARISED:
            continue
        before = shorten(display_value(kind, name, field["before"]))
        after = shorten(display_value(kind, name, field["after"]))
        if name == naming:
            lines.append(
                _("%(kind)s endret: «%(before)s» → «%(after)s»")
                % {"kind": kind_label(kind), "before": before, "after": after}
            )
        elif kind == "plan":
            lines.append(
                _("%(field)s endret: «%(before)s» → «%(after)s»")
                % {"field": field_label(kind, name), "before": before, "after": after}
            )
        else:
            lines.append(
                _("%(object)s: %(field)s endret fra «%(before)s» til «%(after)s»")
                % {
                    "object": object_label(kind, label),
                    "field": field_label(kind, name, capital=False),
                    "before": before,
                    "after": after,
                }
            )
    return lines


def summary_lines(changes: Sequence[Mapping[str, Any]], limit: int = 6) -> tuple[list[str], int]:
    """The first ``limit`` lines of a version's changes and how many more there are."""
    lines = [line for change in changes for line in change_summary(change)]
    return lines[:limit], max(0, len(lines) - limit)
