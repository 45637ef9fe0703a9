from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from oppfolging.accounts.models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "kind", "is_active", "is_superuser"]
    list_filter = ["kind", "is_active", "is_superuser"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Oppfølging", {"fields": ("kind", "title", "phone", "preferred_language")}),
    )
    inlines = [MembershipInline]
