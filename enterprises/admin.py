from django.contrib import admin

from enterprises.models import Enterprise, TechNeed


class TechNeedInline(admin.TabularInline):
    model = TechNeed
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "city", "industry_section", "size", "verification")
    list_filter = ("verification", "city", "industry_section", "size")
    search_fields = ("name", "uscc")
    inlines = [TechNeedInline]


@admin.register(TechNeed)
class TechNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "status", "deadline", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "keywords", "enterprise__name")
    raw_id_fields = ("enterprise",)
