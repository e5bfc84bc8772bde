"""Admin for editors, one module per concept as in meetings/models/."""

from . import meetings, people, places, sources
from .base import EditorAdmin, PublishableAdmin, publish, unpublish
from .sources import DisagreementInline

__all__ = [
    "DisagreementInline",
    "EditorAdmin",
    "PublishableAdmin",
    "meetings",
    "people",
    "places",
    "publish",
    "sources",
    "unpublish",
]
