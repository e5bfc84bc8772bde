"""The database itself refuses broken records, whatever code writes them (no full_clean here)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from initiatives.models import Initiative
from meetings.models import CountryStatus, Meeting, PlaceName, Position, Summit
from tests.factories import (
    make_country,
    make_country_status,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_place_name,
    make_position,
    make_summit,
)

pytestmark = pytest.mark.django_db

MAY_1 = datetime.date(2024, 5, 1)
MAY_2 = datetime.date(2024, 5, 2)


def assert_refused(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def test_the_database_refuses_a_meeting_that_ends_before_it_starts():
    meeting = make_meeting(start_date=MAY_2)
    meeting.end_date = MAY_1
    assert_refused(meeting.save)
    assert Meeting.objects.get().end_date == MAY_2


def test_the_database_refuses_a_summit_that_ends_before_it_starts():
    assert_refused(lambda: make_summit(start_date=MAY_2, end_date=MAY_1))
    assert not Summit.objects.exists()


def test_the_database_refuses_a_term_that_ends_before_it_starts():
    official = make_official()
    assert_refused(lambda: make_position(official=official, start_date=MAY_2, end_date=MAY_1))
    assert not Position.objects.exists()


def test_the_database_accepts_a_term_with_only_one_end_known():
    make_position(start_date=None, end_date=MAY_1)
    make_position(start_date=MAY_2, end_date=None)
    assert Position.objects.count() == 2


def test_the_database_refuses_a_country_status_that_ends_before_it_starts():
    country = make_country()
    assert_refused(lambda: make_country_status(country=country, since=MAY_2, until=MAY_1))
    assert not CountryStatus.objects.exists()


def test_the_database_refuses_a_place_name_that_ends_before_it_starts():
    name = make_place_name(valid_from=MAY_2)
    name.valid_until = MAY_1
    assert_refused(name.save)
    assert PlaceName.objects.get().valid_until is None


def test_the_database_refuses_an_initiative_period_that_ends_before_it_starts():
    assert_refused(lambda: make_initiative(period_start=MAY_2, period_end=MAY_1))
    assert not Initiative.objects.exists()


def test_the_database_refuses_the_same_official_twice_in_one_meeting():
    participation = make_participation()
    assert_refused(
        lambda: make_participation(meeting=participation.meeting, official=participation.official)
    )
    assert participation.meeting.participations.count() == 1


@pytest.mark.parametrize(
    ("make", "start", "end"),
    [
        (make_meeting, "start_date", "end_date"),
        (make_summit, "start_date", "end_date"),
        (make_position, "start_date", "end_date"),
        (make_country_status, "since", "until"),
        (make_place_name, "valid_from", "valid_until"),
        (make_initiative, "period_start", "period_end"),
    ],
)
def test_full_clean_reports_an_end_before_the_start_on_the_end_field_once(make, start, end):
    record = make(**{start: MAY_2})
    setattr(record, end, MAY_1)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    # The message is the one the database constraint would give, only placed on the field.
    (constraint,) = [c for c in record._meta.constraints if end in str(c.condition)]
    assert error.value.message_dict == {end: [constraint.violation_error_message]}
