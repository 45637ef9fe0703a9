from django.urls import path

from oppfolging.administration import views

app_name = "administration"
urlpatterns = [
    path("brukere/", views.user_list, name="users"),
    path("enheter/", views.unit_list, name="units"),
]
