"""Admin for editors, one module per concept as in meetings/models/; importing each registers it."""

from editorial.admin import devices, initiatives, meetings, people, places, sources

__all__ = ["devices", "initiatives", "meetings", "people", "places", "sources"]
