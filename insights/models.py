from django.db import models


class Aggregate(models.Model):
    """A figure of the insight pages counted over the whole record (the numbers' tables, the
    relations matrix, a pair's page), kept current by the task queue after each change
    (insights.aggregates)."""

    name = models.CharField(max_length=100, unique=True)
    data = models.JSONField()
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name
