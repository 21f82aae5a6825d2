"""field__any_of: the same rows as field__in, with one parameter, on SQLite and PostgreSQL alike."""

import numpy as np
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


def test_any_of_takes_an_integer_array_as_a_list(pooled_patents):
    # given: the ids as the search holds them (an int64 array: the ORM passes it whole, a list it walks item by item)
    wanted = [p.pk for p in pooled_patents[::2]] + [10**9]

    # when
    from_array = Patent.objects.filter(pk__any_of=np.array(wanted, dtype=np.int64)).values_list("pk", flat=True)
    _, params = Patent.objects.filter(pk__any_of=np.array(wanted)).values_list("pk").query.sql_with_params()

    # then: the same rows as from the list, still one parameter
    assert sorted(from_array) == sorted(Patent.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert len(params) == 1
