from .base import EditConflict, History, Publishable, PublishableQuerySet, State
from .meetings import Council, Format, Meeting, Participation, Summit, Topic, ordinal
from .people import Attestation, Official, OfficialName, Organization, Position, Post
from .places import Country, CountryStatus, Place, PlaceName, SCOStatus
from .sources import Disagreement, Source
from .summaries import CacheGeneration, FacetSummary

__all__ = [
    "Attestation",
    "CacheGeneration",
    "Council",
    "Country",
    "CountryStatus",
    "Disagreement",
    "EditConflict",
    "FacetSummary",
    "Format",
    "History",
    "Meeting",
    "Official",
    "OfficialName",
    "Organization",
    "Participation",
    "Place",
    "PlaceName",
    "Position",
    "Post",
    "Publishable",
    "PublishableQuerySet",
    "SCOStatus",
    "Source",
    "State",
    "Summit",
    "Topic",
    "ordinal",
]
