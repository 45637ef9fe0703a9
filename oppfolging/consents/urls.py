from django.urls import path

from oppfolging.consents import views

app_name = "consents"
urlpatterns = [
    path("<uuid:person_uuid>/", views.consent_list, name="list"),
    path("<uuid:person_uuid>/ny/<slug:kind>/", views.consent_create, name="create"),
    path("<uuid:person_uuid>/<uuid:consent_uuid>/trekk-tilbake/", views.consent_withdraw, name="withdraw"),
]
