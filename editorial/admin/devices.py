"""Editors' two-factor devices (editorial/two_factor.py): an Administrator may see whose they are
and delete a lost one, so that its owner sets up a new one. No one reads a device's key here
(django-otp's own admin shows it to anyone who may view devices); each user sets up their own
device at /admin/two-factor/."""

import django_otp.plugins.otp_totp.admin  # noqa: F401 (registers its admin, replaced below)
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
