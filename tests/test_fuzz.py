"""Hostile query strings on every list, download, calendar, timeline and API list: no 500s.

Hypothesis builds each query string from the endpoint's own parameters (its FilterSet's fields and
the page's `page`, `per_page`, `ordering`, `before`, `q`, ...) with real values from the bundled
data beside hostile ones. Every answer must be 200, 400 or 404. SCO_FUZZ_EXAMPLES sets how many
query strings each group of endpoints gets (the meetings list, ..., the downloads, the API lists),
shared evenly between the group's endpoints; the counts and times are printed at the end of the run.
"""

import math
import os
import time
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from public.countries import CountryFilter
from public.forms import SearchForm
from public.initiatives import InitiativeFilter
from public.meetings import MeetingFilter
from public.officials import OfficialFilter
from public.summits import SummitFilter

EXAMPLES = int(os.environ.get("SCO_FUZZ_EXAMPLES", "60"))
ALLOWED = {200, 400, 404}


@dataclass
class Endpoint:
    path: str
    filterset: type | None = None
    form: type | None = None


EXPORTED = [
    ("meetings", MeetingFilter),
    ("summits", SummitFilter),
    ("initiatives", InitiativeFilter),
    ("officials", OfficialFilter),
    ("countries", CountryFilter),
]
# Each group gets SCO_FUZZ_EXAMPLES query strings, spread over its endpoints.
GROUPS = {
    "meetings": [Endpoint("/meetings/", MeetingFilter), Endpoint("/timeline/", MeetingFilter)],
    "summits": [Endpoint("/summits/", SummitFilter)],
    "initiatives": [Endpoint("/initiatives/", InitiativeFilter)],
    "officials": [Endpoint("/officials/", OfficialFilter)],
    "countries": [Endpoint("/countries/", CountryFilter)],
    "search": [Endpoint("/search/", form=SearchForm)],
    "exports": [
        *(
            Endpoint(f"/{name}/export.{fmt}", filterset)
            for name, filterset in EXPORTED
            for fmt in ("csv", "json")
        ),
        Endpoint("/meetings.ics", MeetingFilter),
        Endpoint("/summits.ics", SummitFilter),
    ],
    "api": [Endpoint(f"/api/{name}/", filterset) for name, filterset in EXPORTED],
}
ENDPOINTS = [endpoint for group in GROUPS.values() for endpoint in group]

LONG = "9" * 10_000
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1" + "0" * 400,
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "-0",
    "0",
    "-1",
    "1.5",
    "0x10",
    "2022-13-45",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2022-02-30",
    "-2022-01-01",
    "2022-06",
    "2022-00",
    "2022-99",
    "0-0",
    ",",
    "2022-06-04,",
    ",17",
    "2022-06-04,abc",
    "2022-06-04,99999999999999999999",
    "2022-06-04,-1",
    "not-a-date,1",
    "' OR '1'='1",
    "1; DROP TABLE meetings_meeting; --",
    "1 UNION SELECT NULL, version() --",
    "%' AND 1=1 --",
    '"; SELECT pg_sleep(5); --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "${7*7}",
    "%s%s%s%n",
    "../../etc/passwd",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\ufeff",
    "\U0001f600" * 50,
    "Zhang Ming",
    "ZHANG",
    "-date",
    "date",
    "-adopted",
    "title",
    "relevance",
    "csv",
    "json",
    LONG,
    "a" * 10_000,
    "x" * 201,
]
# Written as they are into the query string: escapes that do not decode to valid UTF-8.
RAW_ESCAPES = [
    "%ED%A0%80",
    "%ED%B0%80",
    "%C0%AE%C0%AE%2F",
    "%FF%FE",
    "%E2%80%AE",
    "%",
    "%zz",
    "%0d%0a",
]


def filter_params(filterset):
    """The names a FilterSet reads from the URL (a range filter reads `name_after`, ...)."""
    names = []
    for name, filter_ in filterset.base_filters.items():
        suffixes = getattr(filter_.field_class.widget, "suffixes", None)
        if suffixes:
            names += [f"{name}_{suffix}" for suffix in suffixes]
        else:
            names.append(name)
    return names


def real_values(filter_):
    """Values a filter accepts: its choices, or the slugs of its records."""
    queryset = getattr(filter_, "queryset", None)
    if queryset is None:
        queryset = filter_.extra.get("queryset")
    if queryset is not None:
        return [str(slug) for slug in queryset.values_list("slug", flat=True)[:200]]
    choices = filter_.extra.get("choices") or getattr(filter_, "orders", None)
    if choices:
        if isinstance(choices, dict):
            return list(choices)
        return [str(value) for value, _ in list(choices)[:500]]
    return []


