"""Year 0, NUL characters and far-future dates in every path parameter of every public URL
pattern: a clear 4xx, never a 500 (on PostgreSQL, a NUL in a query is an error)."""

import pytest
from django.test import Client

from sco_tracker.addresses import NUL_MESSAGE
from tests.routes import fill, routes

# A value each parameter takes, so that one parameter at a time can be hostile.
ORDINARY = {
    "slug": "kz",
    "fmt": "csv",
    "a": "kz",
    "b": "cn",
    "day": "2024-05-02",
    "chart": "meetings-per-year",
    "param": "kind",
}
HOSTILE = [
    "%00", "a%00b", "%00%00", "0000-01-01", "0000-02-30", "0000-00-00", "9999-12-31",
    "10000-01-01", "99999999999999999999-01-01", "2024-02-30", "-1",
]  # fmt: skip


@pytest.fixture
def client():
    # A server that would show its error page: each 500 fails the test.
    return Client(raise_request_exception=False)


def hostile_addresses():
    for route in routes():
        for name in dict.fromkeys(part.split("}")[0] for part in route.split("{")[1:]):
            for value in HOSTILE:
                values = {other: [ORDINARY[other]] for other in ORDINARY}
                values[name] = [value]
                yield from fill(route, values)


def test_every_path_parameter_has_an_ordinary_value():
    for route in routes():
        fill(route, {name: [value] for name, value in ORDINARY.items()})


def test_hostile_path_parameters_get_a_4xx(client, sco_data):
    answers = {}
    for address in hostile_addresses():
        response = client.get(address)
        answers[address] = response.status_code
        assert 400 <= response.status_code < 500, (address, response.status_code)
        if "%00" in address:
            assert response.status_code == 400
            assert response.content.decode() == NUL_MESSAGE
    assert "/relations/%00/cn/" in answers and "/on/0000-01-01/" in answers


@pytest.mark.parametrize(
    "address, message",
    [
        ("/on/0000-01-01/", "&#x27;0000-01-01&#x27; is not a date: there is no year 0."),
        ("/on/?day=0000-02-30", "&#x27;0000-02-30&#x27; is not a date: there is no year 0."),
        ("/on/?day=0000-01-01", "&#x27;0000-01-01&#x27; is not a date: there is no year 0."),
        ("/on/9999-12-31/", "31 December 9999 is outside the record"),
    ],
)
def test_a_date_page_explains_a_date_it_cannot_show(client, db, address, message):
    response = client.get(address)
    assert response.status_code in (400, 404)
    assert message in response.content.decode()
