from django.apps import AppConfig


class FunctionConfig(AppConfig):
    name = "oppfolging.function"
    label = "function"
    default_auto_field = "django.db.models.BigAutoField"
