"""Admin login: five failures for one username from one address lock that pair out for a while;
ten from one address over any usernames lock the address, ten for one username from any
addresses lock the username. X-Forwarded-For counts only behind API_NUM_PROXIES proxies."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase"


@pytest.fixture
def editor():
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client, password, address):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_out_the_username_from_that_address(client, editor):
    for _ in range(4):
        response = log_in(client, "wrong", "203.0.113.5")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    # The fifth failure reaches the limit.
    assert log_in(client, "wrong", "203.0.113.5").status_code == 429
    # The sixth attempt is refused even with the right password.
    response = log_in(client, PASSWORD, "203.0.113.5")
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_user_can_still_log_in_from_another_address(client, editor):
    for _ in range(6):
        log_in(client, "wrong", "203.0.113.5")
    response = log_in(client, PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_success_before_the_limit_clears_the_failures(client, editor):
    for _ in range(4):
        log_in(client, "wrong", "203.0.113.5")
    assert log_in(client, PASSWORD, "203.0.113.5").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "wrong", "203.0.113.5")
    assert log_in(client, PASSWORD, "203.0.113.5").status_code == 302


def test_behind_a_proxy_the_lockout_follows_the_forwarded_address(client, editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.5",
        )
    assert log_in_via_proxy(client, "203.0.113.5").status_code == 429
    assert log_in_via_proxy(client, "198.51.100.7").status_code == 302


def log_in_via_proxy(client, address):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def attempt(client, username, password, address, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **extra,
    )


def test_ten_failures_from_one_address_over_many_usernames_lock_the_address(client, editor):
    for n in range(10):
        assert attempt(client, f"user{n % 5}", "wrong", "203.0.113.5").status_code in (200, 429)
    response = attempt(client, "editor", PASSWORD, "203.0.113.5")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert attempt(client, "editor", PASSWORD, "198.51.100.7").status_code == 302


def test_nine_failures_over_usernames_from_one_address_lock_nothing(client, editor):
    for n in range(9):
        attempt(client, f"user{n}", "wrong", "203.0.113.5")
    assert attempt(client, "editor", PASSWORD, "203.0.113.5").status_code == 302


def test_ten_failures_for_one_username_from_many_addresses_lock_the_username(client, editor):
    for n in range(10):
        attempt(client, "editor", "wrong", f"203.0.113.{n + 1}")
    response = attempt(client, "editor", PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_without_trusted_proxies_a_forwarded_address_is_ignored(client, editor, settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    for n in range(20):
        attempt(client, f"user{n % 4}", "wrong", "203.0.113.5", forwarded=f"198.51.100.{n + 1}")
    assert attempt(
        client, "editor", PASSWORD, "203.0.113.5", forwarded="192.0.2.1"
    ).status_code == (429)
    assert "_auth_user_id" not in client.session
