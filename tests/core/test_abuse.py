"""Sign-in abuse: lockouts per username and address, per-address throttles, expiring and revocable API tokens."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from core.throttling import throttle_message
from enterprises.models import Enterprise
from enterprises.services.registration import NEXT_STEP_REVIEW

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"
THROTTLED_PREFIX = "请求过于频繁，请 "


@pytest.fixture
def rates(settings):
    def _set(*, login: str = "100000/min", registration: str = "100000/min") -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"login": login, "registration": registration},
        }

    return _set


@pytest.fixture(autouse=True)
def _fresh_counters():
    from django.core.cache import cache

    cache.clear()


def _login(client, *, username: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_from_one_address_do_not_lock_the_owner_out_from_another(client, make_user):
    # given the platform admin, and an attacker at 203.0.113.9 who failed five times
    make_user("admin", Role.ADMIN)
    failures = [_login(client, username="admin", password="wrong-guess", ip="203.0.113.9") for _ in range(5)]
    assert [f.status_code for f in failures] == [200, 200, 200, 200, 429]  # the fifth failure locks

    # when the attacker tries again, and the owner signs in from 198.51.100.4
    attacker = _login(client, username="admin", password=PASSWORD, ip="203.0.113.9")
    owner = _login(client, username="admin", password=PASSWORD, ip="198.51.100.4")

    # then only the attacker's address is locked out of that account
    assert attacker.status_code == 429
    assert owner.status_code == 302
    assert owner["Location"] == reverse("home")
    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("admin", "203.0.113.9", 6)  # the five, and the locked-out sixth
    ]


def test_a_spoofed_forwarded_for_header_does_not_give_the_attacker_a_fresh_address(client, make_user, settings):
    # given no reverse proxy in front of the platform, and five failures from 203.0.113.9
    settings.BEHIND_PROXY = False
    make_user("admin", Role.ADMIN)
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    # when the attacker claims yet another address
    response = client.post(
        reverse("login"),
        {"username": "admin", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )

    # then the lockout still applies: the header was not believed
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_behind_the_proxy_the_hop_it_appended_is_the_client_address(client, make_user, settings):
    # given the platform behind its reverse proxy (REMOTE_ADDR is the proxy), and a client forging a first hop
    settings.BEHIND_PROXY = True
    make_user("admin", Role.ADMIN)

    # when it fails once
    client.post(
        reverse("login"),
        {"username": "admin", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
    )

    # then the failure is recorded against the address the proxy saw
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_the_sign_in_page_is_throttled_per_address(client, officer, rates):
    # given a limit of 3 sign-in attempts a minute per address
    rates(login="3/min")
    for n in range(3):
        _login(client, username=f"user{n}", password="wrong", ip="203.0.113.9")

    # when the address tries a fourth account, and another address signs in
    throttled = _login(client, username="officer_a", password=PASSWORD, ip="203.0.113.9")
    other = _login(client, username="officer_a", password=PASSWORD, ip="198.51.100.4")

    # then the fourth attempt is refused with 429 and Retry-After before any password is checked
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "60"
    assert f"{THROTTLED_PREFIX}60 秒后再试 / Too many requests: try again in 60 seconds" in throttled.content.decode()
    assert other.status_code == 302
    assert AccessAttempt.objects.filter(username="officer_a").count() == 0


def test_the_token_endpoint_is_throttled_per_address_in_the_api_error_format(api_client, officer, rates):
    # given a limit of 2 token requests a minute per address
    rates(login="2/min")
    url = reverse("api-token")
    for _ in range(2):
        api_client.post(url, {"username": "officer_a", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")

    # when a third request comes from that address
    response = api_client.post(url, {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")

    # then 429 with Retry-After, in the API's one error format, and no token was issued
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "error": {
            "code": "throttled",
            "message": "请求过于频繁，请 60 秒后再试 / Too many requests: try again in 60 seconds",
            "details": {},
        }
    }
    assert Token.objects.count() == 0


def test_an_expired_token_is_refused_with_401_and_deleted(api_client, officer, settings):
    # given a token issued 31 days ago with a 30-day lifetime
    settings.API_TOKEN_TTL_DAYS = 30
    user = officer
    token = Token.objects.create(user=user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=31))

    # when it is used
    response = api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")

    # then 401, with the challenge, and the token is gone
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "error": {
            "code": "authentication_failed",
            "message": "令牌已过期，请重新获取 / The token has expired: request a new one",
            "details": {},
        }
    }
    assert Token.objects.count() == 0


def test_a_token_inside_its_lifetime_works_and_signing_in_again_replaces_an_expired_one(api_client, officer):
    # given a user whose token expired
    user = officer
    old = Token.objects.create(user=user)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))

    # when they request a token, and use it
    key = api_client.post(reverse("api-token"), {"username": "officer_a", "password": PASSWORD}).json()["token"]
    me = api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}")

    # then a new key was issued and it works
    assert key != old.key
    assert list(Token.objects.values_list("key", flat=True)) == [key]
    assert me.status_code == 200
    assert me.json()["username"] == "officer_a"


def test_the_api_logout_revokes_the_token(api_client, officer):
    # given a user with a token
    user = officer
    token = Token.objects.create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    # when they sign out through the API, then use the token again
    logout = api_client.post(reverse("api-logout"), **auth)
    after = api_client.get(reverse("api-me"), **auth)

    # then the token no longer works
    assert logout.status_code == 204
    assert after.status_code == 401
    assert Token.objects.count() == 0


def test_the_page_logout_revokes_the_token(client, officer):
    # given a user signed in to the portal who also holds an API token
    user = officer
    Token.objects.create(user=user)
    client.force_login(user)

    # when they sign out of the portal
    response = client.post(reverse("logout"))

    # then the token is revoked too
    assert response.status_code == 302
    assert Token.objects.count() == 0


REGISTRATION = {
    "password": "Guanggu-Battery-2026",
    "name": "武汉新能源科技有限公司",
    "city": "4201",
    "contact_name": "张敏",
}


@pytest.mark.parametrize("taken", ["admin", "free-name"])
def test_registration_takes_no_username_so_it_cannot_reveal_one(api_client, client, make_user, taken):
    # given an existing account "admin"
    make_user("admin", Role.ADMIN)

    # when someone registers naming a username that exists or one that does not, through the API and the page
    api = api_client.post(
        reverse("enterprises-api:enterprise-register"),
        {**REGISTRATION, "uscc": "91110108795101314G", "username": taken},
        format="json",
    )
    page = client.post(
        reverse("enterprises:signup"),
        {
            **REGISTRATION,
            "uscc": "91330106673959654P",
            "name": "杭州新材料有限公司",
            "password1": REGISTRATION["password"],
            "password2": REGISTRATION["password"],
            "username": taken,
        },
    )

    # then both answers are the same whichever name was given: the accounts are named by their codes
    assert api.status_code == 201
    assert {k: v for k, v in api.json().items() if k != "pk"} == {
        "name": "武汉新能源科技有限公司",
        "uscc": "91110108795101314G",
        "verification": "review",
        "username": "91110108795101314G",
        "next_step": NEXT_STEP_REVIEW,
        "claim": None,
    }
    assert (page.status_code, page["Location"]) == (302, reverse("enterprises:profile"))
    assert sorted(User.objects.filter(role=Role.ENTERPRISE).values_list("username", flat=True)) == [
        "91110108795101314G",
        "91330106673959654P",
    ]


def test_registration_is_throttled_per_address_on_the_api_and_the_page(api_client, client, rates):
    # given a limit of 1 registration an hour per address, used up through the API
    rates(registration="1/hour")
    url = reverse("enterprises-api:enterprise-register")
    first = api_client.post(
        url, {**REGISTRATION, "uscc": "91110108795101314G"}, format="json", REMOTE_ADDR="203.0.113.9"
    )

    # when the same address registers again through the API and through the page
    api = api_client.post(
        url, {**REGISTRATION, "uscc": "91330106673959654P", "name": "另一家"}, format="json", REMOTE_ADDR="203.0.113.9"
    )
    page = client.post(
        reverse("enterprises:signup"),
        {**REGISTRATION, "uscc": "91330106673959654P", "name": "另一家", "password1": "x", "password2": "x"},
        REMOTE_ADDR="203.0.113.9",
    )

    # then both answer 429 with Retry-After and nothing more was written
    assert first.status_code == 201
    assert (api.status_code, api["Retry-After"], api.json()["error"]["code"]) == (429, "3600", "throttled")
    assert api.json()["error"]["message"] == throttle_message(seconds=3600)
    assert (page.status_code, page["Retry-After"]) == (429, "3600")
    assert throttle_message(seconds=3600) in page.content.decode()
    assert list(Enterprise.objects.values_list("uscc", flat=True)) == ["91110108795101314G"]


def test_the_lockout_page_is_in_the_users_language(client, make_user):
    # given an account locked from one address
    make_user("admin", Role.ADMIN)
    for _ in range(5):
        _login(client, username="admin", password="wrong-guess", ip="203.0.113.9")
    # when the locked address tries again, in Chinese and in English
    chinese = _login(client, username="admin", password=PASSWORD, ip="203.0.113.9")
    client.cookies["django_language"] = "en"
    english = _login(client, username="admin", password=PASSWORD, ip="203.0.113.9")
    # then both are the platform's own page, not axes' English one-liner
    assert (chinese.status_code, english.status_code) == (429, 429)
    assert "登录已暂时锁定" in chinese.content.decode()
    assert "连续 5 次登录失败" in chinese.content.decode()
    assert "Sign-in temporarily locked" in english.content.decode()
