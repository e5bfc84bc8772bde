"""OWASP's known-bad inputs (tests/data/owasp_inputs.txt) in every parameter and address.

Each input is sent to every list, download, calendar and API list as the value of all of its
parameters at once (so every parameter reads it); on the HTML pages also alone in the free-text
parameter `q`, which reaches the database; and as the slug of every detail page. Every answer
is 200, 400 or 404, and no HTML answer carries the input as markup.
"""

import time
from urllib.parse import quote, urlencode

import pytest

from tests.markup import owasp_inputs, unsafe_markup
from tests.test_fuzz import ENDPOINTS, endpoint_params, read_all

ALLOWED = {200, 400, 404}
INPUTS = owasp_inputs()
DETAIL_PREFIXES = [
    "/meetings/",
    "/summits/",
    "/initiatives/",
    "/officials/",
    "/countries/",
    "/on/",
    "/relations/kz/",
    *(f"/api/{kind}/" for kind in ("meetings", "summits", "initiatives", "officials", "countries")),
]


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/second"},
    }


def check(response, payload):
    body = read_all(response).decode("utf-8", "replace")
    assert response.status_code in ALLOWED, (payload, response.status_code)
    if response.get("Content-Type", "").startswith("text/html"):
        for shown in {payload, payload[:40]}:
            if "<" in shown:
                assert shown not in body, payload
        return body
    return None


def test_the_list_holds_over_200_inputs():
    assert len(INPUTS) >= 200
    assert len(set(INPUTS)) == len(INPUTS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_known_bad_inputs_in_every_parameter(endpoint, client, sco_data, unthrottled, capsys):
    names = sorted(endpoint_params(endpoint))
    baseline = client.get(endpoint.path)
    html = baseline.get("Content-Type", "").startswith("text/html")
    baseline = baseline.content.decode() if html else None
    # The downloads and the API share the list pages' filters: `q` alone is tried on the pages.
    declared = endpoint.filterset.base_filters if endpoint.filterset else endpoint.form.base_fields
    free_text = ["q"] if html and "q" in declared else []
    tried, started = 0, time.monotonic()
    for payload in INPUTS:
        queries = [urlencode([(name, payload) for name in names])]
        queries += [urlencode({name: payload}) for name in free_text]
        for query in queries:
            body = check(client.get(f"{endpoint.path}?{query}"), payload)
            tried += 1
            if body is not None:
                assert unsafe_markup(body, baseline) == [], (payload, query[:200])
    with capsys.disabled():
        print(f"\nowasp {endpoint.path:28} {tried:>6} requests {time.monotonic() - started:6.1f} s")


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
def test_known_bad_inputs_as_an_address(prefix, client, sco_data, unthrottled):
    for payload in INPUTS:
        segment = quote(payload, safe="")
        response = client.get(f"{prefix}{segment}/")
        body = check(response, payload)
        if body is not None:
            assert unsafe_markup(body) == [], payload
