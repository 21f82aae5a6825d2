"""Output serializers of the enterprise API (input serializers sit inside the API views that use them)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.docking import DockingParty
from enterprises.models import (
    DockingEvent,
    DockingRequest,
    Enterprise,
    EnterpriseClaim,
    Notification,
    PatentFollow,
    TechNeed,
)
from enterprises.notification_texts import notification_rendered
from enterprises.selectors.docking import docking_actions_for, docking_party
from enterprises.services.claims import claim_next_step


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


class EnterpriseProfileSerializer(serializers.ModelSerializer):
    """An enterprise's own full profile (members only)."""

    city = serializers.CharField(source="city_id", allow_null=True)

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
            "contact_name",
            "contact_phone",
            "contact_email",
            "verification",
            "verification_note",
        ]


class EnterpriseReviewSerializer(serializers.ModelSerializer):
    """A registration waiting in the bureau's review queue."""

    city = serializers.CharField(source="city.name", allow_null=True, default=None)

    class Meta:
        model = Enterprise
        fields = ["pk", "name", "uscc", "city", "contact_name", "verification", "verification_note", "created_at"]


class ClaimRegistrySerializer(serializers.ModelSerializer):
    """What the imported registry holds about a claimed enterprise (the reviewer compares the claim with it)."""

    city = serializers.CharField(source="city.name", allow_null=True, default=None)

    class Meta:
        model = Enterprise
        fields = [
            "pk",
            "name",
            "uscc",
            "city",
            "contact_name",
            "contact_phone",
            "contact_email",
            "registered_date",
            "business_scope",
            "verification",
        ]


class ClaimantSerializer(serializers.ModelSerializer):
    """What the claimant gave at sign-up, and the account the claim created."""

    username = serializers.CharField(source="claimant.username")
    name = serializers.CharField(source="claimed_name")
    city = serializers.CharField(source="city.name", allow_null=True, default=None)

    class Meta:
        model = EnterpriseClaim
        fields = ["username", "name", "city", "contact_name", "contact_phone", "contact_email"]


class EnterpriseClaimSerializer(serializers.ModelSerializer):
    """A claim of a registry enterprise as the bureau reviews it: the registry's data beside the claimant's."""

    registry = ClaimRegistrySerializer(source="enterprise")
    claimant = ClaimantSerializer(source="*")
    rivals = serializers.IntegerField(default=0, help_text="other pending claims of the same enterprise")
    reviewer = serializers.CharField(source="reviewer.username", allow_null=True, default=None)

    class Meta:
        model = EnterpriseClaim
        fields = [
            "pk",
            "status",
            "method",
            "registry",
            "claimant",
            "rivals",
            "created_at",
            "decided_at",
            "reviewer",
            "decision_note",
        ]


class EnterpriseOwnClaimSerializer(serializers.ModelSerializer):
    """A claim as its claimant sees it: the enterprise, the status, the bureau's note and what happens next."""

    enterprise = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = EnterpriseClaim
        fields = [
            "pk",
            "enterprise",
            "uscc",
            "status",
            "method",
            "created_at",
            "decided_at",
            "decision_note",
            "next_step",
        ]

    def get_next_step(self, claim: EnterpriseClaim) -> str:
        return claim_next_step(claim)


class RegistrationClaimSerializer(serializers.Serializer):
    """The claim a sign-up filed for an enterprise of the imported registry."""

    pk = serializers.IntegerField(source="claim.pk")
    status = serializers.ChoiceField(source="claim.status", choices=EnterpriseClaim.Status.choices)
    method = serializers.ChoiceField(source="claim.method", choices=EnterpriseClaim.Method.choices)
    other_pending_claims = serializers.IntegerField(help_text="other claims of the same enterprise waiting")


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


class NeedMatchSerializer(serializers.Serializer):
    """One of the best pooled patents of the caller's pool for a need (the needs hall)."""

    patent = serializers.IntegerField()
    application_number = serializers.CharField()
    title = serializers.CharField()
    institution = serializers.CharField()
    score = serializers.FloatField(help_text="the engine's fused score, 0..1")
    terms = serializers.ListField(child=serializers.CharField(), help_text="the engine's explaining terms")


