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
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
