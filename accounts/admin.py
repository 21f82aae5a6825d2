from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "institution", "enterprise", "city", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("平台角色"), {"fields": ("role", "institution", "college", "enterprise", "city", "phone")}),
    )
    autocomplete_fields = ("institution", "enterprise", "college")
