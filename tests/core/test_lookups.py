"""field__any_of: the same rows as field__in, with one parameter, on SQLite and PostgreSQL alike."""

import pytest

from patents.models import Patent

pytestmark = pytest.mark.django_db


def test_any_of_selects_what_in_selects(pooled_patents):
    wanted = [p.pk for p in pooled_patents[::3]] + [10**9]  # an id that does not exist is simply not matched
    assert set(Patent.objects.filter(pk__any_of=wanted).values_list("pk", flat=True)) == set(
        Patent.objects.filter(pk__in=wanted).values_list("pk", flat=True)
    )
    assert not Patent.objects.filter(pk__any_of=[]).exists()


def test_any_of_sends_one_parameter_whatever_the_length(pooled_patents):
    wanted = [p.pk for p in pooled_patents]
    _, params = Patent.objects.filter(pk__any_of=wanted).values_list("pk").query.sql_with_params()
    _, params_in = Patent.objects.filter(pk__in=wanted).values_list("pk").query.sql_with_params()
    assert (len(params), len(params_in)) == (1, len(wanted))


def test_any_of_accepts_integers_only():
    with pytest.raises((ValueError, TypeError)):
        list(Patent.objects.filter(pk__any_of=["1; DROP TABLE patents_patent"]))
