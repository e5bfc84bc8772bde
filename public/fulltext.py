"""Site search on SQLite: each public kind's FTS5 table (created by meetings' migration 0011).

A kind's table is named after the model's, `<table>_fts`; its rowid is the record's id and its
columns a, b and c hold the record's search document by weight, the same text PostgreSQL's
search vectors are built from (SearchSpec.document). The tokenizer folds case and diacritics in
every script and stems English words, so "agreements" finds "agreement" and "Токаев" finds
"ТОКАЕВ". A search for several words finds the records having all of them, each word also as the
start of a longer one ("samark" finds "Samarkand"); the best come first by bm25, weighted as
PostgreSQL weighs A, B and C.

Officials are also found by spellings near their names: a word of the query that starts no name
on record is matched with the names' words most like it ("Tokaev" finds "Tokayev"), as trigram
similarity does on PostgreSQL.
"""

import difflib
import re

from django.db import connection
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from public.exports import chunks

# bm25's weights of the columns a, b and c: PostgreSQL's default weights of A, B and C.
WEIGHTS = (1.0, 0.4, 0.2)
# How like a name's word a query's word must be (difflib's ratio) to stand for it.
SIMILARITY = 0.8
# Where snippet() marks a match: characters that no document holds (clean() drops them).
START, END = "\x02", "\x03"
SNIPPET_WORDS = 16
WORD = re.compile(r"\w+")


def table(model):
    return connection.ops.quote_name(f"{model._meta.db_table}_fts")


def clean(text):
    return (text or "").replace(START, "").replace(END, "")


def refresh(queryset, documents):
    """Index `queryset`'s records by their `documents` (record → {weight: [texts]}), a chunk at
    a time (exports.CHUNK_SIZE); forget the records that no longer exist. Returns how many
    were indexed."""
    model = queryset.model
    name = table(model)
    records = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    count = 0
    with connection.cursor() as cursor:
        for chunk in chunks(queryset):
            rows = []
            for record in chunk:
                texts = documents(record)
                weighed = (" ".join(clean(t) for t in texts.get(w, ()) if t) for w in "ABC")
                rows.append([record.pk, *weighed])
            ids = [row[0] for row in rows]
            cursor.execute(
                f"DELETE FROM {name} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids
            )
            cursor.executemany(f"INSERT INTO {name} (rowid, a, b, c) VALUES (%s, %s, %s, %s)", rows)
            count += len(rows)
        cursor.execute(f"DELETE FROM {name} WHERE rowid NOT IN (SELECT {pk} FROM {records})")
    return count


def phrases(query):
    """The query's words, grouped as written: "Nur-Sultan 2022" → [["Nur", "Sultan"], ["2022"]]."""
    return [words for part in query.split() if (words := WORD.findall(part))]


def expression(query, variants=None):
    """An FTS5 query finding the records with every phrase of `query`, its last word a prefix.

    Each phrase is quoted, so nothing the reader types is read as FTS5 syntax. `variants`
    ({word: [terms]}) adds other terms that a one-word phrase may match instead.
    """
    parts = []
    for words in phrases(query):
        quoted = f'"{" ".join(words)}"*'
        others = (variants or {}).get(words[0].lower(), []) if len(words) == 1 else []
        if others:
            quoted = "(" + " OR ".join([quoted, *(f'a : "{term}"' for term in others)]) + ")"
        parts.append(quoted)
    return " ".join(parts)


def name_variants(model, query):
    """{word: terms of the records' names like it} for each word of `query` that starts no term
    of their names (column a). Reads the names' terms: one query."""
    words = {w.lower() for words in phrases(query) if len(words) == 1 for w in words}
    words = {w for w in words if len(w) >= 4 and not w.isdigit()}
    if not words:
        return {}
    terms_table = connection.ops.quote_name(f"{model._meta.db_table}_fts_terms")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {terms_table} WHERE col = 'a'")
        terms = [term for (term,) in cursor.fetchall()]
    return {
        word: difflib.get_close_matches(word, terms, n=3, cutoff=SIMILARITY)
        for word in words
        if not any(term.startswith(word) for term in terms)
    }


def matching(queryset, query, fuzzy=False):
    """`queryset` narrowed to the records whose document matches `query`, with its `rank`
    (higher is better) and a `snippet` of the text that matched (see highlight()).

    The index is joined to the records (QuerySet.extra(): the ORM joins no table without a
    model), so that one pass over the matches gives them all; bm25() and snippet() work only
    there, so the query takes no window function (count the matches with count()).
    """
    model = queryset.model
    match = expression(query, name_variants(model, query) if fuzzy else None)
    if not match:
        return queryset.none().extra(select={"rank": "0.0", "snippet": "''"})
    name = f"{model._meta.db_table}_fts"
    quoted = connection.ops.quote_name(name)
    records = connection.ops.quote_name(model._meta.db_table)
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    return queryset.extra(
        select={
            "rank": f"-bm25({quoted}, {weights})",
            "snippet": f"snippet({quoted}, -1, char(2), char(3), '…', {SNIPPET_WORDS})",
        },
        tables=[name],
        where=[f"{quoted}.rowid = {records}.{connection.ops.quote_name(model._meta.pk.column)}",
               f"{quoted} MATCH %s"],
        params=[match],
    )  # fmt: skip


def highlight(snippet):
    """A snippet() or headline as HTML: its text escaped, the matched words in <mark>; "" when
    it marks none (on PostgreSQL, an official found by a near spelling of his name)."""
    if START not in (snippet or ""):
        return ""
    text = conditional_escape(snippet)
    return mark_safe(text.replace(START, "<mark>").replace(END, "</mark>"))
