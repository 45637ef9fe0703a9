from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "oppfolging.followup"
    label = "followup"
    default_auto_field = "django.db.models.BigAutoField"
