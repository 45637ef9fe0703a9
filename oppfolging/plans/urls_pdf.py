"""Routes of the plan's pdf part, joined in :mod:`oppfolging.plans.urls`."""

from django.urls import URLPattern, path

from oppfolging.plans import pdf_views

urlpatterns: list[URLPattern] = [
    path("<uuid:person_uuid>/pdf/", pdf_views.plan_pdf, name="pdf"),
]
