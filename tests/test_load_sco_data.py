"""The bundled SCO data, loaded with `manage.py load_sco_data` as a user would."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from datasets.loading.records import fingerprint, read
from datasets.loading.sco import OFFICIAL, SUMMIT
from initiatives.models import Initiative, Kind, Status
from meetings.dates import Precision
from meetings.models import (
    Country,
    CountryStatus,
    Disagreement,
    Meeting,
    Official,
    OfficialName,
    Place,
    PlaceName,
    Position,
    Post,
    SCOStatus,
    Source,
    State,
    Summit,
)

DATA = Path(settings.BASE_DIR) / "data"
TDI = "https://thediplomaticinsight.com/secretary-general-sco-visits-kazakhstan/"


def load():
    output = StringIO()
    call_command("load_sco_data", "--without-record", stdout=output)
    return output.getvalue()


def data_rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def everything():
    """Every row of every model of both apps (many-to-many tables included), by model."""
    models = [
        model
        for label in ("meetings", "initiatives")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """The data loaded once for this module, and rolled back after it; returns the output."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(first_load, db):
    return first_load


def secretary_general_on(day):
    post = Post.objects.get(slug="sco-secretary-general")
    return [p.official.name for p in Position.objects.held_on(day).filter(post=post)]


def test_it_prints_what_it_created(loaded):
    assert "Summits: 54 created" in loaded
    assert "Countries: 28 created" in loaded  # countries.csv's 27 and Munich's Germany
    assert "Officials: 18 created" in loaded
    assert "Meetings: 1 created" in loaded


def test_a_second_run_changes_nothing(loaded):
    before = everything()

    output = load()

    assert everything() == before
    assert "Summits: 54 unchanged" in output
    assert "Initiatives: 71 unchanged" in output
    assert "created" not in output
    assert "updated" not in output
    assert "kept" not in output


def test_an_editors_change_to_a_summit_survives_a_second_run(loaded):
    summit = Summit.objects.get(data_key="CHS-22")
    summit.notes = "Checked against the Samarkand Declaration."
    summit.save()

    output = load()

    summit.refresh_from_db()
    assert summit.notes == "Checked against the Samarkand Declaration."
    assert "Summits: 53 unchanged, 1 kept (edited)" in output


def test_an_editors_change_to_an_official_and_its_names_survives(loaded):
    official = Official.objects.get(data_key="official:zhang-ming")
    official.name = "ZHANG Ming"
    official.save()
    official.names.filter(name="张明").delete()

    output = load()

    official.refresh_from_db()
    assert official.name == "ZHANG Ming"
    assert not official.names.filter(name="张明").exists()
    assert "Officials: 17 unchanged, 1 kept (edited)" in output


def test_an_editors_change_to_a_child_row_keeps_the_whole_record(loaded):
    position = Position.objects.get(official__slug="dmitry-mezentsev")
    position.notes = "Term confirmed by the Secretariat."
    position.save()

    output = load()

    position.refresh_from_db()
    assert position.notes == "Term confirmed by the Secretariat."
    assert "Officials: 17 unchanged, 1 kept (edited)" in output


def test_a_record_nobody_edited_takes_the_bundled_values(loaded):
    # As if loaded from older data: the record and its fingerprint both say "old".
    summit = Summit.objects.get(data_key="CHS-22")
    summit.notes = "Older notes."
    summit.save()
    Summit.objects.filter(pk=summit.pk).update(
        data_fingerprint=fingerprint(read(summit, SUMMIT), SUMMIT)
    )

    output = load()

    summit.refresh_from_db()
    assert summit.notes == "Council session on 16 September 2022."
    assert "Summits: 1 updated, 53 unchanged" in output


def test_a_deleted_record_comes_back(loaded):
    Summit.objects.get(data_key="CHG-05").delete()

    output = load()

    assert Summit.objects.filter(data_key="CHG-05", slug="chg-2006-dushanbe").exists()
    assert "Summits: 1 created, 53 unchanged" in output


