from django.contrib import admin
from django.urls import include, path

from oppfolging.api.api import api

urlpatterns = [
    path("", include("oppfolging.core.urls")),
    path("konto/", include("oppfolging.accounts.urls")),
    path("personer/", include("oppfolging.people.urls")),
    path("administrasjon/", include("oppfolging.administration.urls")),
    path("min-side/", include("oppfolging.portal.urls")),
    path("min-aktivitet/", include("oppfolging.audit.urls")),
    path("meldinger/", include("oppfolging.referrals.urls_reports")),
    path("kartlegging/", include("oppfolging.referrals.urls_assessments")),
    path("vedtak/", include("oppfolging.referrals.urls_decisions")),
    path("koordinatorer/", include("oppfolging.teams.urls_coordinators")),
    path("team/", include("oppfolging.teams.urls")),
    path("samtykker/", include("oppfolging.consents.urls")),
    path("oversikt/", include("oppfolging.overview.urls")),
    path("plan/", include("oppfolging.plans.urls")),
    path("moter/", include("oppfolging.meetings.urls")),
    path("funksjon/", include("oppfolging.function.urls")),
    path("oppfolging/", include("oppfolging.followup.urls")),
    path("risiko/", include("oppfolging.risk.urls")),
    path("indikatorer/", include("oppfolging.indicators.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
