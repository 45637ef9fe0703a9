from django.urls import path

from oppfolging.overview import views

app_name = "overview"
urlpatterns = [
    path("", views.ke_overview, name="ke"),
]
