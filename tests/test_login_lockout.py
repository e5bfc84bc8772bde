"""Admin login: five failures for one username from one address lock that pair out for a while."""

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
