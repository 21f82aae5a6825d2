from django.contrib import admin

from patents.models import College, Institution, Patent


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "moe_code", "kind", "city", "district_code", "is_active")
    list_filter = ("kind", "city", "is_active")
    search_fields = ("name", "moe_code")


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "institution")
    search_fields = ("name", "code", "institution__name")
    raw_id_fields = ("institution",)
    list_select_related = ("institution",)


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = ("application_number", "title", "patent_type", "inventory_status", "legal_status", "institution")
    list_filter = ("patent_type", "inventory_status", "legal_status", "ipc_section", "value_grade")
    search_fields = ("application_number", "title", "publication_number")
    raw_id_fields = ("institution", "college")
    list_select_related = ("institution",)
