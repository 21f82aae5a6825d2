"""Users per role, created through accounts.services.user_create (so each lands in its role's group)."""

import factory

from accounts.models import Role, User
from accounts.services import user_create

PASSWORD = "Test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A user of `role`; pass the binding the role needs (`institution`, `enterprise`, `city`) or use a subclass."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_PROVINCE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(password=PASSWORD, **kwargs)


class OfficerFactory(UserFactory):
    """An institution's tech-transfer officer (pass `institution`)."""

    role = Role.OFFICER


class EnterpriseMemberFactory(UserFactory):
    """A member of an enterprise (pass `enterprise`)."""

    role = Role.ENTERPRISE


class ProvinceBureauFactory(UserFactory):
    role = Role.BUREAU_PROVINCE


class CityBureauFactory(UserFactory):
    """A city bureau's staff (pass `city`)."""

    role = Role.BUREAU_CITY


class AdminFactory(UserFactory):
    role = Role.ADMIN
