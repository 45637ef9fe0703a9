from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil brukernavn eller passord. Sjekk at du har skrevet riktig."),
        "inactive": _("Denne kontoen er deaktivert."),
    }
