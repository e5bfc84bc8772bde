"""The reader's sentences, in English and in the language of the page that shows them.

The reader runs outside any page, and `read_article --json` gives its problems in English, so a
finding is a `Note`: the English sentence itself (a `str`, as before) that keeps its message id,
its values and a `code` for code that looks for one kind of note. A page shows it with
`translated(note)`, in the active language:

    Note(gettext_noop("Unknown place “%(name)s”."), "unknown_place", name="Nursultan")

A value that is itself a Note ("the dateline") is translated with the sentence; a list of values
is written with "; " between them. Other values are written in the sentence's language when it is
written: a record by its `str()`, and a day or a name worked out then with `later(function, ...)`.
"""

from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop


class Note(str):
    def __new__(cls, message, code="", **values):
        with translation.override("en"):
            english = {name: joined(value, str) for name, value in values.items()}
        note = super().__new__(cls, written(message, english))
        note.message, note.code, note.values = message, code, values
        return note

    def translated(self):
        values = {name: joined(value, in_language) for name, value in self.values.items()}
        return written(gettext(self.message), values)


def translated(line):
    """A Note in the active language; any other text as it is."""
    return line.translated() if isinstance(line, Note) else line


def in_language(value):
    return str(translated(value))


def later(function, *args):
    """`function(*args)` as text, called when a note is written: `later(format_partial, day)`."""
    return lazy(function, str)(*args)


def written(message, values):
    """The message with its values; one that starts with a value starts with a capital."""
    if not values:
        return message
    text = message % values
    return capfirst(text) if message.startswith("%(") else text


def joined(value, write):
    return "; ".join(map(write, value)) if isinstance(value, list) else write(value)


# Where a finding was read, for "from %(where)s".
THE_DATELINE = Note(gettext_noop("the dateline"))
THE_TEXT = Note(gettext_noop("the text"))
THE_FIRST_PARAGRAPH = Note(gettext_noop("the first paragraph"))
THE_PUBLICATION_DATE = Note(gettext_noop("the publication date"))
AT_THE_SECRETARIAT = Note(gettext_noop("the SCO Secretariat, in Beijing"))
THE_SUMMIT = Note(gettext_noop("the summit it belongs to"))
