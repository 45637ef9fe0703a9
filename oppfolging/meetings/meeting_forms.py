"""The meeting form (set up or change a meeting) and the small forms of the meeting page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oppfolging.meetings.meeting_services import MeetingData
from oppfolging.meetings.models import Meeting, MeetingKind, ParticipantKind
from oppfolging.people.models import Relative
from oppfolging.plans.models import PlanPeriod
from oppfolging.teams.models import TeamMember

DASH = "\N{EN DASH}"


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: TeamMember) -> str:
        details = ", ".join(part for part in (obj.discipline, obj.unit.name if obj.unit else "") if part)
        label = f"{obj.name} ({details})" if details else obj.name
        has_email = (obj.user is not None and obj.user.email) or (
            obj.relative is not None and obj.relative.email
        )
        return label if has_email else f"{label} {DASH} {_('ingen e-post, får ikke innkallingen på e-post')}"


class RelativeChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Relative) -> str:
        label = f"{obj.name} ({obj.relation or obj.get_kind_display()})"
        return label if obj.email else f"{label} {DASH} {_('ingen e-post')}"


class PeriodChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: PlanPeriod) -> str:
        return _("Periode %(number)s: %(dates)s (%(status)s)") % {
            "number": obj.number,
            "dates": f"{obj.starts_on:%d.%m.%Y}{DASH}{obj.ends_on:%d.%m.%Y}",
            "status": obj.get_status_display().lower(),
        }


def parse_others(text: str) -> list[tuple[str, str]]:
    """One participant per line: a name, and after a comma their e-mail address if they are to
    get the invitation."""
    others: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, _sep, email = line.rpartition(",") if "," in line else (line, "", "")
        name, email = name.strip(), email.strip()
        if not email and "@" in name:
            name, email = "", name
        if not name:
            raise ValidationError(_("Linje %(number)s: skriv navnet først.") % {"number": number})
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("Linje %(number)s: «%(email)s» er ikke en gyldig e-postadresse.")
                    % {"number": number, "email": email}
                ) from None
        others.append((name[:150], email))
    return others


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type møte"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva slags møte det er.")},
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        required=False,
        help_text=_(
            "For eksempel «Oppstartsmøte for planen». Typen møte brukes hvis du lar feltet stå tomt."
        ),
    )
    date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Skriv datoen for møtet."),
            "invalid": _("Skriv datoen som dd.mm.åååå."),
        },
    )
    time = forms.TimeField(
        label=_("Klokkeslett"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Skriv når møtet begynner."),
            "invalid": _("Skriv klokkeslettet som tt:mm."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighet (minutter)"), min_value=10, max_value=480, initial=60
    )
    place = forms.CharField(
        label=_("Sted"),
        max_length=200,
        error_messages={"required": _("Skriv hvor møtet skal være.")},
        help_text=_("For eksempel legekontoret, hjemme hos personen eller en lenke til et videomøte."),
    )
    items = forms.CharField(
        label=_("Saker som skal avklares"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Skriv minst én konkret sak som skal avklares.")},
        help_text=_(
            "Én sak per linje, minst én. Skriv konkret hva som skal avklares. Sakene sendes på "
            "e-post til deltakerne: ikke skriv fødselsnummer eller helseopplysninger."
        ),
    )
    period = PeriodChoiceField(
        label=_("Perioden som evalueres"),
        queryset=PlanPeriod.all_tenants.none(),
        required=False,
        to_field_name="uuid",
        help_text=_("Bare for evalueringsmøter."),
    )
    include_person = forms.BooleanField(label=_("Personen selv"), required=False, initial=True)
    members = MemberChoiceField(
        label=_("Teammedlemmer"),
        queryset=TeamMember.all_tenants.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
    )
    relatives = RelativeChoiceField(
        label=_("Pårørende"),
        queryset=Relative.all_tenants.none(),
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pårørende personen har samtykket til å involvere, og foresatte til barn."),
    )
    others = forms.CharField(
        label=_("Andre deltakere"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Én per linje: navn, og e-postadresse etter et komma hvis de skal få innkallingen."),
    )
    chosen_with_person = forms.BooleanField(
        label=_("Deltakerne er valgt sammen med personen"),
        required=False,
        help_text=_(
            "Må være krysset av før innkallingen kan sendes. Så få som mulig, så mange som nødvendig."
        ),
    )

    PARTICIPANT_FIELDS = ("include_person", "members", "relatives", "others", "chosen_with_person")

    def __init__(
        self,
        *args: Any,
        members: Any,
        relatives: Any,
        periods: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._queryset("members", members)
        self._queryset("relatives", relatives)
        self._queryset("period", periods)
        if not relatives.exists():
            del self.fields["relatives"]
        if not periods.exists():
            del self.fields["period"]

    def _queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = queryset

    def meeting_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.PARTICIPANT_FIELDS]

    def participant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PARTICIPANT_FIELDS if name in self.fields]

    def clean_others(self) -> list[tuple[str, str]]:
        return parse_others(self.cleaned_data.get("others", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == MeetingKind.EVALUATION and not data.get("period"):
            if "period" not in self.fields:
                self.add_error(
                    "kind", _("Et evalueringsmøte evaluerer en planperiode, og planen har ingen ennå.")
                )
            elif "period" not in self.errors:
                self.add_error("period", _("Velg hvilken planperiode møtet skal evaluere."))
        items = [line.strip() for line in data.get("items", "").splitlines() if line.strip()]
        if "items" in data and not items:
            self.add_error("items", _("Skriv minst én konkret sak som skal avklares."))
        if any(len(line) > 300 for line in items):
            self.add_error("items", _("En sak kan ha høyst 300 tegn. Del den opp i flere linjer."))
        return data

    def starts_at(self) -> datetime.datetime:
        moment = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(moment, timezone.get_default_timezone())

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            kind=data["kind"],
            title=data.get("title", ""),
            starts_at=self.starts_at(),
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            items=[line for line in data["items"].splitlines() if line.strip()],
            period=data.get("period"),
            include_person=data.get("include_person", False),
            members=list(data.get("members") or []),
            relatives=list(data.get("relatives") or []),
            others=data.get("others") or [],
            chosen_with_person=data.get("chosen_with_person", False),
        )


def initial_for(meeting: Meeting) -> dict[str, Any]:
    """The form filled from a stored meeting (to change it)."""
    local = timezone.localtime(meeting.starts_at)
    participants = list(meeting.participants.all())
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "items": "\n".join(item.title for item in meeting.items.all()),
        "period": meeting.period.uuid if meeting.period else None,
        "include_person": any(p.kind == ParticipantKind.PERSON for p in participants),
        "members": [p.team_member.uuid for p in participants if p.team_member is not None],
        "relatives": [p.relative.uuid for p in participants if p.relative is not None],
        "others": "\n".join(
            f"{p.name}, {p.email}" if p.email else p.name
            for p in participants
            if p.kind == ParticipantKind.OTHER
        ),
        "chosen_with_person": meeting.participants_chosen_with_person,
    }


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Hvorfor avlyses møtet?"), max_length=200)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Den som spurte, ser svaret på sin side."),
    )
