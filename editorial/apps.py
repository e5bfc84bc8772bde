from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    default = True
    name = "editorial"
    verbose_name = "Editorial tools"

    def ready(self):
        from .roles import sync_roles

        # Sent for each app once its migrations ran; this app comes after the content apps, so
        # their permissions exist by then.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="editorial-roles")


class AdminWithTwoFactorConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that asks for a second factor (editorial/two_factor.py)."""

    default = False
    default_site = "editorial.two_factor.SiteWithTwoFactor"
