"""Reads of the plan's history: the list of versions, and the plan as it stood on a date or after a
version, with the differences from another version.

Whoever may read the plan's content may read its history. A former team member sees it only up
to when they left (``access.until``): later versions are not listed, and a later date or version
shows the plan as it stood when they left. Opening either page is recorded in the audit log."""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oppfolging.access.actor import Actor
from oppfolging.access.persons import Need, PersonAccess, access_person
from oppfolging.audit.models import AuditAction
from oppfolging.audit.services import audit_person_write
from oppfolging.lib.textdiff import Segment, after_side, before_side, diff_words
from oppfolging.plans import history_labels as labels
from oppfolging.plans.history import Snapshot, diff, versions_listing
from oppfolging.plans.models import CarePlan, PlanVersion
from oppfolging.plans.plan_display import Contribution, PlanContent, content_from_snapshot
from oppfolging.plans.plan_selectors import may_read_plan
from oppfolging.plans.services import may_edit, user_of

PAGE_SIZE = 50


# The person and the relatives who take part read their plan's history too (their own view
# of the plan is the portal; the staff page's readers are plan_selectors.may_read_plan's).
CITIZEN_READER_ROLES = frozenset({"self", "guardian", "relative"})


def may_read_history(access: PersonAccess) -> bool:
    return may_read_plan(access) or (
        Need.CASE_CONTENT in access.needs and bool(access.roles & CITIZEN_READER_ROLES)
    )


def plan_reader(actor: Actor, person_uuid: uuid.UUID | str) -> tuple[PersonAccess, CarePlan]:
    """The person's access and plan for someone who may read the plan's content; Http404 for
    "missing or not yours", and when the person has no plan."""
    access = access_person(actor, person_uuid, Need.CASE_CONTENT)
    if not may_read_history(access):
        raise Http404
    plan = CarePlan.objects.filter(person=access.person).first()
    if plan is None:
        raise Http404
    return access, plan


def plan_editor(actor: Actor, person_uuid: uuid.UUID | str) -> tuple[PersonAccess, CarePlan]:
    """As :func:`plan_reader`, for the coordinator only (everyone else: Http404)."""
    access, plan = plan_reader(actor, person_uuid)
    if not may_edit(access):
        raise Http404
    return access, plan


def visible_versions(plan: CarePlan, access: PersonAccess) -> QuerySet[PlanVersion]:
    """The versions the reader may see, newest first, without their snapshots."""
    versions = versions_listing(plan)
    if access.until is not None:
        versions = versions.filter(at__lte=access.until)
    return versions


# --- The list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    number: int
    at: datetime.datetime
    actor_label: str
    role_label: str
    author_kind_label: str
    action_label: str
    summary: list[str]
    more: int


@dataclass(frozen=True)
class HistoryPage:
    rows: list[VersionRow]
    number: int
    num_pages: int
    total: int
    until: datetime.datetime | None

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.num_pages else None

    @property
    def page_links(self) -> list[int | None]:
        """First, last and two either side of the current page; ``None`` marks a gap."""
        wanted = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        links: list[int | None] = []
        for n in sorted(n for n in wanted if 1 <= n <= self.num_pages):
            if links and links[-1] is not None and n - links[-1] > 1:
                links.append(None)
            links.append(n)
        return links


def _row(version: PlanVersion) -> VersionRow:
    summary, more = labels.summary_lines(version.changes)
    return VersionRow(
        number=version.number,
        at=version.at,
        actor_label=version.actor_label or labels.NOTHING,
        role_label=labels.role_label(version.role),
        author_kind_label=labels.author_kind_label(version.author_kind),
        action_label=labels.action_label(version.action),
        summary=summary,
        more=more,
    )


