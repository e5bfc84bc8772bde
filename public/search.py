"""One search across every kind of record.

On PostgreSQL each public model keeps a weighted `search_vector` (GIN-indexed) that
`refresh_search_vectors()` rebuilds from the record and its related names; officials are also
matched by trigram word similarity (pg_trgm) on their name and every other spelling, so
transliterations and typos still find them. On SQLite each kind's FTS5 table, filled from the
same documents, serves instead (public.fulltext). A result shows the text of its document
around the words found, marked: FTS5's snippet() on SQLite, ts_headline on PostgreSQL.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import Count, F, Q, Value, Window, prefetch_related_objects
from django.db.models.functions import Greatest
from django.urls import reverse

from meetings.models import Country, Meeting, Official, OfficialName
from public import fulltext
from public.registry import content_models, kind_of, kinds

CONFIG = "english"
PER_KIND = 10
WORD_SIMILARITY = 0.5


def on_postgres():
    return connection.vendor == "postgresql"


def document_spec(model):
    """(document, prefetch, related) of `model`'s search document."""
    spec = kind_of(model).search
    return spec.document, spec.prefetch, spec.related


def refresh_search_vectors(queryset):
    """Rebuild the search vectors of `queryset`'s records (on PostgreSQL one UPDATE each; on
    SQLite their rows of the full-text index)."""
    build, prefetch, related = document_spec(queryset.model)
    if not on_postgres():
        return fulltext.refresh(
            queryset.select_related(*related).prefetch_related(*prefetch), build
        )
    count = 0
    for record in queryset.select_related(*related).prefetch_related(*prefetch).iterator(500):
        vector = None
        for weight, parts in build(record).items():
            text = " ".join(part for part in parts if part)
            if not text:
                continue
            part = SearchVector(Value(text), weight=weight, config=CONFIG)
            vector = part if vector is None else vector + part
        if vector is not None:
            queryset.model.objects.filter(pk=record.pk).update(search_vector=vector)
            count += 1
    return count


