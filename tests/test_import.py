"""Editors import CSV files in admin: a dry run first, then all rows or none."""

import codecs
import csv
import io
import os
import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from editorial.admin.imports import GONE, MAX_IMPORT_BYTES, UPLOAD_SECONDS
from initiatives.models import Initiative
from meetings.models import (
    Meeting,
    Official,
    OfficialName,
    Participation,
    Position,
    State,
)
from tests.admin_forms import admin_url, logged_in
from tests.factories import (
    make_country,
    make_editor_without_group,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
    make_place_name,
    make_post,
    make_staff,
    make_summit,
    make_topic,
)


@pytest.fixture
def client_editor(editor):
    return logged_in(editor)


def upload(client, model, content, name="records.csv"):
    """The dry run of `content` (text or bytes) as the import page runs it."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, model, dry_run):
    """Press 'Confirm import' on the page of a dry run; follows the redirect."""
    form = dry_run.context["confirm_form"]
    data = {name: form.initial[name] for name in form.fields}
    return client.post(admin_url(model, "process_import"), data, follow=True)


def import_file(client, model, content, name="records.csv"):
    dry_run = upload(client, model, content, name)
    assert dry_run.context["confirm_form"] is not None, dry_run.context.get("problems")
    return confirm(client, model, dry_run)


def page_text(response):
    return response.content.decode()


def dry_run_text(client, model, content):
    """The text of the dry run's page, quotes as written."""
    return page_text(upload(client, model, content)).replace("&#x27;", "'")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def world(db):
    """What the files below refer to: countries, a post, a place with a former name, topics."""
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan")
    cn = make_country(iso_code="CN", slug="cn", name="China")
    post = make_post(title="Secretary-General", slug="sco-secretary-general")
    astana = make_place(name="Astana", slug="astana", country=kz)
    make_place_name(place=astana, name="Nur-Sultan")
    return {
        "kz": kz,
        "cn": cn,
        "post": post,
        "astana": astana,
        "security": make_topic(name="Security", slug="security"),
        "trade": make_topic(name="Trade", slug="trade"),
    }


OFFICIALS_CSV = (
    "slug,name,nationality,other_names,positions\n"
    "zhang-ming,Zhang Ming,China,张明; Chzhan Min,sco-secretary-general from 2022-01-01\n"
    "akan-rakhmetullin,Akan Rakhmetullin,kz,Ақан Рахметуллин,\n"
)


def test_an_officials_file_makes_drafts_with_their_names_positions_and_history(
    world, editor, client_editor
):
    dry_run = upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    assert "Dry run: 2 new, 0 to change, 0 unchanged" in page_text(dry_run)
    assert not Official.objects.exists()

    done = confirm(client_editor, Official, dry_run)

    assert "Import finished: 2 new, 0 updated, 0 deleted and 0 skipped officials." in (
        messages_of(done)
    )
    zhang = Official.objects.get(slug="zhang-ming")
    assert zhang.name == "Zhang Ming"
    assert zhang.nationality == world["cn"]
    assert zhang.state == State.DRAFT
    assert sorted(zhang.names.values_list("name", flat=True)) == ["Chzhan Min", "张明"]
    position = zhang.positions.get()
    assert (position.post, str(position.start_date), position.end_date) == (
        world["post"],
        "2022-01-01",
        None,
    )
    akan = Official.objects.get(slug="akan-rakhmetullin")
    assert akan.nationality == world["kz"]
    assert akan.positions.count() == 0

    created = Official.history.filter(history_type="+")
    assert created.count() == 2
    assert {row.history_user for row in created} == {editor}
    assert {row.history_change_reason for row in created} == {"Imported from officials.csv"}
    assert OfficialName.history.filter(history_type="+").count() == 3
    assert Position.history.filter(history_type="+", history_user=editor).count() == 1
    assert LogEntry.objects.filter(user=editor).count() == 2


