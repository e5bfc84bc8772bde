"""The reader on the held-out half of its evaluation set, against everything bundled."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from reader.management.commands.evaluate_article_reader import half_of, load_items

# Measured at the end of the work (README, "Draft from article"); each floor sits a little below.
# The held-out half had been scored, and its misses read, before: these figures are not clean.
FLOORS = {
    "participants": (0.90, 0.83),
    "date": (0.80, 0.83),
    "place": (0.75, 0.65),
    "kind": (0.85, 0.85),
    "summit": (0.90, 0.85),
}
# The fresh held-out group (items 90 on), written before the reader's last changes and scored
# once, at the end.
FRESH_FLOORS = {
    "participants": (0.95, 0.70),
    "date": (0.85, 0.90),
    "place": (0.80, 0.70),
    "kind": (0.70, 0.70),
    "summit": (0.85, 0.75),
}
# The first unseen group (items 200-299), written from public pages without sight of the reader,
# scored clean once (items 200-240) and then tuned on.
FIRST_UNSEEN_FLOORS = {
    "participants": (0.95, 0.75),
    "date": (0.92, 0.90),
    "place": (0.95, 0.75),
    "kind": (0.50, 0.50),
    "summit": (0.90, 0.90),
}
# PLACEHOLDER: the unseen group (items 300 on), written after the tuning on items 200-299 and
# scored once, at the end. Its floors are set from that score; until then none is set.
UNSEEN_FLOORS = {}


@pytest.fixture(scope="module")
def everything_once(django_db_setup, django_db_blocker):
    """The bundled tables and the record of meetings (its officials), loaded once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_sco_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def everything(everything_once, db):
    pass


def floor_options(floors):
    options = []
    for key, (precision, recall) in floors.items():
        options += [f"--min-{key}-precision={precision}", f"--min-{key}-recall={recall}"]
    return options


@pytest.mark.parametrize(
    "name, half",
    [
        ("01-tdi-2022-06-04", "tuning"),
        ("99-gatewayhouse-2013-defence-bishkek", "fresh-held-out"),
        ("200-item", "first-unseen"),
        ("299-item", "first-unseen"),
        ("300-item", "unseen"),
    ],
)
def test_each_item_belongs_to_one_group_by_its_number(name, half):
    assert half_of(name) == half


def test_the_reader_stays_above_its_floors_on_the_held_out_items(everything):
    out = StringIO()

    call_command(
        "evaluate_article_reader", "--half", "held-out", *floor_options(FLOORS), stdout=out
    )

    assert "held-out: 32 news items" in out.getvalue()


def test_the_reader_stays_above_its_floors_on_the_fresh_held_out_items(everything):
    out = StringIO()

    call_command(
        "evaluate_article_reader",
        "--half",
        "fresh-held-out",
        *floor_options(FRESH_FLOORS),
        stdout=out,
    )

    assert "fresh-held-out: 17 news items" in out.getvalue()


def test_the_reader_stays_above_its_floors_on_the_first_unseen_items(everything):
    out = StringIO()

    call_command(
        "evaluate_article_reader",
        "--half",
        "first-unseen",
        *floor_options(FIRST_UNSEEN_FLOORS),
        stdout=out,
    )

    assert "first-unseen: 41 news items" in out.getvalue()


def test_the_reader_stays_above_its_floors_on_the_unseen_items(everything):
    # PLACEHOLDER until the unseen items (300 on) are added and scored: fill UNSEEN_FLOORS then.
    if not load_items(half="unseen"):
        pytest.skip("No unseen items (300 on) yet.")
    out = StringIO()

    call_command(
        "evaluate_article_reader", "--half", "unseen", *floor_options(UNSEEN_FLOORS), stdout=out
    )

    assert "unseen: " in out.getvalue()
