"""What the plan starts from: the person's resources and needs as the latest completed
assessment recorded them (SPEC §4.5: "resources and needs, carried from the assessment")."""

from __future__ import annotations

from oppfolging.people.models import Person
from oppfolging.referrals.checklist import BY_KEY, CHALLENGES, RESOURCES
from oppfolging.referrals.models import Assessment, AssessmentStatus


def from_assessment(person: Person) -> tuple[str, str]:
    """(resources, needs) as text, one paragraph per filled checklist section, headed by it."""
    assessment = (
        Assessment.all_tenants.filter(person=person, status=AssessmentStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    if assessment is None:
        return "", ""
    parts: dict[str, list[str]] = {RESOURCES: [], CHALLENGES: []}
    for section in assessment.sections(manager="all_tenants").exclude(text="").order_by("id"):
        spec = BY_KEY.get(section.key)
        if spec is not None and spec.group in parts:
            parts[spec.group].append(f"{spec.label}: {section.text}")
    return "\n\n".join(parts[RESOURCES]), "\n\n".join(parts[CHALLENGES])
