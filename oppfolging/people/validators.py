"""Identity-number validation with messages in the user's language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oppfolging.lib import identity

MESSAGES = {
    identity.ErrorCode.LENGTH: _("Fødselsnummer og D-nummer har 11 sifre."),
    identity.ErrorCode.FORMAT: _("Nummeret kan bare inneholde sifre."),
    identity.ErrorCode.CHECKSUM: _("Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig."),
    identity.ErrorCode.DATE: _("Nummeret inneholder ikke en gyldig fødselsdato."),
    identity.ErrorCode.FUTURE: _("Fødselsdatoen i nummeret er i fremtiden."),
    identity.ErrorCode.SYNTHETIC_NOT_ALLOWED: _("Syntetiske testnumre kan ikke brukes her."),
    identity.ErrorCode.NOT_A_PERSON_NUMBER: _(
        "Dette er et hjelpenummer, ikke et fødselsnummer eller D-nummer."
    ),
}


def parse_identity_number(raw: str) -> identity.IdentityNumber:
    """Parse or raise a ValidationError whose message is in the active language."""
    try:
        return identity.parse(raw, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS)
    except identity.IdentityNumberError as exc:
        raise ValidationError(MESSAGES[exc.code], code=f"identity_{exc.code.value}") from exc


def validate_identity_number(raw: str) -> None:
    parse_identity_number(raw)
