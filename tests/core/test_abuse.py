"""Sign-in abuse: lockouts per username and address, per-address throttles, expiring and revocable API tokens."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
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


def test_successful_sign_ins_do_not_count_against_the_address_only_failures_do(api_client, officer, rates):
    # given a limit of 3 sign-ins a minute per address, and an office behind one NAT address
    rates(login="3/min")
    office = "203.0.113.9"

    # when its people sign in 6 times (each in their own browser, or through the API), then someone mistypes a
    # password 3 times, then someone signs in again
    pages = [_login(Client(), username="officer_a", password=PASSWORD, ip=office) for _ in range(3)]
    tokens = [
        api_client.post(reverse("api-token"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR=office)
        for _ in range(3)
    ]
    failures = [_login(Client(), username="officer_a", password="typo", ip=office) for _ in range(3)]
    after = api_client.post(reverse("api-token"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR=office)

    # then every successful sign-in went through; the three failures used up the address's rate
    assert [r.status_code for r in pages] == [302, 302, 302]
    assert [r.status_code for r in tokens] == [200, 200, 200]
    assert [r.status_code for r in failures] == [200, 200, 200]
    assert (after.status_code, after["Retry-After"]) == (429, "60")
    assert AccessAttempt.objects.get().failures_since_start == 3  # axes still counts them for its lockout


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


def _locked_until(username: str, ip: str) -> str:
    attempt = AccessAttempt.objects.get(username=username, ip_address=ip)
    return timezone.localtime(attempt.attempt_time + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")


def test_the_lockout_page_says_how_long_until_when_and_what_to_do_in_the_platforms_layout(client, make_user):
    # given an account locked from one address after five failures
    make_user("admin", Role.ADMIN)
    for _ in range(5):
        _login(client, username="admin", password="wrong-guess", ip="203.0.113.9")

    # when the locked address tries again, in Chinese, then in English
    chinese = _login(client, username="admin", password=PASSWORD, ip="203.0.113.9")
    chinese_until = _locked_until("admin", "203.0.113.9")
    client.cookies["django_language"] = "en"
    english = _login(client, username="admin", password=PASSWORD, ip="203.0.113.9")
    english_until = _locked_until("admin", "203.0.113.9")

    # then the status is still 429, with Retry-After the hour the lock still lasts, on the platform's own page
    for response in (chinese, english):
        assert response.status_code == 429
        assert 3590 <= int(response["Retry-After"]) <= 3600
        assert 'class="topbar"' in response.content.decode()  # base.html's layout, the language menu with it
        assert 'name="language"' in response.content.decode()
    # and it says how long, until when, and what to do, in the user's language
    assert f"锁定 1 小时，至 {chinese_until} 解除；锁定期间再次尝试会重新计时。" in chinese.content.decode()
    assert "如忘记密码，请联系平台管理员重置" in chinese.content.decode()
    assert (
        f"It is locked for 1 hour, until {english_until}; an attempt during the lock restarts it."
        in english.content.decode()
    )
    assert "ask the platform administrator to reset it" in english.content.decode()


def test_the_token_endpoint_answers_a_locked_account_with_429_saying_until_when(api_client, make_user):
    # given five failed token requests for one account from one address
    make_user("admin", Role.ADMIN)
    url = reverse("api-token")
    failures = [
        api_client.post(url, {"username": "admin", "password": "wrong-guess"}, REMOTE_ADDR="203.0.113.9")
        for _ in range(5)
    ]

    # when the right password comes from that address
    response = api_client.post(url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")

    # then the fifth failure locked the account there, and the API says so, until when, in its error format
    until = _locked_until("admin", "203.0.113.9")
    assert [f.status_code for f in failures] == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert response.json() == {
        "error": {
            "code": "locked_out",
            "message": (
                "该账号在此网络地址连续 5 次登录失败，已锁定 1 小时，"
                f"请于 {until} 后再试（锁定期间再次尝试会重新计时）；如忘记密码，请联系平台管理员 / "
                "5 failed sign-ins in a row for this account from this address: it is locked for 1 hour. "
                f"Try again after {until} (an attempt during the lock restarts it); "
                "if you forgot the password, contact the platform administrator"
            ),
            "details": {},
        }
    }
    assert Token.objects.count() == 0