def history_page(*, actor: Actor, access: PersonAccess, plan: CarePlan, page: int = 1) -> HistoryPage:
    """One page of the versions, newest first, in two queries however many there are."""
    versions = visible_versions(plan, access)
    total = versions.count()
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(1, page), num_pages)
    offset = (number - 1) * PAGE_SIZE
    rows = [_row(version) for version in versions[offset : offset + PAGE_SIZE]]
    audit_person_write(
        user=user_of(actor),
        access=access,
        action=AuditAction.VIEW,
        what="plan.history",
        about=plan.uuid,
        detail={"page": number},
    )
    return HistoryPage(rows=rows, number=number, num_pages=num_pages, total=total, until=access.until)


# --- The plan as of a date or version -------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    # Word-level pieces of free text, when both sides have some: the old text with its
    # deletions, the new with its insertions. Empty for other fields.
    before_pieces: list[Segment] = field(default_factory=list)
    after_pieces: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeView:
    kind_label: str
    object_label: str
    change: str
    change_label: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class AsOfPage:
    version: PlanVersion
    latest_number: int
    asked_date: datetime.date | None
    capped: bool  # a former member asked for more than they may see
    content: PlanContent
    reading: ReadOnlyPlan
    transitions: list[dict[str, str]]
    base_number: int  # 0: compared with nothing (the first version)
    target_number: int
    changes: list[ChangeView]
    compared: bool  # with ``?sammenlign``, not the version before


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _names(*snapshots: Snapshot) -> dict[str, str]:
    """uuid → text of every goal and sub-goal, to name the ones a measure or comment refers to."""
    names: dict[str, str] = {}
    for snapshot in snapshots:
        for goal in snapshot.get("goals", []):
            names[goal["uuid"]] = labels.shorten(goal["text"])
        for period in snapshot.get("periods", []):
            for sub_goal in period.get("sub_goals", []):
                names[sub_goal["uuid"]] = labels.shorten(sub_goal["text"])
    return names


def _field_change(kind: str, entry: Mapping[str, Any], names: Mapping[str, str]) -> FieldChange:
    name, before, after = entry["field"], entry["before"], entry["after"]
    change = FieldChange(
        label=labels.field_label(kind, name),
        before=labels.display_value(kind, name, before, names),
        after=labels.display_value(kind, name, after, names),
    )
    if labels.is_text_field(kind, name) and before and after:
        pieces = diff_words(str(before), str(after))
        return FieldChange(
            label=change.label,
            before=change.before,
            after=change.after,
            before_pieces=before_side(pieces),
            after_pieces=after_side(pieces),
        )
    return change


def change_views(before: Snapshot, after: Snapshot) -> list[ChangeView]:
    """The differences from ``before`` to ``after``, field by field, in the UI's words."""
    names = _names(before, after)
    return [
        ChangeView(
            kind_label=labels.kind_label(entry["kind"]),
            object_label=labels.object_label(entry["kind"], entry.get("label", "")),
            change=entry["change"],
            change_label=str(labels.CHANGE_LABELS[entry["change"]]),
            fields=[_field_change(entry["kind"], item, names) for item in entry["fields"]],
        )
        for entry in diff(before, after)
    ]


def _version_at(plan: CarePlan, moment: datetime.datetime) -> PlanVersion | None:
    return PlanVersion.all_tenants.filter(plan=plan, at__lte=moment).order_by("-number").first()


