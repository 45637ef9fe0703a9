from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oppfolging.accounts.services import login_is_locked


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil brukernavn eller passord. Sjekk at du har skrevet riktig."),
        "inactive": _("Denne kontoen er deaktivert."),
        "locked": _(
            "For mange mislykkede forsøk på denne brukeren. Vent %(minutes)s minutter og prøv igjen, "
            "eller kontakt kommuneadministratoren."
        ),
    }

    def clean(self) -> dict[str, Any]:
        """A username with too many recent failures is refused before the password is tried, so
        that guessing stops working even when a guess would be right."""
        from django.conf import settings

        username = self.cleaned_data.get("username")
        if username and login_is_locked(username=username):
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        return super().clean()
