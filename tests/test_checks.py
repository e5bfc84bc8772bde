import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.checks import (
    date_findings,
    meeting_findings,
    official_findings,
    participant_findings,
    similar_officials,
)
from meetings.models import Meeting, Official, OfficialName
from meetings.names import names_alike, normalise_name
from tests.factories import (
    make_attestation,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_position,
    make_source,
    make_summit,
)

DAY = datetime.date(2022, 6, 4)


def codes(findings):
    return [f.code for f in findings]


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def form_data(response):
    """What the browser would post back from an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[form.add_prefix(name)] = value
    return data


# Names


@pytest.mark.parametrize(
    "one, other",
    [
        ("Kassym-Zhomart Tokayev", "Kassym-Jomart Tokayev"),
        ("Yevgeny Sysoyev", "Evgeny Sysoev"),
        ("Bolat Nurgaliyev", "Bolat Nurgaliev"),
        ("Dzhenisbek Dzhumanbekov", "Jenisbek Jumanbekov"),
        ("Jumakhon Giyosov", "Jumahon Giyosov"),
    ],
)
def test_transliterations_of_one_name_compare_equal(one, other):
    assert normalise_name(one) == normalise_name(other)


def test_different_people_with_one_family_name_are_not_alike():
    assert not names_alike("Zhang Ming", "Zhang Xinfeng")
    assert not names_alike("Zhang Ming", "Zhang Deguang")
    assert not names_alike("Rashid Alimov", "Ruslan Mirzayev")


# (a) Participants and positions


def test_a_participant_with_no_position_is_reported(db):
    participation = make_participation(
        meeting=make_meeting(start_date=DAY), official=make_official(name="Akan Rakhmetullin")
    )

    (finding,) = participant_findings(participation.meeting)

    assert finding.code == "no_position"
    assert finding.message == "Akan Rakhmetullin has no position on record on 4 June 2022."
    assert finding.record == participation.official


def test_a_participant_whose_term_had_ended_is_reported_with_the_end(db):
    official = make_official(name="Vladimir Norov")
    make_position(
        official=official,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    meeting = make_meeting(start_date=DAY)
    make_participation(meeting=meeting, official=official)

    (finding,) = participant_findings(meeting)

    assert finding.code == "position_ended"
    assert "ended 31 December 2021" in finding.message


def test_a_term_covering_the_day_or_an_attestation_that_day_is_enough(db):
    meeting = make_meeting(start_date=DAY)
    in_term = make_position(start_date=datetime.date(2022, 1, 1), end_date=None)
    attested = make_position(start_date=None)
    make_attestation(position=attested, date=DAY)
    make_participation(meeting=meeting, official=in_term.official)
    make_participation(meeting=meeting, official=attested.official)

    assert participant_findings(meeting) == []


def test_an_attestation_on_another_day_does_not_count(db):
    position = make_position(start_date=None)
    make_attestation(position=position, date=datetime.date(2025, 2, 28))
    meeting = make_meeting(start_date=DAY)
    make_participation(meeting=meeting, official=position.official, position=position)

    (finding,) = participant_findings(meeting)

    assert finding.code == "position_not_attested"
    assert "no term dates and no attestation on 4 June 2022" in finding.message


def test_a_chosen_position_that_had_ended_is_reported(db):
    position = make_position(
        start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2018, 12, 31)
    )
    make_position(official=position.official, start_date=datetime.date(2022, 1, 1))
    meeting = make_meeting(start_date=DAY)
    make_participation(meeting=meeting, official=position.official, position=position)

    assert codes(participant_findings(meeting)) == ["position_ended"]


def test_a_chosen_position_of_another_official_is_reported(db):
    meeting = make_meeting(start_date=DAY)
    make_participation(meeting=meeting, position=make_position())

    assert codes(participant_findings(meeting)) == ["position_of_someone_else"]


# (b) Dates


def test_a_meeting_after_its_summit_is_reported(db):
    summit = make_summit(start_date=datetime.date(2022, 9, 15), end_date=datetime.date(2022, 9, 16))
    late = make_meeting(start_date=datetime.date(2022, 9, 20), summit=summit)
    before = make_meeting(start_date=DAY, summit=summit)
    during = make_meeting(start_date=datetime.date(2022, 9, 16), summit=summit)

    (finding,) = date_findings(late)
    assert finding.code == "after_summit"
    assert "after the summit it is linked to" in finding.message
    assert "ended 16 September 2022" in finding.message
    assert date_findings(before) == date_findings(during) == []


@pytest.mark.parametrize(
    "day, code",
    [
        (datetime.date(1995, 12, 31), "too_early"),
        (datetime.date(1996, 1, 1), None),
        (datetime.date(2027, 6, 1), None),
        (datetime.date(2027, 6, 2), "too_late"),
    ],
)
def test_a_meeting_dated_outside_a_plausible_range_is_reported(db, day, code):
    meeting = make_meeting(start_date=day)

    findings = date_findings(meeting, today=datetime.date(2026, 6, 1))

    assert codes(findings) == ([code] if code else [])


# (c) Duplicate meetings


def test_a_meeting_a_day_apart_with_a_common_participant_is_a_probable_duplicate(db):
    zhang = make_official(name="Zhang Ming")
    first = make_meeting(title="SG in Nur-Sultan", start_date=DAY)
    make_participation(meeting=first, official=zhang)
    second = make_meeting(start_date=DAY + datetime.timedelta(days=1))
    make_participation(meeting=second, official=zhang)
    make_participation(meeting=second)
    far = make_meeting(start_date=DAY + datetime.timedelta(days=3))
    make_participation(meeting=far, official=zhang)
    unrelated = make_meeting(start_date=DAY)
    make_participation(meeting=unrelated)

    findings = [f for f in meeting_findings(second) if f.code == "duplicate_meeting"]

    assert [f.record for f in findings] == [first]
    assert "“SG in Nur-Sultan” (4 June 2022): 1 participant in common" in findings[0].message


def test_the_meeting_checks_run_as_many_queries_for_five_participants_as_for_one(db):
    def meeting_with(count):
        meeting = make_meeting(start_date=DAY, summit=make_summit())
        for _ in range(count):
            position = make_position(start_date=None)
            make_attestation(position=position, date=DAY)
            make_participation(meeting=meeting, official=position.official, position=position)
        return Meeting.objects.get(pk=meeting.pk)

    one, five = meeting_with(1), meeting_with(5)
    with CaptureQueriesContext(connection) as for_one:
        meeting_findings(one)
    with CaptureQueriesContext(connection) as for_five:
        meeting_findings(five)

    # The summit; participations with officials; their positions; attestations;
    # the participants' ids; meetings sharing one of them.
    assert len(for_one) == len(for_five) == 6


# (d) Duplicate officials


def test_a_new_name_close_to_an_official_s_name_is_a_probable_duplicate(db):
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    make_official(name="Zhang Ming")
    new = make_official(name="Kassym-Zhomart Tokayev")

    (finding,) = official_findings(new)

    assert finding.code == "duplicate_official"
    assert finding.record == tokayev
    assert finding.message == "Probably the same person as Kassym-Jomart Tokayev."


def test_a_new_name_equal_to_another_spelling_is_reported_with_that_spelling(db):
    mezentsev = make_official(name="Dmitry Mezentsev")
    make_official_name(official=mezentsev, name="Dmitri Mezentsev")
    new = make_official(name="Dmitri Mezentsev")

    (finding,) = official_findings(new)

    assert finding.record == mezentsev
    assert finding.matched_name == "Dmitri Mezentsev"
    assert "(written “Dmitri Mezentsev”)" in finding.message


def test_officials_sharing_only_a_family_name_are_not_duplicates(db):
    make_official(name="Zhang Xinfeng")
    make_official(name="Zhang Deguang")

    assert official_findings(make_official(name="Zhang Ming")) == []


def test_similar_officials_leave_out_the_official_itself(db):
    official = make_official(name="Rashid Alimov")

    assert similar_officials(["Rashid Alimov"], exclude_pk=official.pk) == []
    assert [m.official for m in similar_officials(["Rashid Olimov"])] == [official]


def test_trigram_similarity_finds_the_transliteration_on_postgres(postgres_only):
    tokayev = make_official(name="Kassym-Jomart Tokayev")

    (match,) = similar_officials(["Kassym-Zhomart Tokayev"])

    assert match.official == tokayev
    assert 0.6 <= match.score < 1


# Admin


def test_the_meeting_form_shows_the_checks_above_the_fields(admin_client):
    meeting = make_meeting(start_date=DAY)
    make_participation(meeting=meeting, official=make_official(name="Akan Rakhmetullin"))

    response = admin_client.get(change_url(meeting))

    content = response.content.decode()
    assert "Before publishing" in content
    assert "Akan Rakhmetullin has no position on record on 4 June 2022." in content
    assert content.index("Before publishing") < content.index('name="title"')


def test_saving_a_meeting_with_problems_saves_it_and_warns(admin_client):
    summit = make_summit(start_date=datetime.date(2022, 5, 1))
    meeting = make_meeting(start_date=DAY, summit=summit, title="Old title")
    data = form_data(admin_client.get(change_url(meeting)))
    data["title"] = "New title"

    response = admin_client.post(change_url(meeting), data, follow=True)

    meeting.refresh_from_db()
    assert meeting.title == "New title"
    shown = [str(m) for m in response.context["messages"]]
    assert any("after the summit it is linked to" in m for m in shown)
    assert f'href="{change_url(summit)}"' in response.content.decode()


def test_a_clean_meeting_says_no_problems_found(admin_client):
    meeting = make_meeting(start_date=DAY)

    response = admin_client.get(change_url(meeting))

    assert "No problems found." in response.content.decode()


def test_the_bundled_meeting_of_4_june_2022_passes_every_check(admin_client, sco_data):
    meeting = Meeting.objects.get(slug="2022-06-04-zhang-ming-meets-akan-rakhmetullin")

    assert meeting_findings(meeting) == []
    assert "No problems found." in admin_client.get(change_url(meeting)).content.decode()


def add_official(admin_client, name, slug):
    url = reverse("admin:meetings_official_add")
    data = form_data(admin_client.get(url))
    data.update({"name": name, "slug": slug})
    return admin_client.post(url, data, follow=True)


def test_adding_a_duplicate_official_warns_and_offers_to_make_it_a_spelling(admin_client):
    tokayev = make_official(name="Kassym-Jomart Tokayev")

    response = add_official(admin_client, "Kassym-Zhomart Tokayev", "kassym-zhomart-tokayev")

    new = Official.objects.get(slug="kassym-zhomart-tokayev")  # saved all the same
    content = response.content.decode()
    assert "Probably the same person as Kassym-Jomart Tokayev." in content
    assert f'href="{change_url(tokayev)}"' in content
    other_spelling = reverse("admin:meetings_official_other_spelling", args=[new.pk, tokayev.pk])
    assert other_spelling in content
    assert "Make “Kassym-Zhomart Tokayev” another spelling of Kassym-Jomart Tokayev" in content


def test_making_a_duplicate_another_spelling_moves_its_names_and_deletes_it(admin_client):
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    duplicate = make_official(name="Kassym-Zhomart Tokayev", sources=[make_source()])
    make_official_name(official=duplicate, name="Касым-Жомарт Токаев", kind="native")
    url = reverse("admin:meetings_official_other_spelling", args=[duplicate.pk, tokayev.pk])

    confirm = admin_client.get(url)
    assert "Yes, make it another spelling" in confirm.content.decode()
    assert Official.objects.filter(pk=duplicate.pk).exists()  # nothing done on GET

    response = admin_client.post(url)

    assert response.status_code == 302
    assert response.url == change_url(tokayev)
    assert not Official.objects.filter(pk=duplicate.pk).exists()
    names = dict(OfficialName.objects.filter(official=tokayev).values_list("name", "kind"))
    assert names == {"Kassym-Zhomart Tokayev": "spelling", "Касым-Жомарт Токаев": "native"}
    assert tokayev.sources.count() == 1


def test_a_duplicate_in_a_meeting_is_not_deleted_and_the_page_says_why(admin_client):
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    duplicate = make_official(name="Kassym-Zhomart Tokayev")
    make_participation(official=duplicate)
    url = reverse("admin:meetings_official_other_spelling", args=[duplicate.pk, tokayev.pk])

    response = admin_client.post(url)

    assert response.status_code == 200
    assert "Kassym-Zhomart Tokayev is a participant of 1 meeting(s)." in response.content.decode()
    assert Official.objects.filter(pk=duplicate.pk).exists()
    assert not tokayev.names.exists()


def test_making_another_spelling_needs_the_right_to_delete_officials(client, django_user_model):
    editor = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(editor)
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    duplicate = make_official(name="Kassym-Zhomart Tokayev")
    url = reverse("admin:meetings_official_other_spelling", args=[duplicate.pk, tokayev.pk])

    assert client.post(url).status_code == 403
    assert Official.objects.filter(pk=duplicate.pk).exists()
