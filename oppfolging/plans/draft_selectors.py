"""Reads of form drafts (see :mod:`oppfolging.plans.draft_services`): a user's own draft of one
form, to offer back when they open the form again."""

from __future__ import annotations

from dataclasses import dataclass

from oppfolging.accounts.models import User
from oppfolging.people.models import Person
from oppfolging.plans.models import FormDraft


def draft_for(user: User | None, key: str, person: Person | None = None) -> FormDraft | None:
    """The user's draft of the form named ``key`` (about ``person``, when given), or None."""
    if user is None:
        return None
    drafts = FormDraft.all_tenants.filter(user=user, key=key)
    if person is not None:
        drafts = drafts.filter(person=person)
    return drafts.first()


@dataclass(frozen=True)
class DraftOffer:
    """What ``plans/plan/_draft_offer.html`` shows: a draft and where to use or discard it."""

    draft: FormDraft
    use_url: str  # the form opened with the draft's text (``?utkast=1``)
    discard_url: str  # ``plans:draft``
    target: str  # the element htmx swaps when the draft is used
    behind: bool  # the part was saved after the draft was begun

    @property
    def key(self) -> str:
        return self.draft.key
