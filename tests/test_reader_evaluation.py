"""The reader on the held-out half of its evaluation set, against everything bundled."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

# Measured on the held-out half (README, "Draft from article"); each floor sits a little below.
FLOORS = {
    "participants": (0.90, 0.83),
    "date": (0.80, 0.83),
    "place": (0.78, 0.65),
    "kind": (0.88, 0.88),
    "summit": (0.90, 0.85),
}


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


def test_the_reader_stays_above_its_floors_on_the_held_out_items(everything):
    floors = []
    for key, (precision, recall) in FLOORS.items():
        floors += [f"--min-{key}-precision={precision}", f"--min-{key}-recall={recall}"]
    out = StringIO()

    call_command("evaluate_article_reader", "--half", "held-out", *floors, stdout=out)

    assert "held-out: 32 news items" in out.getvalue()
