"""`generate_demo_data`: synthetic records, the same for the same seed, never over real ones."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from initiatives.models import Initiative, StatusChange
from meetings.models import (
    Meeting,
    Official,
    OfficialName,
    Participation,
    Place,
    Position,
    Source,
    State,
    Summit,
)
from public.search import search_records
from tests.factories import make_meeting

SMALL = {"meetings": 80, "officials": 30, "initiatives": 12, "summits": 20}


def generate(**options):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def snapshot():
    return list(
        Meeting.objects.order_by("slug").values_list("slug", "title", "start_date", "kind")
    ) + list(Participation.objects.order_by("meeting__slug", "official__slug").values_list(
        "meeting__slug", "official__slug", "capacity"
    ))  # fmt: skip


def test_it_fills_the_database_with_marked_records(db):
    output = generate(seed=1)
    assert "meetings: 80 of 80" in output and "Done in" in output
    assert Meeting.objects.count() == 80
    assert Summit.objects.count() == 20 and Initiative.objects.count() == 12
    assert Official.objects.count() == 30
    # About 3 spellings an official, positions over time, 2 to 6 participants a meeting.
    assert OfficialName.objects.count() >= 30 and Position.objects.count() >= 30
    assert 2 * 80 <= Participation.objects.count() <= 6 * 80
    assert StatusChange.objects.count() >= 12
    assert Meeting.objects.filter(state=State.PUBLISHED).count() > 70
    for model in (Meeting, Official, Summit, Initiative):
        assert not model.objects.exclude(data_key__startswith="demo:").exists()
    assert not Place.objects.exclude(slug__startswith="demo-").exists()
    assert not Source.objects.exclude(url__contains="/demo-").exists()


def test_the_same_seed_gives_the_same_records(db):
    generate(seed=7)
    first = snapshot()
    generate(seed=7)  # replaces the records of the first run
    assert snapshot() == first
    assert Meeting.objects.count() == 80
    generate(seed=8)
    assert snapshot() != first


def test_it_refuses_a_database_with_real_records_unless_forced(db):
    make_meeting(title="A real meeting", slug="real")
    with pytest.raises(CommandError, match="--force"):
        generate(seed=1)
    assert Meeting.objects.count() == 1
    generate(seed=1, force=True)
    assert Meeting.objects.count() == 81
    assert Meeting.objects.filter(slug="real").exists()


def test_generated_meetings_are_found_by_search(client, db):
    generate(seed=1)
    meeting = Meeting.objects.published().select_related("country").first()
    if connection.vendor == "postgresql":
        assert not Meeting.objects.filter(search_vector__isnull=True).exists()
        assert not Official.objects.filter(search_vector__isnull=True).exists()
    word = max(meeting.title.split(), key=len)  # the list searches terms of 3 characters on
    found = {group.key: group for group in search_records(word)}
    assert found["meetings"].total >= 1
    assert client.get("/meetings/", {"q": word}).status_code == 200
