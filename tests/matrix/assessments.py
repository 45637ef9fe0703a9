"""The interdisciplinary assessment. Its content is for those who handle the case (the allocation
office while it is in the queue, KE when leading it), the coordinator, and team members for the
sections the person shares with them (an external member only through membership). The list of a
person's assessments is administrative data (KE and the allocation office). Writes are POST only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.matrix import FJORDVIK_INTAKE, LIDAL_INTAKE, STAFF_USERS, Case, only

TEAM_SHARES = {"fjordvik-team": ["wishes", "medical", "participants"], "sykehus": ["medical"]}
PER_CONTENT = ["fjordvik-tildeling"]
PER_TEAM_CONTENT = ["fjordvik-tildeling", "fjordvik-koordinator", "fjordvik-team", "sykehus"]
PER_TEAM_EDIT = ["fjordvik-tildeling", "fjordvik-koordinator"]


def _kwargs(cast: Any, person: str, by: str, *, team: bool = False) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.referrals.tests.test_assessment_support import existing_or_new, give_team
    from oppfolging.teams.models import CareTeam

    assessment = existing_or_new(cast, person, by)
    if team:
        with unscoped():
            has_team = CareTeam.objects.filter(person=cast.persons[person]).exists()
        if not has_team:
            give_team(cast, person, TEAM_SHARES, coordinator="fjordvik-koordinator")
    return {"person_uuid": cast.persons[person].uuid, "assessment_uuid": assessment.uuid}


def per(cast: Any) -> dict[str, Any]:
    return _kwargs(cast, "Per", "fjordvik-tildeling")


def per_team(cast: Any) -> dict[str, Any]:
    return _kwargs(cast, "Per", "fjordvik-tildeling", team=True)


def sigrid(cast: Any) -> dict[str, Any]:
    return _kwargs(cast, "Sigrid", "lidal-tildeling")


def with_key(base: Callable[[Any], dict[str, Any]], key: str) -> Callable[[Any], dict[str, Any]]:
    return lambda cast: {**base(cast), "key": key}


def person_only(base: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    return lambda cast: {"person_uuid": base(cast)["person_uuid"]}


def per_participant(cast: Any) -> dict[str, Any]:
    from oppfolging.core.tenancy import unscoped
    from oppfolging.referrals.models import Assessment, AssessmentParticipant

    kwargs = per(cast)
    with unscoped():
        assessment = Assessment.objects.get(uuid=kwargs["assessment_uuid"])
        participant, _created = AssessmentParticipant.objects.get_or_create(
            municipality_id=assessment.municipality_id, assessment=assessment, name="Lars Lege", is_gp=True
        )
    return {**kwargs, "participant_uuid": participant.uuid}


# The create route takes the person or report in its query string, whose uuids exist only once
# the test database does: the kwargs function fills in the Case's own query dict just before the
# request is made (the matrix calls kwargs first, then sends query).
_PERSON_QUERY: dict[str, str] = {}
_REPORT_QUERY: dict[str, str] = {}


def per_in_query(cast: Any) -> dict[str, Any]:
    _PERSON_QUERY["person"] = str(cast.persons["Per"].uuid)
    return {}


def per_report_in_query(cast: Any) -> dict[str, Any]:
    from oppfolging.referrals.tests.test_assessment_support import make_report

    _REPORT_QUERY["report"] = str(make_report(cast).uuid)
    return {}


POST_ONLY = only(STAFF_USERS, 405)

ENTRIES: dict[str, list[Case]] = {
    "assessments:create": [
        Case("Per", per_in_query, query=_PERSON_QUERY, expect=only(FJORDVIK_INTAKE)),
        Case("Per's report", per_report_in_query, query=_REPORT_QUERY, expect=only(FJORDVIK_INTAKE)),
        Case("no person", expect=only([])),
    ],
    "assessments:list": [
        Case("Per", person_only(per), expect=only(FJORDVIK_INTAKE)),
        Case("Per with a team", person_only(per_team), expect=only([*FJORDVIK_INTAKE, *PER_TEAM_CONTENT])),
        Case("Sigrid", person_only(sigrid), expect=only(LIDAL_INTAKE)),
    ],
    "assessments:detail": [
        Case("Per", per, expect=only(PER_CONTENT)),
        Case("Per with a team", per_team, expect=only(PER_TEAM_CONTENT)),
        Case("Sigrid", sigrid, expect=only(["lidal-tildeling"])),
    ],
    "assessments:section": [
        Case("Per, wishes", with_key(per, "wishes"), expect=only(PER_CONTENT)),
        Case("Per with a team, wishes", with_key(per_team, "wishes"), expect=only(PER_TEAM_CONTENT[:3])),
        Case("Per with a team, medical", with_key(per_team, "medical"), expect=only(PER_TEAM_CONTENT)),
        Case("Per with a team, economy", with_key(per_team, "economy"), expect=only(PER_TEAM_EDIT)),
        Case("Sigrid, wishes", with_key(sigrid, "wishes"), expect=only(["lidal-tildeling"])),
        Case("no such section", with_key(per, "nope"), expect=only([])),
    ],
    "assessments:circumstances": [
        Case("Per", per, expect=only(PER_CONTENT)),
        Case("Per with a team", per_team, expect=only(PER_TEAM_EDIT)),
        Case("Sigrid", sigrid, expect=only(["lidal-tildeling"])),
    ],
    "assessments:conclusion": [
        Case("Per", per, expect=only(PER_CONTENT)),
        Case("Per with a team", per_team, expect=only(PER_TEAM_EDIT)),
        Case("Sigrid", sigrid, expect=only(["lidal-tildeling"])),
    ],
    # POST-only routes: a GET is refused by method before any lookup, so 405 reveals nothing.
    "assessments:draft": [Case("POST only", with_key(per, "wishes"), expect=POST_ONLY)],
    "assessments:participant_add": [Case("POST only", per, expect=POST_ONLY)],
    "assessments:participant_remove": [Case("POST only", per_participant, expect=POST_ONLY)],
    "assessments:complete": [Case("POST only", per, expect=POST_ONLY)],
}
