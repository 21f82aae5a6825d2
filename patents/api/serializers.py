"""Patent API serializers; internal notes are only ever shown to the owning institution."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patents.models import Institution, Patent
from patents.selectors import patent_demand, patent_published_terms


class OpenLicenceTermsSerializer(serializers.Serializer):
    payment = serializers.CharField()
    lump_sum = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    royalty_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    entry_fee = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    years = serializers.IntegerField(allow_null=True)


class PublishedTermsSerializer(serializers.Serializer):
    """What the officer published for enterprises (patents.selectors.patent_published_terms), read-only; used with
    source="*" on a patent. The contact is empty unless the patent is pooled; internal notes are never part of it."""

    transfer_modes = serializers.ListField(child=serializers.CharField())
    price_min = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    price_max = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    price_negotiable = serializers.BooleanField()
    open_licence = OpenLicenceTermsSerializer(allow_null=True, help_text="null unless an open licence is declared")
    contact = serializers.CharField()
    contact_phone = serializers.CharField()

    def to_representation(self, instance: Patent) -> dict:
        return patent_published_terms(patent=instance).as_dict()


class InstitutionSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")

    class Meta:
        model = Institution
        fields = ["pk", "name", "moe_code", "kind", "city"]


class DemandSchema(serializers.Serializer):
    """A patent's demand in the API (the schema of PatentSerializer.demand)."""

    enterprises = serializers.IntegerField()
    needs = serializers.IntegerField()
    best_score = serializers.FloatField(allow_null=True)


class PatentSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name")
    patent_type_display = serializers.CharField(source="get_patent_type_display")
    inventory_status_display = serializers.CharField(source="get_inventory_status_display")
    published_terms = PublishedTermsSerializer(source="*", read_only=True)
    demand = serializers.SerializerMethodField(
        help_text="{enterprises, needs, best_score}: enterprises whose top-k list holds this pooled patent above "
        "the threshold, their open needs, its best score (docs/supply_demand.md)"
    )

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
            "published_terms",
            "demand",
        ]

    @extend_schema_field(DemandSchema)
    def get_demand(self, instance: Patent) -> dict[str, int | float | None]:
        if hasattr(instance, "demand_enterprises"):  # annotated by patents_with_demand (a list: no query per row)
            best = getattr(instance, "demand_best", None)
            return {
                "enterprises": getattr(instance, "demand_enterprises", 0),
                "needs": getattr(instance, "demand_needs", 0),
                "best_score": None if best is None else round(best, 4),
            }
        return patent_demand(patent=instance)


class PatentDetailSchema(PatentSerializer):
    """The schema of a patent's API detail (patents.api.views.PatentViewSet.retrieve builds it): the patent, its
    inventors and legal history, and what matching adds (patents.hooks.patent_detail_facts)."""

    inventors = serializers.CharField()
    legal_history = serializers.ListField(
        child=serializers.DictField(), help_text="legal-status changes (from_status, to_status, source, at), newest"
    )
    similar = serializers.ListField(
        child=serializers.DictField(),
        help_text="the 5 pooled patents the caller may see most similar to this one by the matching engine (pk, "
        "application_number, title, institution, value_grade, score), best first; empty before the first run",
    )
    similar_available = serializers.BooleanField(help_text="false when no matching run exists yet")
    matched_enterprises = serializers.IntegerField(
        required=False, help_text="officers (own institution) and bureau staff (in scope) only: enterprises matched"
    )

    class Meta(PatentSerializer.Meta):
        fields = [*PatentSerializer.Meta.fields, "inventors", "legal_history", "similar", "similar_available",
                  "matched_enterprises"]  # fmt: skip
