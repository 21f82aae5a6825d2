from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.cache_generation import dashboard_cache_invalidate
from dashboards.models import IpcIndustryMapping


@admin.register(IpcIndustryMapping)
class IpcIndustryMappingAdmin(admin.ModelAdmin):
    """The IPC → strategic-emerging-industry concordance, editable by platform admins (edits refresh the figures)."""

    list_display = ["ipc_prefix", "category", "note", "updated_at"]
    list_filter = ["category"]
    search_fields = ["ipc_prefix", "note"]
    ordering = ["ipc_prefix"]

    def save_model(self, request: HttpRequest, obj: IpcIndustryMapping, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        dashboard_cache_invalidate()

    def delete_model(self, request: HttpRequest, obj: IpcIndustryMapping) -> None:
        super().delete_model(request, obj)
        dashboard_cache_invalidate()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[IpcIndustryMapping]) -> None:
        super().delete_queryset(request, queryset)
        dashboard_cache_invalidate()