def test_a_meetings_file_matches_participants_places_and_topics_by_slug_or_name(
    world, editor, client_editor
):
    zhang = make_official(name="Zhang Ming", slug="zhang-ming")
    akan = make_official(name="Akan Rakhmetullin", slug="akan-rakhmetullin")
    alimov = make_official(name="Rashid Alimov", slug="rashid-alimov")
    make_official_name(official=alimov, name="R. Alimov")
    summit = make_summit(slug="samarkand-2022")
    content = (
        "slug,title,kind,start_date,place,country,summit,participants,topics,summary\n"
        "zhang-rakhmetullin-2022,Zhang Ming meets Akan Rakhmetullin,bilateral,2022-06-04,"
        "Nur-Sultan,KZ,samarkand-2022,zhang-ming; Akan Rakhmetullin,Security; trade,Talks.\n"
        "alimov-call-2019,Call with Rashid Alimov,call,2019-03-01,,,,r. alimov,,\n"
    )

    import_file(client_editor, Meeting, content, "meetings.csv")

    meeting = Meeting.objects.get(slug="zhang-rakhmetullin-2022")
    assert (meeting.place, meeting.country, meeting.summit) == (
        world["astana"],
        world["kz"],
        summit,
    )
    assert str(meeting.end_date) == "2022-06-04"
    assert meeting.state == State.DRAFT
    assert {p.official for p in meeting.participations.all()} == {zhang, akan}
    assert set(meeting.topics.all()) == {world["security"], world["trade"]}
    call = Meeting.objects.get(slug="alimov-call-2019")
    assert [p.official for p in call.participations.all()] == [alimov]
    assert Meeting.history.filter(history_type="+", history_user=editor).count() == 2
    assert Participation.history.filter(history_type="+", history_user=editor).count() == 3


def test_an_initiatives_file_links_proposers_topics_and_the_adopting_summit(
    world, editor, client_editor
):
    summit = make_summit(slug="astana-2024")
    content = (
        "slug,title,short_name,kind,adopted_on,adopted_at,proposed_by,topics\n"
        "world-unity,Initiative on World Unity,World Unity,statement,2024-07-04,astana-2024,"
        "Kazakhstan,security\n"
        "trade-plan,Trade Plan,,programme,,,cn; kz,Trade\n"
    )

    import_file(client_editor, Initiative, content, "initiatives.csv")

    unity = Initiative.objects.get(slug="world-unity")
    assert (unity.short_name, unity.adopted_at, str(unity.adopted_on)) == (
        "World Unity",
        summit,
        "2024-07-04",
    )
    assert list(unity.proposed_by.all()) == [world["kz"]]
    assert list(unity.topics.all()) == [world["security"]]
    plan = Initiative.objects.get(slug="trade-plan")
    assert set(plan.proposed_by.all()) == {world["cn"], world["kz"]}
    assert plan.state == State.DRAFT
    assert Initiative.history.filter(history_user=editor).count() >= 2
    assert set(Initiative.history.values_list("slug", flat=True)) == {"world-unity", "trade-plan"}


STATUS_CSV = (
    "slug,title,kind,status_history\n"
    "green-belt,Green Belt Programme,programme,proposed 2022-09-16; adopted 2024-07-04\n"
)


def test_an_initiatives_file_gives_each_its_dated_statuses(world, editor, client_editor):
    import_file(client_editor, Initiative, STATUS_CSV, "statuses.csv")

    belt = Initiative.objects.get(slug="green-belt")
    changes = belt.status_changes.all()
    assert [(c.status, str(c.date)) for c in changes] == [
        ("proposed", "2022-09-16"),
        ("adopted", "2024-07-04"),
    ]
    added = belt.status_changes.model.history.filter(history_type="+", history_user=editor)
    assert set(added.values_list("history_change_reason", flat=True)) == {
        "Imported from statuses.csv"
    }
    assert added.count() == 2

    again = upload(client_editor, Initiative, STATUS_CSV)
    assert "Dry run: 0 new, 0 to change, 1 unchanged" in page_text(again)
    later = STATUS_CSV.replace("2024-07-04", "2024-07-04; in_force 2025-01-01")
    import_file(client_editor, Initiative, later)
    assert belt.status_changes.count() == 3
    exported = exported_rows(client_editor, Initiative)
    assert exported[0]["status_history"] == (
        "proposed 2022-09-16; adopted 2024-07-04; in_force 2025-01-01"
    )


