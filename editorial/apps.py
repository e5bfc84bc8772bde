from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial tools"

    def ready(self):
        from .roles import sync_roles

        # Sent for each app once its migrations ran; this app comes after the content apps, so
        # their permissions exist by then.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="editorial-roles")