def test_a_record_an_editor_made_by_hand_under_the_same_slug_is_kept(loaded):
    Summit.objects.get(data_key="CHG-05").delete()
    hand_made = Summit.objects.create(
        council="heads_of_government",
        slug="chg-2006-dushanbe",
        start_date=datetime.date(2006, 9, 15),
        end_date=datetime.date(2006, 9, 15),
        notes="Entered by hand.",
    )

    output = load()

    hand_made.refresh_from_db()
    assert (hand_made.data_key, hand_made.notes) == (None, "Entered by hand.")
    assert "Summits: 53 unchanged, 1 kept (edited)" in output


def test_the_samarkand_summit_is_published(loaded):
    summit = Summit.objects.published().get(slug="chs-2022-samarkand")

    assert summit.start_date == datetime.date(2022, 9, 15)
    assert summit.end_date == datetime.date(2022, 9, 16)
    assert summit.dates_display == "15–16 September 2022"
    assert str(summit) == "22nd Council of Heads of State (Samarkand, 2022)"
    assert summit.host_country.name == "Uzbekistan"
    assert summit.initiatives.get().title == (
        "Samarkand Declaration of the Council of Heads of State of the SCO"
    )


def test_summit_slugs_are_readable(loaded):
    slugs = set(Summit.objects.values_list("slug", flat=True))

    assert {"shanghai-five-1996", "chs-2001-shanghai", "chs-2020", "chg-2021"} <= slugs


def test_a_virtual_session_has_a_chair_country_and_no_place(loaded):
    summit = Summit.objects.get(data_key="CHS-23")

    assert summit.place is None
    assert summit.host_country is None
    assert summit.chair_country.name == "India"
    assert summit.format == "virtual"


def test_a_date_in_dispute_keeps_both_values_and_sources(loaded):
    summit = Summit.objects.get(data_key="S5-1996")
    disagreement = summit.disagreements.get()

    assert summit.start_date == datetime.date(1996, 4, 26)
    assert (disagreement.accepted_value, disagreement.other_value) == (
        "26 April 1996",
        "25 April 1996",
    )
    assert (
        disagreement.accepted_source.url == "https://photius.com/shanghai_cooperation_organization/"
    )
    assert "fmprc.gov.cn" in disagreement.other_source.url


def test_the_ordinal_of_the_2023_summit_is_23_with_the_22_on_record(loaded):
    summit = Summit.objects.get(data_key="CHS-23")

    assert summit.number == 23
    assert summit.disagreements.get().other_value == "22nd"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (datetime.date(2022, 6, 4), "Zhang Ming"),
        (datetime.date(2025, 6, 1), "Nurlan Yermekbayev"),
        (datetime.date(2014, 1, 1), "Dmitry Mezentsev"),
        (datetime.date(2005, 6, 30), "Zhang Deguang"),
    ],
)
def test_the_secretary_general_on_a_given_day(loaded, day, name):
    assert secretary_general_on(day) == [name]


def test_india_was_an_observer_and_then_a_member(loaded):
    def india_on(day):
        return list(
            CountryStatus.objects.on(day).filter(country__iso_code="IN").values_list("status")
        )

    assert india_on(datetime.date(2010, 1, 1)) == [(SCOStatus.OBSERVER,)]
    assert india_on(datetime.date(2020, 1, 1)) == [(SCOStatus.MEMBER,)]


def test_countries_have_iso_codes_and_native_names(loaded):
    kazakhstan = Country.objects.published().get(slug="kz")

    assert kazakhstan.iso_code == "KZ"
    assert kazakhstan.native_name == "Қазақстан / Казахстан"
    assert Country.objects.get(iso_code="TR").name == "Türkiye"


