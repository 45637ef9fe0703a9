from django.urls import path

from oppfolging.administration import views

app_name = "administration"
urlpatterns = [
    path("brukere/", views.user_list, name="users"),
    path("brukere/ny/", views.user_create, name="user_create"),
    path("brukere/<uuid:user_uuid>/", views.user_detail, name="user_detail"),
    path("brukere/<uuid:user_uuid>/endre/", views.user_edit, name="user_edit"),
    path("brukere/<uuid:user_uuid>/status/", views.user_set_active, name="user_set_active"),
    path("brukere/<uuid:user_uuid>/roller/ny/", views.membership_add, name="membership_add"),
    path(
        "brukere/<uuid:user_uuid>/roller/<uuid:membership_uuid>/avslutt/",
        views.membership_end,
        name="membership_end",
    ),
    path("enheter/", views.unit_list, name="units"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<uuid:unit_uuid>/endre/", views.unit_edit, name="unit_edit"),
]
