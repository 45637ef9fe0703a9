from django.urls import path

from oppfolging.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_search, name="search"),
    path("ny/", views.person_create, name="create"),
    path("<uuid:person_uuid>/", views.person_detail, name="detail"),
    path("<uuid:person_uuid>/endre/", views.person_edit, name="edit"),
    path("<uuid:person_uuid>/parorende/ny/", views.relative_create, name="relative_create"),
    path("<uuid:person_uuid>/tilgangslogg/", views.person_access_log, name="access_log"),
]
