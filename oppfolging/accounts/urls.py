from django.urls import path

from oppfolging.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("sprak/", views.language_set, name="language"),
]
