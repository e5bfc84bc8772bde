from django import template
from django.utils.safestring import mark_safe

from meetings.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Editor-written Markdown as cleaned HTML: `{{ meeting.summary|markdown }}`."""
    return mark_safe(render_markdown(text))