def refresh_in_bulk(queryset):
    """Rebuild the search vectors of `queryset`'s records with one UPDATE.

    Meetings, the many, are built in SQL from their related rows; the other kinds by their
    document functions above, sent as arrays. On SQLite the records' rows of the full-text index
    are written instead. Returns the number of records updated.
    """
    if not on_postgres():
        return refresh_search_vectors(queryset)
    model = queryset.model
    if model is Meeting:
        return refresh_meetings_in_bulk(queryset)
    build, prefetch, related = document_spec(model)
    ids, parts = [], {"A": [], "B": [], "C": []}
    for record in queryset.select_related(*related).prefetch_related(*prefetch).iterator(2000):
        ids.append(record.pk)
        for weight, texts in build(record).items():
            parts[weight].append(" ".join(text for text in texts if text))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} AS record SET search_vector =
                setweight(to_tsvector(%s::regconfig, part.a), 'A')
                || setweight(to_tsvector(%s::regconfig, part.b), 'B')
                || setweight(to_tsvector(%s::regconfig, part.c), 'C')
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS part(id, a, b, c)
            WHERE record.id = part.id""",
            [CONFIG, CONFIG, CONFIG, ids, parts["A"], parts["B"], parts["C"]],
        )
        return cursor.rowcount


def refresh_meetings_in_bulk(queryset):
    """meeting_document() in SQL: title; participants' names, places, country; summary, topics."""
    from meetings.models import OfficialName, Participation, Place, PlaceName, Topic

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    topics = table(Meeting.topics.through)
    ids, params = queryset.values("pk").query.sql_with_params()
    sql = f"""
        WITH aliases AS (
            SELECT official_id, string_agg(name, ' ') AS names
            FROM {table(OfficialName)} GROUP BY official_id
        ), people AS (
            SELECT p.meeting_id, string_agg(o.name || ' ' || coalesce(a.names, ''), ' ') AS text
            FROM {table(Participation)} p
            JOIN {table(Official)} o ON o.id = p.official_id
            LEFT JOIN aliases a ON a.official_id = o.id
            WHERE p.meeting_id IN ({ids})
            GROUP BY p.meeting_id
        ), subjects AS (
            SELECT mt.meeting_id, string_agg(t.name, ' ') AS text
            FROM {topics} mt JOIN {table(Topic)} t ON t.id = mt.topic_id
            WHERE mt.meeting_id IN ({ids})
            GROUP BY mt.meeting_id
        ), places AS (
            SELECT pl.id, pl.name || ' ' || coalesce(string_agg(pn.name, ' '), '') AS text
            FROM {table(Place)} pl LEFT JOIN {table(PlaceName)} pn ON pn.place_id = pl.id
            GROUP BY pl.id
        )
        UPDATE {table(Meeting)} AS meeting SET search_vector =
            setweight(to_tsvector(%s::regconfig, meeting.title), 'A')
            || setweight(
                to_tsvector(%s::regconfig, concat_ws(' ', people.text, places.text, c.name)), 'B'
            )
            || setweight(to_tsvector(%s::regconfig, concat_ws(' ', m.summary, subjects.text)), 'C')
        FROM {table(Meeting)} m
        LEFT JOIN people ON people.meeting_id = m.id
        LEFT JOIN subjects ON subjects.meeting_id = m.id
        LEFT JOIN places ON places.id = m.place_id
        LEFT JOIN {table(Country)} c ON c.id = m.country_id
        WHERE meeting.id = m.id AND m.id IN ({ids})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params, CONFIG, CONFIG, CONFIG, *params])
        return cursor.rowcount


def refresh_all_in_bulk(data_key_prefix=None):
    """Rebuild the search vectors of every kind, one UPDATE each: (kind, records) pairs.

    With `data_key_prefix`, only the records whose data_key starts with it.
    """
    for model in content_models():
        queryset = model.objects.all()
        if data_key_prefix:
            queryset = queryset.filter(data_key__startswith=data_key_prefix)
        yield model._meta.verbose_name_plural, refresh_in_bulk(queryset)


@dataclass
class Group:
    key: str
    title: str
    results: list
    total: int
    # The kind's list searched for the same words, where its list has a search box.
    list_url: str = ""

    def rows(self):
        """(record, heading, details, snippet) of each result, as the kind's SearchSpec words
        them; the snippet is the matching text with the words found marked (SQLite only)."""
        spec = kinds()[self.key].search
        return [
            (
                record,
                spec.heading(record),
                spec.details(record),
                fulltext.highlight(getattr(record, "snippet", "")),
            )
            for record in self.results
        ]


def search_records(query, order="relevance"):
    """Published records matching `query`, grouped by kind, best (or newest) first.

    On PostgreSQL the queries run in one transaction whose pg_trgm word-similarity threshold is
    WORD_SIMILARITY: the default (0.6) misses one-letter transliteration differences such as
    "Tokaev" for "Tokayev" (0.57). The setting ends with the transaction, so a pooled
    connection goes back as it came.
    """
    with transaction.atomic():
        if on_postgres():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(WORD_SIMILARITY)],
                )
        return [search_kind(key, kind, query, order) for key, kind in kinds().items()]


def search_kind(key, kind, query, order):
    """The first PER_KIND results of one kind, with the number of all its matches: one query
    (on SQLite two: see fulltext.matching)."""
    date_field = kind.search.date_field
    matches = matching(kind.search.queryset().published(), query)
    if order == "date" and date_field:
        ordering = [F(date_field).desc(nulls_last=True), "-rank", "pk"]
    else:
        ordering = ["-rank", "pk"]
    if on_postgres():
        # The window count gives the number of all matches with the first rows.
        results = list(matches.annotate(total=Window(Count("pk"))).order_by(*ordering)[:PER_KIND])
        total = results[0].total if results else 0
        if results:
            add_headlines(results, query)
    else:
        results = list(matches.order_by(*ordering)[:PER_KIND])
        total = matches.count()
    return Group(key, kind.title, results, total, list_search_url(kind, query))


def add_headlines(records, query):
    """Give each of `records` a `snippet`: its search document's text around the words found,
    marked as SQLite's snippet() marks them (PostgreSQL only: ts_headline, one query, after
    the related names the document holds are read, a query each)."""
    build, prefetch, related = document_spec(type(records[0]))
    prefetch_related_objects(records, *related, *prefetch)
    documents = [
        " ".join(fulltext.clean(text) for weight in "ABC" for text in build(r)[weight] if text)
        for r in records
    ]
    options = (
        f"StartSel={fulltext.START}, StopSel={fulltext.END}, MaxWords={fulltext.SNIPPET_WORDS}, "
        "MinWords=6, MaxFragments=1, FragmentDelimiter=…"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ts_headline(%s::regconfig, document, websearch_to_tsquery(%s::regconfig, %s),
                                  %s)
            FROM unnest(%s::text[]) WITH ORDINALITY AS found(document, n) ORDER BY n""",
            [CONFIG, CONFIG, query, options, documents],
        )
        for record, (headline,) in zip(records, cursor.fetchall(), strict=True):
            record.snippet = headline


def matching(queryset, query):
    """`queryset` narrowed to records matching `query`, annotated with a `rank`."""
    model = queryset.model
    if on_postgres():
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        condition = Q(search_vector=search_query)
        rank = SearchRank(F("search_vector"), search_query)
        if model is Official:
            # One union of ids, so that each part reads its own GIN (full-text or trigram) index.
            officials = Official.objects.order_by()
            aliases = OfficialName.objects.filter(name__trigram_word_similar=query).order_by()
            found = (
                officials.filter(condition)
                .values("pk")
                .union(officials.filter(name__trigram_word_similar=query).values("pk"))
                .union(aliases.values("official_id"))
            )
            condition = Q(pk__in=found)
            rank = Greatest(rank, TrigramWordSimilarity(query, "name"))
        return queryset.filter(condition).annotate(rank=rank)
    return fulltext.matching(queryset, query, fuzzy=model is Official)


def refresh_all():
    """Rebuild every public model's search vectors or full-text index (after a bulk load)."""
    return sum(refresh_search_vectors(model.objects.all()) for model in content_models())


def list_search_url(kind, query):
    """The kind's list page searched for `query`, or "" when its list has no search box."""
    if "q" not in kind.listing.filterset_class.base_filters:
        return ""
    return f"{reverse(f'{kind.namespace}:{kind.name}_list')}?{urlencode({'q': query})}"
