from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "oppfolging.overview"
    label = "overview"
    default_auto_field = "django.db.models.BigAutoField"
