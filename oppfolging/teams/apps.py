from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "oppfolging.teams"
    label = "teams"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oppfolging.access.persons import register_grant_source, register_person_finder
        from oppfolging.teams.access import find_person_through_team, team_grants

        register_grant_source(team_grants)
        register_person_finder(find_person_through_team)
