from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "oppfolging.administration"
    label = "administration"
    default_auto_field = "django.db.models.BigAutoField"
