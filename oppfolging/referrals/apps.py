from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oppfolging.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oppfolging.access.persons import register_grant_source
        from oppfolging.referrals.access import case_handling_grants

        register_grant_source(case_handling_grants)
