from django.urls import path

from oppfolging.referrals import decision_views as views

app_name = "decisions"
urlpatterns = [
    path("tjenester/", views.catalogue, name="catalogue"),
    path("tjenester/ny/", views.service_type_create, name="service_type_create"),
    path("tjenester/<uuid:service_type_uuid>/endre/", views.service_type_edit, name="service_type_edit"),
    path("person/<uuid:person_uuid>/", views.decision_list, name="person"),
    path("person/<uuid:person_uuid>/ny/", views.decision_create, name="create"),
    path("<uuid:decision_uuid>/underretning/", views.decision_notify, name="notify"),
]
