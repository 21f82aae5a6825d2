"""Factories for the enterprise tests (patents and docking requests in any state)."""

from datetime import timedelta

import factory
from django.utils import timezone

from common.validators.uscc import gb32100_check_character, organisation_code_check_character
from core.models import City
from enterprises.models import DockingRequest, DockingStatus, Enterprise, PatentFollow, TechNeed
from tests.accounts.factories import EnterpriseMemberFactory
from tests.patents.factories import PatentFactory

__all__ = ["DockingRequestFactory", "EnterpriseFactory", "PatentFactory", "PatentFollowFactory", "TechNeedFactory"]


def _uscc(n: int) -> str:
    """A valid 统一社会信用代码 for a 武汉 company: both check characters computed."""
    organisation = f"{70000000 + n:08d}"
    first17 = f"91420100{organisation}{organisation_code_check_character(organisation)}"
    return first17 + gb32100_check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A verified-or-not enterprise in 武汉市 with a valid USCC."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"武汉测试科技有限公司{n}")
    uscc = factory.Sequence(_uscc)
    city = factory.LazyFunction(lambda: City.objects.get(code="4201"))
    business_scope = "计算机技术研发；电池材料制造"


class PatentFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatentFollow

    enterprise = factory.SubFactory(EnterpriseFactory)
    patent = factory.SubFactory(PatentFactory)
    created_by = factory.SubFactory(EnterpriseMemberFactory, enterprise=factory.SelfAttribute("..enterprise"))


class TechNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechNeed

    enterprise = factory.SubFactory(EnterpriseFactory)
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
