"""Numbers as the reader's language groups them: 12,345 in English, 12 345 in Russian."""

from babel.numbers import format_decimal

from meetings.dates import babel_locale


def number(value):
    """`value` with the active language's digit grouping ('10,000', '10 000', '10,000')."""
    return format_decimal(value, locale=babel_locale())
