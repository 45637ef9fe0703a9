from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "oppfolging.consents"
    label = "consents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oppfolging.access.persons import register_grant_source
        from oppfolging.consents.access import relative_consent_grants

        register_grant_source(relative_consent_grants)
