from django.contrib import admin
from django.http import HttpRequest

from enterprises.models import (
    DockingEvent,
    DockingRequest,
    Enterprise,
    EnterpriseClaim,
    EnterpriseClaimCode,
    Notification,
    PatentFollow,
    TechNeed,
)


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


@admin.register(EnterpriseClaim)
class EnterpriseClaimAdmin(admin.ModelAdmin):
    """Read-only: claims are filed at sign-up and decided in the review queue (the services notify and audit)."""

    list_display = ("enterprise", "claimant", "status", "method", "created_at", "reviewer", "decided_at")
    list_filter = ("status", "method")
    search_fields = ("enterprise__name", "enterprise__uscc", "claimant__username", "contact_email")
    raw_id_fields = ("enterprise", "claimant", "reviewer", "city")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EnterpriseClaim | None = None) -> bool:
        return False


@admin.register(EnterpriseClaimCode)
class EnterpriseClaimCodeAdmin(admin.ModelAdmin):
    """Read-only: codes are issued in the review queue; only a keyed hash of each is stored."""

    list_display = ("enterprise", "issued_by", "issued_at", "expires_at", "emailed_to", "used_at", "revoked_at")
    search_fields = ("enterprise__name", "enterprise__uscc")
    exclude = ("code_hash",)
    raw_id_fields = ("enterprise", "issued_by", "claim")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EnterpriseClaimCode | None = None) -> bool:
        return False
