from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
    verbose_name = "Insight views"

    def ready(self):
        from public.tasks import AFTER_REFRESH

        from .aggregates import refresh

        # The task that refreshes search and facet counts after a change counts these too.
        AFTER_REFRESH.append(refresh)
