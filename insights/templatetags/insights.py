"""Insight fragments for pages that other views render: an official's network, a summit's
outcomes."""

from django import template

from insights import charts
from insights.register import describe_outcome, documents

register = template.Library()


@register.inclusion_tag("insights/_network.html")
def official_network(official, counterparts, meeting_count):
    """The official in the centre, `counterparts` (annotated with `shared`) around them.

    Reads the counterparts the page has already loaded: no query of its own.
    """
    nodes = [(other.name, other.get_absolute_url(), other.shared) for other in counterparts]
    if not nodes:
        return {"official": official, "nodes": [], "meeting_count": meeting_count}
    label = (
        f"Network of {official.name}'s meetings: {len(nodes)} most frequent counterpart"
        f"{'' if len(nodes) == 1 else 's'}, lines thicker for more shared meetings"
    )
    centre = (official.name, official.get_absolute_url())
    return {
        "official": official,
        "nodes": [
            {
                "name": name,
                "url": url,
                "shared": shared,
                "share": round(100 * shared / meeting_count) if meeting_count else 0,
            }
            for name, url, shared in nodes
        ],
        "meeting_count": meeting_count,
        "chart": charts.network(label, centre, nodes, chart_id="official-network"),
    }


@register.inclusion_tag("insights/_summit_outcomes.html")
def summit_outcomes(summit):
    """The documents adopted at `summit`, with what became of them: one query."""
    adopted = [describe_outcome(document) for document in documents(summit)]
    return {"summit": summit, "documents": adopted}
