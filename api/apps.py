from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "JSON API"

    def ready(self):
        # Registers the schema extensions with drf-spectacular.
        from . import schema  # noqa: F401
