"""Fixtures of the hostile id tests."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from enterprises.models import DockingRequest, Enterprise, Notification, PatentFollow, TechNeed
from imports.models import ImportJob
from patents.models import Institution, Patent
from tests.security.ids.helpers import VICTIM

# --- the objects numbered 335 and the roles --------------------------------------------------------------------------


@pytest.fixture
def victims(wuhan, make_user) -> dict[str, Any]:
    """One object of every kind a URL names, each with pk 335, all visible to the roles below (so that an alias of
    335 would act on them); users bound to them."""
    institution = Institution.objects.create(pk=VICTIM, name="华中科技大学", moe_code="4142010487", city=wuhan)
    enterprise = Enterprise.objects.create(
        pk=VICTIM,
        name="武汉瑞诚科技有限公司",
        uscc="914403001922038216",
        city=wuhan,
        verification=Enterprise.Verification.REVIEW,  # in the bureau's review queue
    )
    officer = make_user("officer", Role.OFFICER, institution=institution)
    member = make_user("member", Role.ENTERPRISE, enterprise=enterprise)
    bureau = make_user("bureau", Role.BUREAU_PROVINCE)
    patent = Patent.objects.create(
        pk=VICTIM,
        application_number="201910209152.5",
        title="一种锂电池正极材料的制备方法",
        patent_type="invention",
        institution=institution,
        inventory_status="pooled",
        transfer_modes=["licence"],
    )
    TechNeed.objects.create(pk=VICTIM, enterprise=enterprise, title="锂电池正极材料量产工艺")
    PatentFollow.objects.create(pk=VICTIM, enterprise=enterprise, patent=patent, created_by=member)
    now = timezone.now()
    docking = DockingRequest.objects.create(
        pk=VICTIM,
        enterprise=enterprise,
        institution=institution,
        patent=patent,
        created_by=member,
        message="希望洽谈该专利的许可",
        expires_at=now + timedelta(days=60),
        signed_amount=Decimal("1000.00"),
        contract_file=ContentFile(b"%PDF-1.4 victim", name="victim.pdf"),
    )
    Notification.objects.create(pk=VICTIM, recipient=member, kind="docking", title="对接请求", docking=docking)
    ImportJob.objects.create(
        pk=VICTIM,
        kind=ImportJob.Kind.PATENTS,
        status=ImportJob.Status.PREVIEWED,
        created_by=officer,
        institution=institution,
        original_name="inventory.csv",
        file=ContentFile(b"a,b\n", name="inventory.csv"),
        rejected_file=ContentFile(b"a,b\n", name="rejected.csv"),
    )
    return {"officer": officer, "enterprise_member": member, "bureau": bureau}
