"""load_demo: believable, deterministic, idempotent; built only from files inside the repo."""

import csv
from collections import Counter
from datetime import timedelta

import pytest

from demo.services import MISSING_ABSTRACT, application_number_make, demo_load
from demo.sources import DEMO_DIR, real_patent_rows
from enterprises.models import OPEN_DOCKING_STATUSES, Enterprise
from patents.models import Institution, Patent


def _rows(*parts: str) -> int:
    with (DEMO_DIR.joinpath(*parts)).open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_generated_application_numbers_carry_a_valid_check_digit():
    # 201910209152.5 is a real number (CN109918572B): the generator must reproduce its check digit
    assert application_number_make(year=2019, type_digit=1, serial=209152) == "201910209152.5"
    assert application_number_make(year=2020, type_digit=1, serial=1355629) == "202011355629.X"


def test_the_real_patents_are_the_source_rows_without_repeats_and_junk():
    # given: the rows the sources hold
    source_rows = (
        _rows("kppatent-zh", "patents_full.csv")
        + _rows("kppatent-zh", "patents_abstracts.csv")
        + _rows("cn-patent-ipc", "titles_ipc.csv")
    )

    # when
    rows = real_patent_rows()

    # then: 554 left out — a repeated publication number or abstract, or no title left after the junk rule (the
    # abstract-only patents whose abstract yields none, the full texts whose OCR title is debris and whose abstract
    # yields none either)
    assert source_rows == 13460
    assert len(rows) == 12906
    assert len({r.key for r in rows}) == len({r.abstract for r in rows if r.abstract}) + sum(
        not r.abstract for r in rows
    )
    assert sum(1 for r in rows if r.abstract) == 3166
    assert sum(1 for r in rows if r.claims) == 654


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing():
    # when
    first = demo_load(password="Demo-pass-2026")
    second = demo_load(password="Demo-pass-2026")
    # then
    assert first.patents == len(real_patent_rows()) == 12906
    assert first.enterprises == 3000
    assert (second.institutions, second.patents, second.enterprises, second.needs) == (0, 0, 0, 0)
    assert Patent.objects.count() == 12906
    assert Patent.objects.filter(is_demo=False).count() == 0
    assert Enterprise.objects.filter(is_demo=True).count() == 3000
    assert Institution.objects.filter(city__province_id="42").count() == first.institutions
    assert [u[0] for u in second.users] == [
        "officer",
        "officer_whu",
        "enterprise",
        "bureau",
        "bureau_wuhan",
        "admin",
        "college_admin",
        "inventor",
        "inventor2",
    ]
    # 654 of the patents kept carry claims in the source file (the full texts without a usable title are left out)
    assert Patent.objects.filter(claims__gt="").count() == 654


@pytest.mark.django_db
def test_demo_has_follows_and_docking_requests_in_every_state_all_in_the_past():
    from django.utils import timezone

    from enterprises.models import DockingRequest, DockingStatus, PatentFollow

    # when
    first = demo_load(password="Demo-pass-2026")
    second = demo_load(password="Demo-pass-2026")
    # then
    now = timezone.now()
    assert first.follows == PatentFollow.objects.count() > 300
    assert first.docking_requests == DockingRequest.objects.count() > 80
    assert (second.follows, second.docking_requests) == (0, 0)
    statuses = set(DockingRequest.objects.values_list("status", flat=True))
    assert statuses == set(DockingStatus.values)
    for docking in DockingRequest.objects.prefetch_related("events"):
        events = list(docking.events.order_by("at"))
        assert events[0].action == "submit"
        assert events[-1].to_status == docking.status  # the timeline ends where the request is
        assert all(e.at <= now for e in events)
        assert docking.patent.inventory_status == "pooled"
        if docking.status in OPEN_DOCKING_STATUSES:
            assert docking.expires_at > now
        if docking.status not in ("submitted", "withdrawn", "expired"):
            assert docking.responded_at is not None
    signed = DockingRequest.objects.filter(status="signed")
    assert all(d.signed_amount > 0 and d.signed_mode and d.signed_date for d in signed)
    assert not DockingRequest.objects.filter(status="declined", decline_reason="").exists()
    # the demo enterprise account has something to look at
    from accounts.models import User

    member = User.objects.get(username="enterprise")
    assert PatentFollow.objects.filter(enterprise=member.enterprise).count() == 3
    assert DockingRequest.objects.filter(enterprise=member.enterprise).count() == 1


