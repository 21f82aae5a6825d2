from django.contrib import admin

from dashboards.models import IpcIndustryMapping


@admin.register(IpcIndustryMapping)
class IpcIndustryMappingAdmin(admin.ModelAdmin):
    """The IPC → strategic-emerging-industry concordance, editable by platform admins."""

    list_display = ["ipc_prefix", "category", "note", "updated_at"]
    list_filter = ["category"]
    search_fields = ["ipc_prefix", "note"]
    ordering = ["ipc_prefix"]