def test_an_unconfirmed_dialogue_partner_date_is_not_stored(loaded):
    bahrain = Country.objects.get(iso_code="BH")

    assert list(bahrain.statuses.values_list("status", "since")) == [
        (SCOStatus.PARTNER, datetime.date(2025, 9, 1))
    ]
    assert "date the status took effect was not confirmed" in bahrain.notes


def test_the_2022_meeting_has_both_participants(loaded):
    meeting = (
        Meeting.objects.published()
        .for_detail()
        .get(slug="2022-06-04-zhang-ming-meets-akan-rakhmetullin")
    )
    participants = {p.official.name: p for p in meeting.participations.all()}

    assert meeting.dates_display == "4 June 2022"
    assert meeting.place_display == "Nur-Sultan (now Astana)"
    assert meeting.summit.slug == "chs-2022-samarkand"
    assert meeting.summit_relation == "preparations for the next SCO summit"
    assert [source.url for source in meeting.sources.all()] == [TDI]
    zhang, akan = participants["Zhang Ming"], participants["Akan Rakhmetullin"]
    assert zhang.capacity == "Secretary-General of the Shanghai Cooperation Organisation"
    assert zhang.organization.short_name == "SCO Secretariat"
    assert zhang.position.post.slug == "sco-secretary-general"
    assert akan.capacity == "First Deputy Minister of Foreign Affairs of Kazakhstan"
    assert akan.country.iso_code == "KZ"
    assert akan.position.post.slug == "kazakhstan-first-deputy-foreign-minister"
    assert {t.name for t in meeting.topics.all()} >= {"Referendum observation"}


def test_the_meeting_links_the_kazakh_initiatives_the_article_names(loaded):
    meeting = Meeting.objects.get(data_key="MTG-2022-06-04-NURSULTAN")
    keys = set(meeting.initiatives.values_list("data_key", flat=True))

    assert keys == {"INI-BORDER", "INI-STRAT2025", "INI-CT-ARTICLE", "INI-FOOD", "INI-WEB"}
    for initiative in meeting.initiatives.all():
        assert list(initiative.proposed_by.values_list("iso_code", flat=True)) == ["KZ"]
        assert initiative.sources.filter(url=TDI).exists()


def test_the_article_is_described_not_given_a_made_up_headline(loaded):
    source = Source.objects.get(url=TDI)

    assert source.title == "The Diplomatic Insight (TDI) news item, 4 June 2022"
    assert source.publisher == "The Diplomatic Insight"
    assert source.published_on == datetime.date(2022, 6, 4)


def test_sources_are_one_per_address_named_by_their_page_or_after_their_site(loaded):
    tass = Source.objects.get(url="http://tass.com/world/1009014")  # in data/sources.csv
    assert (tass.title, tass.publisher) == (
        "SCO leaders sign Qingdao Declaration, package of documents",
        "TASS",
    )
    assert Source.objects.get(url="https://www.24en.com/p/240242.html").publisher == "24en.com"
    assert Source.objects.filter(url__startswith="https://worldjpn.net/").exists()


def test_operation_web_ran_on_8_to_12_july_2019_with_the_articles_dates_on_record(loaded):
    web = Initiative.objects.published().get(data_key="INI-WEB")
    disagreement = web.disagreements.get()

    assert web.kind == Kind.JOINT_OPERATION
    assert (web.period_start, web.period_end) == (
        datetime.date(2019, 7, 8),
        datetime.date(2019, 7, 12),
    )
    assert web.period_start_precision == web.period_end_precision == Precision.DAY
    assert web.adopted_on is None
    assert disagreement.accepted_value == "8–12 July 2019"
    assert disagreement.accepted_source.url == "http://eng.sectsco.org/news/20190712/565195.html"
    assert disagreement.other_value == "2019–2020"
    assert disagreement.other_source.url == TDI
    assert list(web.status_changes.values_list("status", "date")) == [
        (Status.IN_FORCE, datetime.date(2019, 7, 8)),
        (Status.COMPLETED, datetime.date(2019, 7, 12)),
    ]


