from django.urls import path

from oppfolging.function import views

app_name = "function"
urlpatterns = [
    path("<uuid:person_uuid>/", views.detail, name="detail"),
    path("<uuid:person_uuid>/aktiviteter/", views.activities, name="activities"),
    path("<uuid:person_uuid>/maling/", views.measure, name="measure"),
]
