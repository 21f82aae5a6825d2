from django.contrib import admin
from django.http import HttpRequest

from enterprises.models import DockingEvent, DockingRequest, Enterprise, Notification, PatentFollow, TechNeed


class TechNeedInline(admin.TabularInline):
    model = TechNeed
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "city", "industry_section", "size", "verification")
    list_filter = ("verification", "city", "industry_section", "size")
    search_fields = ("name", "uscc")
    readonly_fields = ("reviewed_by", "reviewed_at", "created_at", "updated_at")
    inlines = [TechNeedInline]


@admin.register(TechNeed)
class TechNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "status", "deadline", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "keywords", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(PatentFollow)
class PatentFollowAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "patent", "created_at")
    search_fields = ("enterprise__name", "patent__title", "patent__application_number")
    raw_id_fields = ("enterprise", "patent", "created_by")


class DockingEventInline(admin.TabularInline):
    model = DockingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "at", "note")

    def has_add_permission(self, request: HttpRequest, obj: DockingRequest | None = None) -> bool:
        return False


@admin.register(DockingRequest)
class DockingRequestAdmin(admin.ModelAdmin):
    """Read-mostly: states change only through the services (the events and the audit log stay consistent)."""

    list_display = ("pk", "enterprise", "institution", "kind", "status", "submitted_at", "responded_at")
    list_filter = ("status", "kind", "decline_reason")
    search_fields = ("enterprise__name", "institution__name", "patent__title", "need__title")
    raw_id_fields = ("enterprise", "institution", "patent", "need", "created_by")
    readonly_fields = ("status", "submitted_at", "responded_at", "closed_at")
    inlines = [DockingEventInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")
    raw_id_fields = ("recipient", "docking")
