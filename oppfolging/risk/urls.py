from django.urls import URLPattern

from oppfolging.risk import urls_models, urls_worklists

app_name = "risk"
urlpatterns: list[URLPattern] = [
    *urls_worklists.urlpatterns,
    *urls_models.urlpatterns,
]