def test_a_status_that_is_not_one_or_undated_is_refused_on_its_row(world, client_editor):
    content = (
        "slug,title,kind,status_history\n"
        "one,One,programme,passed 2022-09-16\n"
        "two,Two,programme,adopted 2024-13-04\n"
        "three,Three,programme,adopted\n"
    )

    text = dry_run_text(client_editor, Initiative, content)

    for problem in [
        "Row 1 (line 2 of the file): status_history: 'passed 2022-09-16' is not a dated status: "
        "write a status (proposed, adopted, in_force, completed, expired) and its day, "
        "e.g. 'adopted 2020-11-10'.",
        "Row 2 (line 3 of the file): status_history: '2024-13-04' is not a date: "
        "months run from 01 to 12.",
        "Row 3 (line 4 of the file): status_history: 'adopted' is not a dated status",
    ]:
        assert problem in text
    assert not Initiative.objects.exists()


def test_importing_the_same_file_again_changes_nothing_and_says_so(world, client_editor):
    import_file(client_editor, Official, OFFICIALS_CSV)
    history_rows = Official.history.count() + OfficialName.history.count()

    dry_run = upload(client_editor, Official, OFFICIALS_CSV)
    assert "Dry run: 0 new, 0 to change, 2 unchanged (skipped)" in page_text(dry_run)
    done = confirm(client_editor, Official, dry_run)

    assert "Import finished: 0 new, 0 updated, 0 deleted and 2 skipped officials." in (
        messages_of(done)
    )
    assert Official.objects.count() == 2
    assert OfficialName.objects.count() == 3
    assert Position.objects.count() == 1
    assert Official.history.count() + OfficialName.history.count() == history_rows


def test_a_changed_row_updates_its_record_and_adds_what_it_lacks(world, client_editor):
    import_file(client_editor, Official, OFFICIALS_CSV)
    changed = OFFICIALS_CSV.replace("Chzhan Min", "Chzhan Min; Zhang M.").replace(
        "from 2022-01-01", "from 2022-01-01 to 2024-12-31"
    )

    dry_run = upload(client_editor, Official, changed)
    assert "Dry run: 0 new, 1 to change, 1 unchanged" in page_text(dry_run)
    confirm(client_editor, Official, dry_run)

    zhang = Official.objects.get(slug="zhang-ming")
    assert zhang.names.filter(name="Zhang M.").exists()
    assert str(zhang.positions.get().end_date) == "2024-12-31"


def test_one_bad_row_imports_nothing_and_names_the_row_and_the_reason(world, client_editor):
    make_official(name="Zhang Ming", slug="zhang-ming")
    content = (
        "slug,title,kind,start_date,participants\n"
        "good-one,A good meeting,bilateral,2022-06-04,zhang-ming\n"
        "bad-one,A bad meeting,bilateral,2022-06-05,Nobody Known\n"
    )

    response = upload(client_editor, Meeting, content)

    text = page_text(response)
    assert "Nothing will be imported" in text
    assert (
        "Row 2 (line 3 of the file): participants: No official is on record as "
        "&#x27;Nobody Known&#x27;; use its slug." in text
    )
    assert "confirm_form" not in response.context
    assert "Confirm import" not in text
    assert not Meeting.objects.exists()
    assert not Participation.objects.exists()