def _chosen_version(
    plan: CarePlan,
    access: PersonAccess,
    latest: PlanVersion,
    *,
    day: datetime.date | None,
    number: int | None,
) -> tuple[PlanVersion, bool]:
    """The version asked for (by date or number), capped at what a former member may see.
    Raises ValidationError with a message for the reader when there is none."""
    until = access.until
    if number is not None:
        if not 1 <= number <= plan.revision:
            raise ValidationError(
                _("Planen har ingen versjon %(number)s. Versjonene går fra 1 til %(latest)s.")
                % {"number": number, "latest": plan.revision}
            )
        version = PlanVersion.all_tenants.get(plan=plan, number=number)
        if until is not None and version.at > until:
            return latest, True
        return version, False
    if day is None:
        raise ValidationError(_("Velg en dato eller et versjonsnummer."))
    if day > timezone.localdate():
        raise ValidationError(_("Velg en dato som ikke er fram i tid."))
    moment = _end_of(day)
    capped = until is not None and until < moment
    found = _version_at(plan, min(moment, until) if until is not None else moment)
    if found is None:
        first = PlanVersion.all_tenants.filter(plan=plan).order_by("number").values_list("at", flat=True)[0]
        raise ValidationError(
            _("Planen fantes ikke ennå %(date)s. Den ble opprettet %(first)s.")
            % {
                "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "first": formats.date_format(timezone.localtime(first), "SHORT_DATE_FORMAT"),
            }
        )
    return found, capped


def as_of_page(
    *,
    actor: Actor,
    access: PersonAccess,
    plan: CarePlan,
    day: datetime.date | None = None,
    number: int | None = None,
    compare: int | None = None,
) -> AsOfPage:
    """The plan as it stood at the end of ``day`` or after version ``number``, with the
    differences from the version before it, or between it and version ``compare``."""
    latest = visible_versions(plan, access).first()
    if latest is None:
        raise ValidationError(
            _("Du kan bare se planen slik den var mens du var med i teamet, og da fantes den ikke ennå.")
        )
    version, capped = _chosen_version(plan, access, latest, day=day, number=number)
    # Overdue is judged as of the day shown, not today.
    on = day or timezone.localdate(version.at)
    if capped and access.until is not None:
        on = min(on, timezone.localdate(access.until))
    if compare is not None and not 1 <= compare <= plan.revision:
        raise ValidationError(
            _("Planen har ingen versjon %(number)s å sammenligne med. Versjonene går fra 1 til %(latest)s.")
            % {"number": compare, "latest": plan.revision}
        )
    if compare is not None and compare > latest.number:
        compare, capped = latest.number, True
    other = compare if compare is not None else version.number - 1
    base_number, target_number = sorted((other, version.number))
    snapshots = dict(
        PlanVersion.all_tenants.filter(plan=plan, number__in=[base_number, target_number]).values_list(
            "number", "snapshot"
        )
    )
    audit_person_write(
        user=user_of(actor),
        access=access,
        action=AuditAction.VIEW,
        what="plan.history",
        about=plan.uuid,
        detail={
            "date": day.isoformat() if day else None,
            "version": version.number,
            "compare": compare,
        },
    )
    content = content_from_snapshot(snapshots[version.number], on)
    return AsOfPage(
        version=version,
        latest_number=latest.number,
        asked_date=day,
        capped=capped,
        content=content,
        reading=ReadOnlyPlan(contributions=content.contributions()),
        transitions=snapshot_transitions(snapshots[version.number]),
        base_number=base_number,
        target_number=target_number,
        changes=change_views(snapshots.get(base_number, {}), snapshots[target_number]),
        compared=compare is not None,
    )


# --- A snapshot for reading -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReadOnlyPlan:
    """What the plan page's partials (``plans/plan/_*.html``) read from their ``page``, for a
    stored version: nothing may be changed from here. The same partials render the live plan,
    so the past view cannot drift from it."""

    contributions: list[Contribution]
    may_edit: bool = False
    may_comment: bool = False
    last_saved: None = None


def snapshot_transitions(snapshot: Snapshot) -> list[dict[str, str]]:
    """The snapshot's transitions with their values in the UI's words."""
    return [
        {
            name: labels.display_value("transition", name, item.get(name))
            for name in ("kind", "planned_on", "overlap_from", "status")
        }
        | {
            "from_description": item.get("from_description", ""),
            "receiving": item.get("receiving", ""),
            "next_coordinator": item.get("next_coordinator", ""),
            "what_to_hand_over": item.get("what_to_hand_over", ""),
        }
        for item in snapshot.get("transitions", [])
    ]
