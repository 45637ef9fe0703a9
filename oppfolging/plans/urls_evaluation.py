"""Routes of the plan's evaluation part, joined in :mod:`oppfolging.plans.urls`."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