def test_each_bad_value_is_reported_on_its_row_and_column(world, client_editor):
    content = (
        "slug,title,kind,start_date,end_date,place,state\n"
        "backwards,Backwards,call,2022-06-05,2022-06-01,,\n"
        "us-date,A US date,call,04/06/2022,,astana,\n"
        "odd,Odd kind,chat,2022-06-05,,Atlantis,live\n"
    )

    text = dry_run_text(client_editor, Meeting, content)

    for problem in [
        "Row 1 (line 2 of the file): end_date: A meeting cannot end before it starts.",
        "Row 2 (line 3 of the file): start_date: '04/06/2022' is not a date: "
        "write it as YYYY-MM-DD, e.g. 2020-01-01.",
        "Row 3 (line 4 of the file): kind: Value 'chat' is not a valid choice.",
        "Row 3 (line 4 of the file): place: No place is on record as 'Atlantis'; use its slug.",
        "Row 3 (line 4 of the file): state: 'live' is not a state: write draft or published",
    ]:
        assert problem in text
    assert not Meeting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_that_fails_at_the_confirmed_import_undoes_every_row_and_related_row():
    client = logged_in(make_editor_without_group())
    post = make_post(slug="sco-secretary-general")
    make_official(name="Staying", slug="staying")
    leaving = make_official(name="Leaving Soon", slug="leaving-soon")
    meetings = (
        "slug,title,kind,start_date,participants\n"
        "first,First meeting,call,2022-06-04,staying\n"
        "second,Second meeting,call,2022-06-05,leaving-soon\n"
    )
    officials = (
        "slug,name,other_names,positions\n"
        "ok-person,OK Person,O. Person,\n"
        "new-person,New Person,N. Person,sco-secretary-general from 2020-01-01\n"
    )
    dry_runs = [upload(client, Meeting, meetings), upload(client, Official, officials)]
    # Between the dry runs and their confirmation, someone deletes what the second rows name.
    leaving.delete()
    post.delete()

    done = confirm(client, Meeting, dry_runs[0])
    assert messages_of(done)[0].startswith(
        "Nothing was imported. Row 2 (line 3 of the file): participants: No official"
    )
    assert not Meeting.objects.exists()
    assert not Participation.objects.exists()
    assert not Meeting.history.exists()
    assert not Participation.history.exists()

    done = confirm(client, Official, dry_runs[1])
    assert messages_of(done)[0].startswith(
        "Nothing was imported. Row 2 (line 3 of the file): positions: There is no post"
    )
    assert set(Official.objects.values_list("slug", flat=True)) == {"staying"}
    assert not OfficialName.objects.exists()
    assert not Official.history.filter(slug__in=["ok-person", "new-person"]).exists()
    assert not OfficialName.history.exists()
    assert not LogEntry.objects.exists()


def test_an_editor_imports_drafts_but_may_not_publish(world, client_editor):
    content = "slug,name,state\nzhang-ming,Zhang Ming,published\n"

    text = page_text(upload(client_editor, Official, content))

    assert "Row 1 (line 2 of the file): state: Only a Publisher may publish or unpublish" in text
    assert not Official.objects.exists()


def test_a_publisher_may_import_published_records(world):
    publisher = make_staff("Publishers")
    content = (
        "slug,name,sources,state\n"
        "zhang-ming,Zhang Ming,https://example.org/a; https://example.org/b,published\n"
    )

    import_file(logged_in(publisher), Official, content)

    zhang = Official.objects.get(slug="zhang-ming")
    assert zhang.state == State.PUBLISHED
    assert zhang.published_by == publisher
    assert zhang.published_at is not None
    assert sorted(zhang.sources.values_list("url", flat=True)) == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_a_row_published_without_a_source_is_refused_on_its_row(world):
    publisher = make_staff("Publishers")
    content = "slug,name,sources,state\nzhang-ming,Zhang Ming,,published\nli-qiang,Li,nope,\n"

    text = page_text(upload(logged_in(publisher), Official, content))

    assert (
        "Row 1 (line 2 of the file): state: A published record needs a source: give the "
        "address of the page it was read from in the sources column."
    ) in text
    assert "Row 2 (line 3 of the file): sources: &#x27;nope&#x27; is not the address" in text
    assert not Official.objects.exists()


