from rest_framework import serializers

from enterprises.models import Enterprise, TechNeed


class EnterpriseSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name", allow_null=True, default=None)

    class Meta:
        model = Enterprise
        fields = [
            "pk",
            "name",
            "uscc",
            "city",
            "industry_section",
            "industry_division",
            "size",
            "business_scope",
            "products",
            "website",
            "verification",
            "is_demo",
        ]


class TechNeedSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")

    class Meta:
        model = TechNeed
        fields = [
            "pk",
            "enterprise",
            "title",
            "description",
            "keywords",
            "budget_min",
            "budget_max",
            "preferred_mode",
            "deadline",
            "status",
            "created_at",
        ]
