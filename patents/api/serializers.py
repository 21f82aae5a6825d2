"""Patent API serializers; internal notes are only ever shown to the owning institution."""

from rest_framework import serializers

from patents.models import Institution, Patent


class InstitutionSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")

    class Meta:
        model = Institution
        fields = ["pk", "name", "moe_code", "kind", "city"]


class PatentSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name")
    patent_type_display = serializers.CharField(source="get_patent_type_display")
    inventory_status_display = serializers.CharField(source="get_inventory_status_display")

    class Meta:
        model = Patent
        fields = [
            "pk",
            "application_number",
            "publication_number",
            "title",
            "abstract",
            "ipc_main",
            "ipc_codes",
            "patent_type",
            "patent_type_display",
            "application_date",
            "grant_date",
            "legal_status",
            "institution",
            "inventory_status",
            "inventory_status_display",
            "transfer_modes",
            "price_min",
            "price_max",
            "price_negotiable",
            "value_grade",
            "is_demo",
        ]