def test_importing_needs_a_role_that_may_add_and_change_records(db):
    nobody = User.objects.create_user("staff-only", is_staff=True)
    client = logged_in(nobody)
    assert client.get(admin_url(Meeting, "import")).status_code == 403
    assert client.get(admin_url(Meeting, "export")).status_code == 403
    response = upload(client, Meeting, "slug,title\nx,X\n")
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_lists_offer_import_and_export_to_editors(client_editor):
    page = page_text(client_editor.get(admin_url(Meeting, "changelist")))
    assert admin_url(Meeting, "import") in page
    assert admin_url(Meeting, "export") in page
    assert "Draft a meeting from an article" in page
    form = page_text(client_editor.get(admin_url(Official, "import")))
    assert "slug, name, nationality, notes, other_names, positions, sources, state" in form
    export = client_editor.get(admin_url(Initiative, "export"))
    assert export.status_code == 200
    assert "This exporter will export the following fields" in page_text(export)


SAVE_AS = "Save the sheet as “CSV UTF-8 (comma delimited)” and upload that file."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "slug,name\nzhang-ming,Zhang Ming\nbirzhan,Birzhan Zhakenov\n".encode("latin-1")
            + "zhakenov,Zhákenov\n".encode("latin-1"),
            "The file is not in UTF-8: line 4 has a byte (0xE1) that UTF-8 does not allow",
        ),
        (
            codecs.BOM_UTF16_LE + "slug,name\nzhang-ming,Zhang Ming\n".encode("utf-16-le"),
            "The file is in UTF-16, not UTF-8. " + SAVE_AS,
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "The file is not CSV text: it holds binary data. " + SAVE_AS,
        ),
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file holds no rows: not even a header row."),
        ("slug,name\n", "The file has a header row but no rows to import."),
        (
            'slug,name\nzhang-ming,"Zhang Ming\n',
            "Line 2 cannot be read as CSV (unexpected end of data): check its quotation marks.",
        ),
        (
            "slug,name\nzhang-ming,Zhang Ming,extra\n",
            "Line 2 has 3 cells, but the header row has 2 columns",
        ),
        (
            "slug,name,birthday,hobby\nzhang-ming,Zhang Ming,,\n",
            "Unknown columns: birthday, hobby. The columns are: slug, name, nationality",
        ),
        ("name\nZhang Ming\n", "The file has no 'slug' column"),
        ("slug;name\nzhang-ming;Zhang Ming\n", "The columns are separated by ';'"),
        ("slug,name,name\nzhang-ming,Zhang Ming,Z\n", "Columns named more than once: name."),
    ],
    ids=[
        "latin-1",
        "utf-16",
        "binary",
        "empty",
        "blank-lines",
        "header-only",
        "open-quote",
        "extra-cell",
        "unknown-columns",
        "no-slug",
        "semicolons",
        "repeated-column",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(client_editor, content, message):
    response = upload(client_editor, Official, content)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["import_file"])
    assert message in errors
    assert 'class="errorlist' in page_text(response)
    assert not Official.objects.exists()


def test_a_50_mb_file_is_refused_with_its_size_not_a_blank_error(client_editor):
    row = "official-{},Official {}\n"
    body = "slug,name\n" + "".join(row.format(n, n) for n in range(10))
    content = body.encode() + b"x" * (50 * 1024 * 1024 - len(body))

    response = upload(client_editor, Official, content)

    assert response.status_code == 400
    assert (
        f"The file is 50.0 MB; an import takes at most {MAX_IMPORT_BYTES // 2**20} MB. "
        "Split it into smaller files." in page_text(response)
    )
    assert not Official.objects.exists()


def test_a_formula_in_a_cell_is_refused_and_a_quoted_one_is_read_as_text(world, client_editor):
    formula = 'slug,name\nzhang-ming,"=HYPERLINK(""http://evil.example"",""x"")"\n'

    text = page_text(upload(client_editor, Official, formula))

    assert (
        "Row 1 (line 2 of the file): name: The cell starts with &#x27;=&#x27;, which a "
        "spreadsheet runs as a formula." in text
    )
    assert not Official.objects.exists()

    import_file(client_editor, Official, "slug,name\nplus-one,'+1 Official\n")
    assert Official.objects.get(slug="plus-one").name == "+1 Official"


