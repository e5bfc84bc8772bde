"""Export the published meetings to a SQLite file for Datasette (`make bench`).

One row per meeting, as the meetings list shows it: the columns its filters and facets read, with
the participants' countries, the officials and the topics as JSON arrays (Datasette's
`_facet_array`). Usage: python scripts/export_sqlite.py OUT.db (DATABASE_URL names the source).
"""

import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

MEETINGS = """
SELECT m.id, m.slug, m.title, m.kind, m.start_date::text, m.end_date::text,
       EXTRACT(YEAR FROM m.start_date)::int, to_char(m.start_date, 'YYYY-MM'),
       c.slug, c.name, pl.name, m.summary,
       (SELECT coalesce(json_agg(DISTINCT pc.slug), '[]')::text
          FROM meetings_participation p JOIN meetings_country pc ON pc.id = p.country_id
         WHERE p.meeting_id = m.id),
       (SELECT coalesce(json_agg(o.slug ORDER BY o.slug), '[]')::text
          FROM meetings_participation p JOIN meetings_official o ON o.id = p.official_id
         WHERE p.meeting_id = m.id),
       (SELECT coalesce(json_agg(t.slug ORDER BY t.slug), '[]')::text
          FROM meetings_meeting_topics mt JOIN meetings_topic t ON t.id = mt.topic_id
         WHERE mt.meeting_id = m.id)
  FROM meetings_meeting m
  LEFT JOIN meetings_country c ON c.id = m.country_id
  LEFT JOIN meetings_place pl ON pl.id = m.place_id
 WHERE m.state = 'published'
"""
COLUMNS = (
    "id INTEGER PRIMARY KEY, slug TEXT, title TEXT, kind TEXT, start_date TEXT, end_date TEXT, "
    "year INTEGER, month TEXT, country TEXT, country_name TEXT, place TEXT, summary TEXT, "
    "participant_countries TEXT, officials TEXT, topics TEXT"
)


def export(path):
    path = Path(path)
    path.unlink(missing_ok=True)
    target = sqlite3.connect(path)
    target.execute(f"CREATE TABLE meetings ({COLUMNS})")
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(MEETINGS)
        while rows := cursor.fetchmany(5000):
            target.executemany(f"INSERT INTO meetings VALUES ({', '.join('?' * 15)})", rows)
            count += len(rows)
    for columns in ("country, year", "year", "kind", "start_date", "month"):
        name = "meetings_" + columns.replace(", ", "_")
        target.execute(f"CREATE INDEX {name} ON meetings ({columns})")
    target.commit()
    target.execute("ANALYZE")
    target.close()
    return count


if __name__ == "__main__":
    print(f"Exported {export(sys.argv[1]):,} meetings to {sys.argv[1]}")
