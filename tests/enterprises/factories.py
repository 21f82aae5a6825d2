"""Factories for the enterprise tests (patents and docking requests in any state)."""

from datetime import timedelta

import factory
from django.utils import timezone

from enterprises.models import DockingRequest, DockingStatus, TechNeed
from patents.models import InventoryStatus, Patent


class PatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patent

    application_number = factory.Sequence(lambda n: f"2019102{n:05d}.0")
    title = factory.Sequence(lambda n: f"一种锂电池正极材料的制备方法{n}")
    patent_type = "invention"
    inventory_status = InventoryStatus.POOLED
    transfer_modes = factory.LazyFunction(lambda: ["assignment", "licence"])


class TechNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechNeed

    title = factory.Sequence(lambda n: f"电池材料技术需求{n}")
    description = "寻求高镍正极材料的量产工艺"
    keywords = "锂电池、正极材料"


class DockingRequestFactory(factory.django.DjangoModelFactory):
    """A request already in `status` (written directly, as a fixture; the services are what is under test)."""

    class Meta:
        model = DockingRequest

    kind = DockingRequest.Kind.PATENT
    status = DockingStatus.SUBMITTED
    institution = factory.LazyAttribute(lambda o: o.patent.institution)
    message = "希望洽谈该专利的许可"
    submitted_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.submitted_at + timedelta(days=60))
