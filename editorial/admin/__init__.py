"""Admin for editors, one module per concept as in meetings/models/; importing each registers it."""

from editorial.admin import initiatives, meetings, people, places, sources

__all__ = ["initiatives", "meetings", "people", "places", "sources"]