class TechNeedHallSerializer(TechNeedSerializer):
    """A need as officers and bureau staff list it: with the best patents of their pool for it."""

    matches = NeedMatchSerializer(many=True, read_only=True, help_text="best 3 of the caller's pooled patents")

    class Meta(TechNeedSerializer.Meta):
        fields = [*TechNeedSerializer.Meta.fields, "matches"]


class PatentBriefSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    application_number = serializers.CharField()
    title = serializers.CharField()
    institution = serializers.CharField(source="institution.name")


class PatentFollowSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    patent = PatentBriefSerializer()

    class Meta:
        model = PatentFollow
        fields = ["pk", "enterprise", "patent", "created_at"]


class DockingEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = DockingEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "note"]

    def get_actor(self, event: DockingEvent) -> str | None:
        if event.actor is None:
            return None
        return event.actor.get_full_name() or event.actor.username


class DockingContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class DockingRequestSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    contact = serializers.SerializerMethodField(
        help_text="the enterprise's contact given with the request; only to the enterprise and the institution"
    )
    institution = serializers.CharField(source="institution.name")
    patent = PatentBriefSerializer(allow_null=True)
    need = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(default=False)
    allowed_actions = serializers.SerializerMethodField()
    contract_url = serializers.SerializerMethodField()

    class Meta:
        model = DockingRequest
        fields = [
            "pk",
            "kind",
            "enterprise",
            "institution",
            "patent",
            "need",
            "message",
            "contact",
            "status",
            "submitted_at",
            "responded_at",
            "closed_at",
            "expires_at",
            "is_overdue",
            "decline_reason",
            "decline_note",
            "signed_mode",
            "signed_amount",
            "signed_date",
            "contract_url",
            "allowed_actions",
        ]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_need(self, docking: DockingRequest) -> dict | None:
        if not docking.need_id:
            return None
        assert docking.need is not None  # need_id is set
        return {"pk": docking.need_id, "title": docking.need.title}

    @extend_schema_field(DockingContactSerializer(allow_null=True))
    def get_contact(self, docking: DockingRequest) -> dict[str, str] | None:
        party = docking_party(docking=docking, user=self.context["request"].user)
        return docking.contact if party in (DockingParty.ENTERPRISE, DockingParty.INSTITUTION) else None

    def get_allowed_actions(self, docking: DockingRequest) -> list[str]:
        return docking_actions_for(docking=docking, user=self.context["request"].user)

    def get_contract_url(self, docking: DockingRequest) -> str | None:
        if not docking.contract_file:
            return None
        return reverse("enterprises:docking_contract", args=[docking.pk])


class DockingRequestDetailSerializer(DockingRequestSerializer):
    events = DockingEventSerializer(many=True)

    class Meta(DockingRequestSerializer.Meta):
        fields = [*DockingRequestSerializer.Meta.fields, "events"]


class NotificationSerializer(serializers.ModelSerializer):
    """`title` and `body` in the reader's language (Accept-Language is ignored: the language cookie, else zh-hans),
    made from `message_kind` and `params` (empty for notifications older than kinds: their stored text)."""

    is_read = serializers.BooleanField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["pk", "kind", "message_kind", "params", "title", "body", "url", "docking", "created_at", "is_read"]

    def get_title(self, notification: Notification) -> str:
        return notification_rendered(notification).title

    def get_body(self, notification: Notification) -> str:
        return notification_rendered(notification).body


class InstitutionResponseTimeSerializer(serializers.Serializer):
    """An institution's median first-response time (hours) and its unanswered and overdue requests."""

    institution_pk = serializers.IntegerField()
    institution_name = serializers.CharField()
    answered = serializers.IntegerField()
    median_hours = serializers.FloatField(allow_null=True)
    waiting = serializers.IntegerField()
    overdue = serializers.IntegerField()
