"""Platform operators set up municipalities and external units here. No case content is
registered in the admin: persons, relatives and the audit log are reached only through the
application's access module."""

from django.contrib import admin

from oppfolging.core.models import Municipality, Unit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["name", "number", "default_language", "coordinator_caseload_cap"]
    search_fields = ["name", "number"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active", "municipality"]
    search_fields = ["name", "organisation_number"]