def test_the_2019_programme_keeps_the_kremlin_period_and_the_tass_one(loaded):
    programme = Initiative.objects.get(data_key="INI-CT-2019")
    disagreement = programme.disagreements.get()

    assert programme.period_display == "2019 – 2021"
    assert programme.adopted_at.data_key == "CHS-18"
    assert programme.adopted_on == datetime.date(2018, 6, 10)
    assert (disagreement.accepted_value, disagreement.other_value) == ("2019–2021", "2019–2020")
    assert "kremlin.ru" in disagreement.accepted_source.url
    assert "tass.com" in disagreement.other_source.url


def test_unconfirmed_initiatives_carry_no_unconfirmed_facts(loaded):
    food = Initiative.objects.published().get(data_key="INI-FOOD")
    ct_2010 = Initiative.objects.published().get(data_key="INI-CT-2010")
    unidentified = Initiative.objects.get(data_key="INI-CT-ARTICLE")

    assert (food.adopted_on, food.adopted_at, food.status_changes.count()) == (None, None, 0)
    assert food.title == "SCO Food Security Cooperation Programme"
    assert (ct_2010.adopted_on, ct_2010.adopted_at) == (None, None)
    assert ct_2010.period_display == "2010 – 2012"
    assert unidentified.state == State.DRAFT
    assert not Initiative.objects.published().filter(data_key="INI-CT-ARTICLE").exists()


def test_a_summits_main_document_is_an_initiative_adopted_there(loaded):
    charter = Initiative.objects.get(adopted_at__data_key="CHS-02", kind=Kind.CHARTER)
    communiques = Initiative.objects.filter(adopted_at__data_key="CHG-12")

    assert charter.data_key == "DOC-CHARTER"  # the row of initiatives.csv, not a copy
    assert Initiative.objects.filter(adopted_at__data_key="CHS-02").count() == 1
    assert sorted(communiques.values_list("title", flat=True)) == [
        "Joint communiqué",
        "Joint statement on further cooperation in transport",
    ]
    assert communiques.first().adopted_display == "November 2013"


def test_the_kazakh_capital_is_named_as_it_was_on_the_day(loaded):
    astana = Place.objects.prefetch_related("names").get(slug="astana")

    assert astana.name_then_and_now(datetime.date(2022, 6, 4)) == "Nur-Sultan (now Astana)"
    assert astana.name_then_and_now(datetime.date(2022, 9, 19)) == "Astana"
    assert astana.name_then_and_now(datetime.date(2005, 7, 5)) == "Astana"
    nur_sultan = astana.names.get(name="Nur-Sultan")
    assert (nur_sultan.valid_from, nur_sultan.valid_until) == (
        datetime.date(2019, 3, 23),
        datetime.date(2022, 9, 19),
    )


def test_a_renamed_town_keeps_its_old_name_for_the_days_before(loaded):
    guliston = Place.objects.prefetch_related("names").get(slug="kairakkum")

    assert guliston.name == "Guliston"
    assert guliston.name_then_and_now(datetime.date(2014, 4, 1)) == "Kairakkum (now Guliston)"
    assert guliston.name_in("ru", datetime.date(2014, 4, 1)) == "Кайраккум"
    assert guliston.name_in("ru") == ""  # no page gives the new name in Russian


def test_places_of_meetings_take_their_russian_and_chinese_names_from_the_pages(loaded):
    beijing = Place.objects.prefetch_related("names").get(slug="beijing")
    munich = Place.objects.prefetch_related("names").get(slug="munich")

    assert (beijing.name_in("ru"), beijing.name_in("zh-hans")) == ("Пекин", "北京")
    assert munich.name_in("zh-hans") == "慕尼黑"
    assert munich.country.iso_code == "DE"  # no reference table names Germany
    assert all(name.sources.exists() for name in beijing.names.all())


