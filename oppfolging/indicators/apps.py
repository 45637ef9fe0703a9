from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oppfolging.indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        # Importing the definitions registers every indicator once (registry.register).
        from oppfolging.indicators import definitions  # noqa: F401