def exported_rows(client, model):
    response = client.post(admin_url(model, "export"), {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_admin_export_neutralises_formulas_and_reimports_unchanged(world, client_editor):
    official = make_official(name="=cmd|' /C calc'!A0", slug="formula-name")
    make_official_name(official=official, name="@SUM(1+1)")
    make_official(name="-2+3", slug="minus", notes="+ and more")
    meeting = make_meeting(slug="with-people", title="@mention")
    make_participation(meeting=meeting, official=official)

    rows = {row["slug"]: row for row in exported_rows(client_editor, Official)}

    assert rows["formula-name"]["name"] == "'=cmd|' /C calc'!A0"
    assert rows["formula-name"]["other_names"] == "'@SUM(1+1)"
    assert rows["minus"]["name"] == "'-2+3"
    assert rows["minus"]["notes"] == "'+ and more"
    meetings = exported_rows(client_editor, Meeting)
    assert meetings[0]["title"] == "'@mention"
    assert meetings[0]["participants"] == "formula-name"

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows["minus"]))
    writer.writeheader()
    writer.writerows(rows.values())
    dry_run = upload(client_editor, Official, buffer.getvalue())
    assert "Dry run: 0 new, 0 to change, 2 unchanged" in page_text(dry_run)


@pytest.mark.parametrize("redis_url", ["", "redis://shared-cache"], ids=["folder", "cache"])
def test_a_confirmation_sent_twice_imports_once(world, client_editor, settings, redis_url):
    settings.REDIS_URL = redis_url
    dry_run = upload(client_editor, Official, OFFICIALS_CSV)
    confirm(client_editor, Official, dry_run)

    again = confirm(client_editor, Official, dry_run)

    assert "This file has already been imported, or it has expired: upload it again." in (
        messages_of(again)
    )
    assert Official.objects.count() == 2


# The uploaded file between the dry run and its confirmation


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


def test_an_upload_waits_in_a_folder_of_its_own_under_a_random_name(
    world, client_editor, upload_dir
):
    dry_run = upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    name = dry_run.context["confirm_form"].initial["import_file_name"]
    assert [path.name for path in upload_dir.iterdir()] == [name]
    assert re.fullmatch(r"[0-9a-f]{32}", name)
    confirm(client_editor, Official, dry_run)
    assert Official.objects.count() == 2
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/hostname", "0" * 32, "someone-else"])
def test_a_confirmation_names_only_a_file_its_own_session_uploaded(
    world, client_editor, upload_dir, name
):
    dry_run = upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    upload_dir.joinpath("0" * 32).write_text(OFFICIALS_CSV)
    form = dry_run.context["confirm_form"]
    data = {**{field: form.initial[field] for field in form.fields}, "import_file_name": name}
    response = client_editor.post(admin_url(Official, "process_import"), data, follow=True)
    assert messages_of(response) == [GONE]
    assert not Official.objects.exists()
    assert upload_dir.joinpath("0" * 32).exists()


def test_another_user_cannot_confirm_an_upload(world, client_editor, upload_dir):
    dry_run = upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    other = logged_in(make_staff("Editors"))
    response = confirm(other, Official, dry_run)
    assert messages_of(response) == [GONE]
    assert not Official.objects.exists()
    assert confirm(client_editor, Official, dry_run).status_code == 200
    assert Official.objects.count() == 2


def test_an_upload_expires_after_an_hour(world, client_editor, upload_dir):
    dry_run = upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    (path,) = upload_dir.iterdir()
    an_hour_ago = time.time() - UPLOAD_SECONDS - 1
    os.utime(path, (an_hour_ago, an_hour_ago))
    response = confirm(client_editor, Official, dry_run)
    assert messages_of(response) == [GONE]
    assert not Official.objects.exists()
    upload(client_editor, Official, OFFICIALS_CSV, "officials.csv")
    assert not path.exists()