def test_an_unconfirmed_place_name_is_loaded_without_its_date(loaded):
    akmola = PlaceName.objects.get(name="Akmola")

    assert (akmola.valid_from, akmola.valid_until) == (None, None)
    assert akmola.kind == PlaceName.Kind.FORMER


def test_every_summit_city_is_a_place(loaded):
    assert Summit.objects.get(data_key="CHS-15").place.name == "Ufa"
    assert Summit.objects.get(data_key="CHG-23").place.country.iso_code == "PK"


def test_an_unconfirmed_rats_director_has_attestations_and_no_term(loaded):
    position = Position.objects.get(official__slug="myrzakan-subanov")

    assert (position.start_date, position.end_date) == (None, None)
    assert position.term_display == ""
    assert list(position.attestations.values_list("date", flat=True)) == [
        datetime.date(2007, 8, 16),
        datetime.date(2008, 8, 28),
        datetime.date(2009, 6, 16),
        datetime.date(2009, 10, 14),
    ]
    assert not Position.objects.held_on(datetime.date(2008, 8, 28)).filter(pk=position.pk)


def test_an_attestation_in_another_post_is_filed_under_that_post(loaded):
    positions = Position.objects.filter(official__slug="vyacheslav-kasymov")
    attested = {p.post.title: [(a.date, a.note) for a in p.attestations.all()] for p in positions}

    assert attested["Director"][1] == (datetime.date(2006, 9, 15), "as Director")
    assert attested["Deputy Director"] == [(datetime.date(2011, 11, 7), "as Deputy Director")]


def test_unconfirmed_terms_are_not_loaded(loaded):
    posts = {row["reference_position"]: row["slug"] for row in data_rows("posts.csv")}
    for row in data_rows("officials.csv"):
        if row["confidence"] == "unconfirmed":
            positions = Position.objects.filter(
                official__name=row["name"], post__slug=posts[row["position"]]
            )
            assert positions.exists(), row["name"]
            assert not positions.filter(start_date__isnull=False).exists(), row["name"]
            assert not positions.filter(end_date__isnull=False).exists(), row["name"]


def test_tokayev_is_one_official_with_two_positions(loaded):
    tokayev = Official.objects.get(slug="kassym-jomart-tokayev")
    president = tokayev.positions.get(post__slug="president-of-kazakhstan")
    prime_minister = tokayev.positions.get(post__slug="prime-minister-of-kazakhstan")

    assert president.start_date == datetime.date(2019, 3, 20)
    assert president.end_date is None
    assert (prime_minister.start_date, prime_minister.end_date) == (None, None)
    assert prime_minister.attestations.get().date == datetime.date(2001, 9, 14)


def test_officials_keep_every_spelling_and_native_script(loaded):
    names = OfficialName.objects.filter(official__slug="zhang-deguang")
    mezentsev = OfficialName.objects.filter(official__slug="dmitry-mezentsev")

    assert set(names.values_list("name", "language")) == {
        ("张德广", "Chinese"),
        ("張德廣", "Chinese (traditional)"),
        ("Чжан Дэгуан", "Russian"),  # data/official_names.csv, with its page
    }
    assert set(mezentsev.values_list("name", "kind")) == {
        ("Dmitri Mezentsev", OfficialName.Kind.SPELLING),
        ("Dmitry Fedorovich Mezentsev", OfficialName.Kind.FULL),
        ("Дмитрий Мезенцев", OfficialName.Kind.NATIVE),
        ("梅津采夫", OfficialName.Kind.NATIVE),  # data/official_names.csv, with its page
    }


def test_nationality_only_where_the_data_gives_it(loaded):
    assert Official.objects.get(slug="zhang-ming").nationality.iso_code == "CN"
    assert Official.objects.get(slug="ruslan-mirzayev").nationality is None


