"""Two-factor sign-in to the admin (django-otp, TOTP: a code from an authenticator app).

Anyone who has set up a device gives its code with the password at every login. Publishers,
Administrators and superusers must have one when TWO_FACTOR_REQUIRED is on (PRODUCTION=1 turns
it on): until they have signed in with a code, the admin shows them only the page that sets up
their device (/admin/two-factor/). Other staff may set one up there too. An Administrator can
remove a lost device under "TOTP devices". Password failures stay limited by django-axes
(sco_tracker/logins.py); wrong codes by django-otp's own throttle on each device.
"""

from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

ROLES_NEEDING_A_DEVICE = ("Publishers", "Administrators")
DEVICE_NAME = "Authenticator app"


def needs_a_device(user):
    """Whether `user` may use the admin only after signing in with a code (this causes a query
    for a user who is not a superuser)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=ROLES_NEEDING_A_DEVICE).exists()


class LoginForm(OTPAdminAuthenticationForm):
    """The admin's login: password, then the code for a user who has a device."""

    def clean(self):
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        """The device picked in the form, or else the user's first (most have one)."""
        chosen = super()._chosen_device(user)
        return chosen or next(iter(devices_for_user(user, for_verify=True)), None)


class SiteWithTwoFactor(admin.AdminSite):
    login_form = LoginForm
    login_template = "otp/admin111/login.html"

    def has_permission(self, request):
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return super().has_permission(request) and (verified or not needs_a_device(user))

    def login(self, request, extra_context=None):
        user = request.user
        if (
            request.method == "GET"
            and user.is_active
            and user.is_staff
            and not self.has_permission(request)
            and not user_has_device(user)
        ):
            return redirect("admin:two_factor")
        return super().login(request, extra_context)

    def get_urls(self):
        setup = staff_member_required(two_factor_setup, login_url="admin:login")
        return [path("two-factor/", setup, name="two_factor"), *super().get_urls()]


class ConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        help_text=_("The 6 digits your authenticator app shows for SCO Tracker."),
    )


@transaction.atomic
def two_factor_setup(request):
    """The signed-in user's authenticator app: a key to add to the app, then a code to confirm.
    A confirmed device signs this session in with it."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return render(request, "admin/two_factor.html", {**admin.site.each_context(request),
                      "title": _("Two-factor sign-in"), "device": confirmed})  # fmt: skip
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = ConfirmForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(reverse("admin:index"))
        form.add_error("token", _("That code does not match: check the app's time and try again."))
    ctx = {
        **admin.site.each_context(request),
        "title": _("Set up two-factor sign-in"),
        "form": form,
        "key": _base32(device),
        "config_url": device.config_url,
        "required": needs_a_device(user),
    }
    return render(request, "admin/two_factor.html", ctx)


def _base32(device):
    """The device's key as an authenticator app asks for it when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")
