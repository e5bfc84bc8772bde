"""Officials recorded twice: the data check that names them, and the load that removes the
spelling merged away in data/record/."""

import datetime
import json
from types import SimpleNamespace

import pytest

from datasets import checks
from datasets.checks import duplicate_officials, same_name
from datasets.loading.record import RecordLoader
from datasets.loading.records import Tally
from meetings.models import Official
from tests.factories import make_country, make_official, make_official_name, make_position


@pytest.mark.parametrize(
    "one, other",
    [
        ("K.T. Zulushev", "Kurmankul Zulushev"),
        ("Zulushev K.T.", "Kurmankul Zulushev"),
        ("Rakhmon Yu.A.", "Yusuf Rahmon"),
        ("Sherali Jonon", "Sherali Saidamir Jonon"),
        ("Далер Джума", "Daler Juma"),
        ("尼亚佐夫", "尼亞佐夫"),
        ("Lo Shugan", "Luo Shugang"),
        ("Gao Huchen", "Gao Hucheng"),
    ],
)
def test_one_name_written_two_ways_is_taken_for_one(one, other):
    assert same_name(one, other)
    assert same_name(other, one)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Li Qiang", "Li Keqiang"),
        ("Igor Ivanov", "Sergei Ivanov"),
        ("A. Kamalov", "Abdulaziz Kamilov"),
        ("Nawaz Sharif", "Shehbaz Sharif"),
        ("Kasymov", "Kalmukhanbet Kasymov"),
    ],
)
def test_two_names_that_only_look_alike_are_not(one, other):
    assert not same_name(one, other)


def official_on(day, name, country, **fields):
    official = make_official(name=name, nationality=country, **fields)
    make_position(official=official, start_date=day, end_date=day)
    return official


def test_a_duplicate_is_reported_with_both_slugs(db):
    china = make_country()
    official_on(datetime.date(2016, 6, 22), "Lo Shugan", china, slug="lo-shugan")
    official_on(datetime.date(2018, 5, 16), "Luo Shugang", china, slug="luo-shugang")

    [problem] = duplicate_officials()
    assert "lo-shugan" in problem and "luo-shugang" in problem


def test_a_spelling_on_record_counts_as_the_name(db):
    tajikistan = make_country()
    jumaev = official_on(datetime.date(2021, 8, 12), "Daler Jumaev", tajikistan, slug="d-jumaev")
    make_official_name(official=jumaev, name="Далер Джума")
    official_on(datetime.date(2024, 6, 21), "Daler Juma", tajikistan, slug="d-juma")

    assert len(duplicate_officials()) == 1


def test_one_name_in_two_countries_or_decades_apart_is_two_people(db):
    day = datetime.date(2020, 1, 1)
    official_on(day, "Kurmankul Zulushev", make_country(), slug="zulushev")
    official_on(day, "K.T. Zulushev", make_country(), slug="zulushev-kt")
    kazakhstan = make_country()
    official_on(datetime.date(1995, 1, 1), "Serik Akhmetov", kazakhstan, slug="akhmetov-1995")
    official_on(datetime.date(2012, 9, 24), "Serik Akhmetov", kazakhstan, slug="akhmetov-2012")

    assert duplicate_officials() == []


def test_two_people_of_one_name_listed_apart_are_not_reported(db, monkeypatch):
    pakistan = make_country()
    day = datetime.date(2022, 7, 1)
    official_on(day, "Syed Murtaza Mahmud", pakistan, slug="murtaza-mahmud")
    official_on(day, "Syed Murtaza Mahmud", pakistan, slug="murtaza-mahmud-2")
    assert len(duplicate_officials()) == 1

    pair = frozenset({"murtaza-mahmud", "murtaza-mahmud-2"})
    monkeypatch.setitem(checks.APART, pair, "Two people: a page read says so.")
    assert duplicate_officials() == []


def test_every_pair_kept_apart_says_why(db):
    assert all(len(pair) == 2 and why for pair, why in checks.APART.items())


# The load after a merge in data/record/.


def meeting_line(key, day, name, written):
    return {
        "id": key,
        "title": f"Ministers of culture meet ({key})",
        "body": "culture-ministers",
        "kind": "ministerial",
        "start_date": day,
        "end_date": day,
        "videoconference": True,
        "participants": [
            {"name": name, "as_written": written, "position": "Minister of Culture",
             "country": "China", "organisation": None},
        ],
        "sources": [{"url": f"https://example.org/{key}", "title": "Culture ministers meet"}],
        "confidence": "confirmed",
        "notes": "",
    }  # fmt: skip


def load_record(folder, lines):
    (folder / "record").mkdir(exist_ok=True)
    (folder / "record" / "officials.jsonl").write_text("", encoding="utf-8")
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (folder / "record" / "culture-meetings.jsonl").write_text(text, encoding="utf-8")
    loader = SimpleNamespace(
        tally=Tally(), data_dir=folder, countries={}, described={}, sourced_names={}
    )
    RecordLoader(loader).run()
    return loader.tally


TWICE = [
    meeting_line("CULTURE-2016", "2016-06-22", "Lo Shugan", ["Lo Shugan"]),
    meeting_line("CULTURE-2018", "2018-05-16", "Luo Shugang", ["Luo Shugang"]),
]
MERGED = [
    meeting_line("CULTURE-2016", "2016-06-22", "Luo Shugang", ["Lo Shugan"]),
    TWICE[1],
]


def test_a_reload_after_a_merge_removes_the_spelling_merged_away(db, tmp_path):
    load_record(tmp_path, TWICE)
    assert set(Official.objects.values_list("slug", flat=True)) == {"lo-shugan", "luo-shugang"}

    tally = load_record(tmp_path, MERGED)

    luo = Official.objects.get()
    assert luo.slug == "luo-shugang"
    assert luo.participations.count() == 2
    assert luo.names.filter(name="Lo Shugan").exists()
    assert "1 removed" in "\n".join(tally.lines())
    assert "removed" not in "\n".join(load_record(tmp_path, MERGED).lines())


def test_a_spelling_an_editor_changed_is_kept_for_the_editor_to_merge(db, tmp_path):
    load_record(tmp_path, TWICE)
    Official.objects.filter(slug="lo-shugan").update(notes="An editor's note.")

    tally = load_record(tmp_path, MERGED)

    lo = Official.objects.get(slug="lo-shugan")
    assert not lo.participations.exists()
    assert "kept (edited)" in "\n".join(tally.lines())
    assert duplicate_officials()
