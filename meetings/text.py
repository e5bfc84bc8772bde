"""Editor-written text: Markdown, stored without HTML and shown through an allow-list.

On save, `strip_html` removes any HTML tag an editor (or an import) put in the text, keeping
plain characters readable ("a & b" stays "a & b"). On display, `render_markdown` turns the
Markdown into HTML with raw HTML switched off, lets links go only to http, https and mailto
addresses, and cleans the result with nh3 against an allow-list of tags and attributes.
"""

import html

import nh3
from markdown_it import MarkdownIt

LINK_SCHEMES = {"http", "https", "mailto"}
TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow noopener noreferrer"
# Each pass removes tags or decodes one level of entities; text needs at most a few.
MAX_PASSES = 10


def strip_html(text):
    """`text` without HTML tags or comments, its entities decoded ("&amp;" becomes "&").

    Decoding can reveal a tag ("&lt;script&gt;"), so the text is cleaned until nothing changes.
    """
    for _ in range(MAX_PASSES):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    return text


def safe_link(url):
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.strip().lower() in LINK_SCHEMES


markdown = MarkdownIt("commonmark", {"html": False, "breaks": True})
markdown.validateLink = safe_link


def render_markdown(text):
    """HTML for `text` written in Markdown: only allowed tags, links marked nofollow."""
    if not text:
        return ""
    return nh3.clean(
        markdown.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel=LINK_REL,
    )


class MarkdownText:
    """Model mixin: the fields named in `markdown_fields` lose any HTML on every save."""

    markdown_fields = ()

    def save(self, *args, **kwargs):
        for name in self.markdown_fields:
            value = getattr(self, name)
            if value:
                setattr(self, name, strip_html(value))
        super().save(*args, **kwargs)
