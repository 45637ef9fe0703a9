"""Model versions of the admission-risk model (included from :mod:`oppfolging.risk.urls`)."""

from django.urls import path

from oppfolging.risk import model_views

urlpatterns = [
    path("modeller/", model_views.models, name="models"),
    path("modeller/<uuid:version_uuid>/", model_views.model_detail, name="model_detail"),
    path("modeller/<uuid:version_uuid>/godkjenn/", model_views.model_approve, name="model_approve"),
    path("modeller/<uuid:version_uuid>/avvis/", model_views.model_reject, name="model_reject"),
]