def endpoint_params(endpoint):
    """{parameter: values that are valid there} for the endpoint's parameters.

    Beside its filters or form fields, each endpoint gets the parameters the lists, the API and
    the timeline read (paging, keyset, ordering, window), which it must read or ignore.
    """
    params = {}
    if endpoint.filterset:
        instance = endpoint.filterset()
        for name in filter_params(endpoint.filterset):
            base = name.rsplit("_", 1)[0] if name not in instance.filters else name
            params[name] = real_values(instance.filters[base]) if base in instance.filters else []
    if endpoint.form:
        for name, form_field in endpoint.form.base_fields.items():
            choices = getattr(form_field, "choices", None)
            params[name] = [str(value) for value, _ in choices] if choices else []
    params.setdefault("page", ["1", "2", "3"])
    params.setdefault("per_page", ["1", "20", "100", "101"])
    params["before"] = params.get("before") or ["2022-06-04,1", "2001-06-15,5"]
    params.setdefault("from", ["2001", "2019-06"])
    params.setdefault("to", ["2022", "2024-12"])
    params.setdefault("show", ["meetings", "summits", "initiatives", "members"])
    for name in ("q", "ordering", "cursor", "format", "order", "sort"):
        params.setdefault(name, [])
    return params


def value_strategy(valid):
    years = st.integers(1985, 2030).map(str)
    days = st.dates().map(lambda day: day.isoformat())
    months = st.dates().map(lambda day: day.strftime("%Y-%m"))
    hostile = st.sampled_from(HOSTILE)
    random_text = st.text(max_size=30)
    numbers = st.one_of(
        st.integers().map(str),
        st.integers(min_value=2**63 - 2, max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )
    parts = [hostile, random_text, numbers, years, days, months]
    if valid:
        parts = [st.sampled_from(valid)] * 3 + parts
    return st.one_of(*parts)


def query_strings(params):
    names = sorted(params)
    pair = st.sampled_from(names).flatmap(
        lambda name: st.tuples(
            st.just(name),
            value_strategy(params[name]).map(lambda value: quote(value, safe="")),
        )
    )
    raw_pair = st.tuples(st.sampled_from(names), st.sampled_from(RAW_ESCAPES))
    odd_name = st.tuples(
        st.sampled_from(["", "%00", "a[]", "%E2%80%AE"]), st.sampled_from(RAW_ESCAPES)
    )
    pairs = st.lists(st.one_of(pair, pair, pair, raw_pair, odd_name), max_size=6)
    return pairs.map(lambda items: "&".join(f"{name}={value}" for name, value in items))


def read_all(response):
    """The whole body: a streamed download fails only while it is read."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


TOTALS = {}


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/second"},
    }


def fuzz(client, endpoint, examples):
    """Sends `examples` query strings to `endpoint`; returns how many it sent."""
    tried = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query_strings(endpoint_params(endpoint)))
    def answers_sensibly(query):
        response = client.get(f"{endpoint.path}?{query}")
        read_all(response)
        tried.append(query)
        assert response.status_code in ALLOWED, (endpoint.path, query[:300], response.status_code)

    answers_sensibly()
    return len(tried)


@pytest.mark.parametrize("group", GROUPS)
def test_hostile_query_strings_never_break_a_list(group, client, sco_data, unthrottled):
    endpoints = GROUPS[group]
    share = math.ceil(EXAMPLES / len(endpoints))
    started = time.monotonic()
    tried = {endpoint.path: fuzz(client, endpoint, share) for endpoint in endpoints}
    TOTALS[group] = (tried, time.monotonic() - started)
    assert sum(tried.values()) >= EXAMPLES


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    """Prints, after the module, how many requests each endpoint got and how long they took."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if not TOTALS or reporter is None:
        return
    total = sum(sum(tried.values()) for tried, _ in TOTALS.values())
    seconds = sum(seconds for _, seconds in TOTALS.values())
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for group, (tried, spent) in TOTALS.items():
            reporter.write_line(f"fuzz {group:12} {sum(tried.values()):>7} requests {spent:8.1f} s")
            for path, count in tried.items():
                reporter.write_line(f"       {path:28} {count:>7}")
        reporter.write_line(f"fuzz {'in all':12} {total:>7} requests {seconds:8.1f} s")


def test_the_fuzzer_reads_each_endpoints_real_parameters(db):
    meetings = endpoint_params(GROUPS["meetings"][0])
    assert {"date_after", "date_before", "country", "official", "ordering", "before"} <= set(
        meetings
    )
    assert {"-date", "date"} == set(meetings["ordering"])
    assert "member" in endpoint_params(GROUPS["countries"][0])["status"]
    assert {"q", "order"} <= set(endpoint_params(GROUPS["search"][0]))
