"""The Django admin is for platform operators (superusers) only. It never serves municipal
staff: ``has_permission`` ignores ``is_staff`` and asks for ``is_superuser``."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class OperatorAdminSite(admin.AdminSite):
    site_header = "Oppfølging — drift"
    site_title = "Oppfølging — drift"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)