def test_every_loaded_record_carries_its_key_and_fingerprint(loaded):
    # A country no reference table names comes from GeoNames, as the record's countries do.
    countries = Country.objects.exclude(name="Germany")
    for records in (countries, *(m.objects.all() for m in (Summit, Official, Meeting, Initiative))):
        assert not records.filter(data_key__isnull=True).exists()
        assert not records.filter(data_fingerprint="").exists()
    official = Official.objects.get(data_key="official:zhang-ming")
    assert fingerprint(read(official, OFFICIAL), OFFICIAL) == official.data_fingerprint


def test_disagreements_cite_two_different_sources(loaded):
    for disagreement in Disagreement.objects.all():
        assert disagreement.accepted_source_id != disagreement.other_source_id


def test_summit_document_titles_come_from_the_summit_rows():
    main_documents = {
        row["id"]: row["main_document"].lower()
        for name in ("summits.csv", "heads_of_government_meetings.csv")
        for row in data_rows(name)
    }
    for row in data_rows("summit_documents.csv"):
        assert row["title"].lower() in main_documents[row["summit_id"]], row["title"]


def test_every_place_is_on_the_map(loaded):
    places = Place.objects.all()
    assert places and not places.filter(latitude__isnull=True)
    astana = places.get(slug="astana")
    assert (round(astana.latitude), round(astana.longitude)) == (51, 71)
    assert astana.located_by.startswith("GeoNames ")


def test_coordinates_an_editor_corrected_are_kept(loaded):
    Place.objects.filter(slug="astana").update(latitude=51.0, longitude=71.0, located_by="survey")
    load()
    astana = Place.objects.get(slug="astana")
    assert (astana.latitude, astana.longitude, astana.located_by) == (51.0, 71.0, "survey")


def test_a_source_without_a_publisher_takes_the_name_the_record_gives_its_site(db):
    from datasets.loading.publishers import name_publishers

    Source.objects.create(url="https://en.example.kz/a", publisher="Example Agency")
    Source.objects.create(url="https://en.example.kz/b", publisher="Example Agency")
    Source.objects.create(url="https://en.example.kz/c", publisher="Other")
    bare = Source.objects.create(url="https://en.example.kz/d", publisher="en.example.kz")
    empty = Source.objects.create(url="https://en.example.kz/e")
    alone = Source.objects.create(url="https://blog.example.org/f")

    assert name_publishers() == 2
    for source in (bare, empty, alone):
        source.refresh_from_db()
    assert (bare.publisher, empty.publisher, alone.publisher) == (
        "Example Agency",
        "Example Agency",
        "",
    )


def test_a_source_any_file_cites_takes_its_title_publisher_and_date_from_sources_csv(db):
    from datasets.loading.publishers import describe_sources

    bare = Source.objects.create(url="https://tass.com/politics/1", publisher="tass.com")
    edited = Source.objects.create(url="https://tass.com/politics/2", title="An editor's title")
    rows = [
        {"url": bare.url, "title": "Lavrov meets Wang Yi", "publisher": "TASS",
         "published_on": "2019-05", "notes": "A mirror of tass.ru"},
        {"url": edited.url, "title": "The file's title", "publisher": "TASS",
         "published_on": "", "notes": ""},
        {"url": "https://tass.com/never-cited", "title": "Not on record", "publisher": "TASS",
         "published_on": "", "notes": ""},
    ]  # fmt: skip

    assert describe_sources(rows) == 2
    assert describe_sources(rows) == 0
    bare.refresh_from_db()
    edited.refresh_from_db()
    assert (bare.title, bare.publisher, str(bare.published_on), bare.published_precision) == (
        "Lavrov meets Wang Yi", "TASS", "2019-05-01", "month",
    )  # fmt: skip
    assert bare.notes == "A mirror of tass.ru"
    assert (edited.title, edited.publisher) == ("An editor's title", "TASS")
    assert not Source.objects.filter(url="https://tass.com/never-cited").exists()
