"""Two-factor sign-in: in production Publishers and Administrators use the admin only after a
code from their authenticator app; others may set one up; a device once set up is always asked."""

from html import escape

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase"


@pytest.fixture
def production(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def staff(role, name=None):
    user = User.objects.create_user(name or role.lower(), password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(client, user, token=""):
    form = {"username": user.username, "password": PASSWORD, "next": reverse("admin:index")}
    if token:
        form["otp_token"] = token
    return client.post(reverse("admin:login"), form)


def code(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def set_up_device(client):
    """Sets up an authenticator app as a user does on /admin/two-factor/."""
    page = client.get("/admin/two-factor/")
    assert "Enter the code the app shows" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    assert escape(device.config_url) in page.content.decode()
    return device, client.post("/admin/two-factor/", {"token": code(device)})


def test_a_publisher_without_a_device_cannot_reach_the_admin_in_production(client, production):
    publisher = staff("Publishers")
    assert log_in(client, publisher).status_code == 302
    for path in ["/admin/", "/admin/meetings/meeting/", "/admin/meetings/meeting/add/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"] == "/admin/two-factor/"
    page = client.get("/admin/two-factor/").content.decode()
    assert "Publishers and administrators sign in with a code" in page


def test_setting_up_a_device_opens_the_admin(client, production):
    publisher = staff("Publishers")
    log_in(client, publisher)
    device, confirmed = set_up_device(client)
    assert confirmed.status_code == 302
    assert client.get("/admin/meetings/meeting/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed and device.user == publisher


def test_a_wrong_code_does_not_set_up_the_device(client, production):
    log_in(client, staff("Administrators"))
    client.get("/admin/two-factor/")
    response = client.post("/admin/two-factor/", {"token": "000000x"})
    assert "That code does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_once_set_up_each_login_asks_for_the_code(client, production):
    publisher = staff("Publishers")
    log_in(client, publisher)
    device, _ = set_up_device(client)
    client.logout()
    response = log_in(client, publisher)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.last_t = -1  # the code of this time step was used to set the device up
    device.save()
    response = log_in(client, publisher, token=code(device))
    assert response.status_code == 302, response.context["form"].errors
    assert client.get("/admin/meetings/meeting/").status_code == 200


def test_an_editor_may_use_the_admin_without_a_device(client, production):
    log_in(client, staff("Editors"))
    assert client.get("/admin/meetings/meeting/").status_code == 200
    page = client.get("/admin/two-factor/").content.decode()
    assert "Turn on two-factor sign-in" in page and "Publishers and administrators" not in page


def test_outside_production_a_device_is_optional_for_publishers(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, staff("Publishers"))
    assert client.get("/admin/meetings/meeting/").status_code == 200


def test_the_setup_page_needs_a_signed_in_staff_user(client):
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_password_failures_still_lock_out_with_two_factor(client, production):
    publisher = staff("Publishers")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": publisher.username, "password": "no"})
    assert log_in(client, publisher).status_code == 429


def test_no_one_reads_another_users_device_key_in_the_admin(admin_client):
    device = TOTPDevice.objects.create(user=staff("Publishers"), name="Phone", confirmed=True)
    listing = admin_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "publishers" in listing
    config = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/", follow=True)
    assert device.key not in config.content.decode()
    page = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
