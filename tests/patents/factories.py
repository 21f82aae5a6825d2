"""Factories for institutions and patents (rows written directly, as fixtures; services are what tests exercise)."""

import factory

from core.models import City
from patents.models import Institution, InventoryStatus, Patent


class InstitutionFactory(factory.django.DjangoModelFactory):
    """A university in 武汉市 (the reference cities come from the migrations)."""

    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试大学{n}")
    moe_code = factory.Sequence(lambda n: f"41420{n:05d}")
    city = factory.LazyFunction(lambda: City.objects.get(code="4201"))


class PatentFactory(factory.django.DjangoModelFactory):
    """A pooled invention patent open to assignment and licence; pass `institution` to choose its owner."""

    class Meta:
        model = Patent

    application_number = factory.Sequence(lambda n: f"2019102{n:05d}.0")
    title = factory.Sequence(lambda n: f"一种锂电池正极材料的制备方法{n}")
    patent_type = "invention"
    inventory_status = InventoryStatus.POOLED
    transfer_modes = factory.LazyFunction(lambda: ["assignment", "licence"])
    institution = factory.SubFactory(InstitutionFactory)