@pytest.mark.django_db
def test_the_demo_activity_spans_at_least_twenty_of_the_24_months_before_today(loaded_demo):
    from django.utils import timezone

    from enterprises.models import DockingRequest, PatentFollow

    # given
    today = timezone.localdate()
    earliest = (today.replace(day=1) - timedelta(days=700)).replace(day=1)  # the first of the 24 months

    # when: the day of every follow, docking request and signing
    days = [timezone.localdate(at) for at in PatentFollow.objects.values_list("created_at", flat=True)]
    days += [timezone.localdate(at) for at in DockingRequest.objects.values_list("submitted_at", flat=True)]
    days += list(DockingRequest.objects.filter(signed_date__isnull=False).values_list("signed_date", flat=True))

    # then
    assert len(days) > 2000
    assert all(earliest <= day <= today for day in days)
    assert len({(day.year, day.month) for day in days}) >= 20


@pytest.mark.django_db
def test_the_demo_trends_spread_over_two_years_and_nothing_happens_before_it_arrived(loaded_demo):
    from dashboards.figures import dashboard_figures
    from dashboards.scope import DashboardFilters, DashboardScope
    from enterprises.models import DockingRequest, PatentFollow

    # when
    province = DashboardScope(level="province", label="湖北省")
    trends = dashboard_figures(scope=province, filters=DashboardFilters())["trends"]
    # then: every series on its own dates, spread over the demo's two years — not one spike on the day of loading
    for series, at_least, most in (
        ("patents", 23, 0.08),
        ("follows", 20, 0.1),
        ("dockings", 20, 0.15),
        ("signed", 15, 0.15),
    ):
        per_month = [r[series] for r in trends[-24:] if r[series]]
        assert len(per_month) >= at_least, series
        assert max(per_month) < most * sum(per_month), series
    assert sum(r["patents"] for r in trends) == Patent.objects.count()
    assert sum(r["follows"] for r in trends) == PatentFollow.objects.count()
    assert sum(r["dockings"] for r in trends) == DockingRequest.objects.count()
    assert sum(r["signed"] for r in trends) == DockingRequest.objects.filter(status="signed").count()
    # a follow or a request never comes before the patent or the enterprise reached the platform
    for follow in PatentFollow.objects.select_related("patent", "enterprise"):
        assert follow.patent.created_at < follow.created_at
        assert follow.enterprise.created_at < follow.created_at
    for docking in DockingRequest.objects.select_related("patent", "enterprise"):
        assert docking.patent.created_at < docking.submitted_at
        assert docking.enterprise.created_at < docking.submitted_at
    assert max(Counter(p.created_at.date() for p in Patent.objects.only("created_at")).values()) < 200


@pytest.mark.django_db
def test_every_pooled_demo_patent_has_an_abstract_and_the_title_only_ones_say_why_they_wait(loaded_demo):
    # when
    pooled = Patent.objects.filter(inventory_status="pooled")
    title_only = Patent.objects.filter(abstract="")

    # then
    assert pooled.count() > 2000
    assert not pooled.filter(abstract="").exists()
    assert title_only.count() == 9740
    assert set(title_only.values_list("inventory_status", "not_pooled_reason")) == {("inventoried", MISSING_ABSTRACT)}


@pytest.mark.django_db
def test_no_junk_title_anywhere_in_the_demo(loaded_demo):
    from demo.titles import title_junk_reason
    from enterprises.models import TechNeed

    # when
    junk = [t for t in Patent.objects.values_list("title", flat=True) if title_junk_reason(t)]
    junk += [t for t in TechNeed.objects.values_list("title", flat=True) if title_junk_reason(t)]

    # then
    assert Patent.objects.count() == 12906
    assert TechNeed.objects.count() > 300
    assert junk == []


