"""Every answer carries the security headers; cookies are Secure, HttpOnly and SameSite."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from meetings.models import State
from tests.factories import make_meeting

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


@pytest.fixture
def production_like(settings):
    """What PRODUCTION=1 turns on; the test client then asks over HTTPS."""
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def urls_to_check():
    meeting = make_meeting(state=State.PUBLISHED)
    return [
        reverse("meetings:meeting_list"),
        meeting.get_absolute_url(),
        reverse("api:meeting-list"),
        reverse("admin:login"),
    ]


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_security_headers(client, production_like):
    for url in urls_to_check():
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert set(response["Content-Security-Policy"].split("; ")) == CSP, url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
def test_the_admin_cookies_are_secure_httponly_and_lax(client, production_like):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    csrf = client.get(reverse("admin:login"), secure=True).cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "a-long-passphrase", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    # Editors sign in again after a working day, not weeks later.
    assert session["max-age"] == 8 * 60 * 60


def test_outside_production_nothing_insists_on_https(settings):
    assert settings.SECURE_HSTS_SECONDS == 0
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