@pytest.mark.django_db
def test_every_pooled_demo_patent_has_terms_the_officer_form_accepts(loaded_demo):
    from patents.forms import PatentTermsForm
    from patents.services import patent_terms_clean

    # given
    pooled = list(Patent.objects.filter(inventory_status="pooled"))
    refused = []

    # when: what the officer's terms page would do with what the patent shows
    for patent in pooled:
        form = PatentTermsForm(data=PatentTermsForm.initial_for(patent))
        if not form.is_valid():
            refused.append((patent.application_number, form.errors))
            continue
        try:
            patent_terms_clean(**form.cleaned_data)
        except Exception as exc:  # noqa: BLE001 — collected to name every refused patent
            refused.append((patent.application_number, exc))

    # then
    assert refused == []
    open_licences = [p for p in pooled if "open_licence" in p.transfer_modes]
    assert len(open_licences) > 500
    assert {p.open_licence_payment for p in open_licences} == {"lump_sum", "royalty", "entry_royalty"}
    assert all(p.open_licence_years for p in open_licences)
    assert all(p.contact and p.contact_phone for p in pooled)


@pytest.mark.django_db
def test_at_most_a_fifth_of_the_demo_is_unclassified_on_the_industry_chart(loaded_demo):
    from dashboards.figures import dashboard_figures
    from dashboards.models import UNCLASSIFIED
    from dashboards.scope import DashboardFilters, DashboardScope
    from dashboards.services import concordance_seed

    # given: the concordance the migrations seed (a transactional test's flush may have emptied it)
    concordance_seed()

    # when: the bureau's industry chart
    province = DashboardScope(level="province", label="湖北省")
    industries = {
        r["code"]: r["count"] for r in dashboard_figures(scope=province, filters=DashboardFilters())["industries"]
    }

    # then
    assert sum(industries.values()) == Patent.objects.count()
    assert industries[UNCLASSIFIED] <= 0.2 * sum(industries.values())


@pytest.mark.django_db
def test_every_demo_docking_request_carries_a_contact_the_docking_form_accepts(loaded_demo):
    from enterprises.models import DockingRequest
    from enterprises.services.docking_contact import docking_contact_check

    # when
    requests = list(DockingRequest.objects.select_related("enterprise"))

    # then
    assert len(requests) > 80
    for docking in requests:
        contact = {"contact_name": docking.contact_name, "contact_phone": docking.contact_phone}
        contact["contact_email"] = docking.contact_email
        assert docking_contact_check(values=contact) == contact
        assert docking.contact_email.endswith("@example.cn")
        assert (docking.contact_phone, docking.contact_email) == (
            docking.enterprise.contact_phone,
            docking.enterprise.contact_email,
        )
    enterprises = Enterprise.objects.filter(is_demo=True)
    assert not enterprises.filter(contact_phone="").exists()
    assert not enterprises.filter(contact_email="").exists()
    assert (
        enterprises.filter(city__code="4201", contact_phone__startswith="027-8").count()
        == enterprises.filter(city__code="4201").count()
    )


@pytest.mark.django_db
def test_two_loads_give_the_same_demo():
    from django.utils import timezone

    from accounts.models import User
    from core.models import AuditLog
    from enterprises.models import DockingEvent, DockingRequest, PatentFollow, TechNeed

    def snapshot() -> dict[str, object]:
        today = timezone.localdate()
        return {
            "patents": sorted(
                (
                    p.application_number,
                    p.title,
                    p.inventory_status,
                    tuple(p.ipc_codes),
                    str(p.price_min),
                    p.open_licence_payment,
                    (today - timezone.localdate(p.created_at)).days,
                )
                for p in Patent.objects.all()
            ),
            "enterprises": sorted(Enterprise.objects.values_list("uscc", "name", "contact_phone", "contact_email")),
            "follows": sorted(PatentFollow.objects.values_list("patent__application_number", "enterprise__uscc")),
            "dockings": sorted(
                DockingRequest.objects.values_list(
                    "patent__application_number", "enterprise__uscc", "status", "signed_amount"
                )
            ),
        }

    # given
    demo_load(password="Demo-pass-2026")
    first = snapshot()
    for model in (
        DockingEvent,
        DockingRequest,
        PatentFollow,
        TechNeed,
        AuditLog,
        User,
        Enterprise,
        Patent,
        Institution,
    ):
        model.objects.all().delete()

    # when
    demo_load(password="Demo-pass-2026")

    # then
    assert snapshot() == first
