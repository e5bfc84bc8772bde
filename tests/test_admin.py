import datetime
import itertools

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from editorial.services import needs_source
from initiatives.models import Initiative, StatusChange
from meetings.models import (
    Attestation,
    Country,
    CountryStatus,
    Disagreement,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Place,
    PlaceName,
    Position,
    Post,
    Publishable,
    Source,
    State,
    Summit,
    Topic,
)
from tests.admin_forms import form_data, model_id
from tests.factories import (
    content_models,
    make_attestation,
    make_country,
    make_country_status,
    make_disagreement,
    make_initiative,
    make_meeting,
    make_official,
    make_official_name,
    make_organization,
    make_participation,
    make_place,
    make_place_name,
    make_position,
    make_post,
    make_source,
    make_status_change,
    make_summit,
    make_topic,
)

# The task results (django-tasks-db's own read-only admin) are tested in test_tasks.py.
MODELS = sorted(
    # Two-factor devices are listed and deleted only: tests/test_two_factor.py.
    (
        model
        for model in admin.site._registry
        if model._meta.app_label not in ("django_tasks_database", "otp_totp")
    ),
    key=lambda model: model._meta.label,
)
APP_MODELS = [model for model in MODELS if model._meta.app_label in {"meetings", "initiatives"}]
PUBLISHABLE = [model for model in APP_MODELS if issubclass(model, Publishable)]
WITH_PAGES = [model for model in APP_MODELS if hasattr(model, "get_absolute_url")]
_numbers = itertools.count(1)


# One record of each model, with the relations its changelist shows filled in.
ROWS = {
    Topic: lambda: make_meeting(topics=[make_topic()]).topics.get(),
    Source: make_source,
    Country: lambda: make_country_status().country,
    CountryStatus: make_country_status,
    Place: make_place,
    PlaceName: make_place_name,
    Organization: lambda: (
        make_post(organization=make_organization(country=make_country())).organization
    ),
    Post: lambda: make_position().post,
    Official: lambda: make_position(official=make_official(nationality=make_country())).official,
    OfficialName: make_official_name,
    Position: lambda: make_attestation().position,
    Attestation: lambda: make_attestation(source=make_source()),
    Summit: lambda: make_summit(
        place=make_place(), host_country=make_country(), chair_country=make_country()
    ),
    Meeting: lambda: (
        make_participation(
            meeting=make_meeting(
                place=make_place(),
                country=make_country(),
                summit=make_summit(place=make_place()),
                topics=[make_topic()],
            )
        ).meeting
    ),
    Participation: lambda: make_participation(
        country=make_country(), organization=make_organization()
    ),
    Disagreement: lambda: make_disagreement(record=make_summit(place=make_place())),
    Initiative: lambda: (
        make_status_change(
            initiative=make_initiative(
                adopted_at=make_summit(place=make_place()),
                proposed_by=[make_country()],
                topics=[make_topic()],
            )
        ).initiative
    ),
    StatusChange: lambda: make_status_change(source=make_source()),
    Group: lambda: Group.objects.create(name=f"Editors {next(_numbers)}"),
    User: lambda: User.objects.create_user(f"editor{next(_numbers)}"),
}


def make_row(model):
    return ROWS[model]()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_apps_is_registered():
    # History tables are read through each record's history page, not registered themselves.
    ours = content_models()
    assert sorted(model_id(m) for m in ours) == [model_id(m) for m in APP_MODELS]


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_each_admin_page_opens_for_a_superuser(admin_client, model):
    obj = make_row(model)
    change_url = admin_url(model, "change", obj.pk)
    name = model._meta.verbose_name

    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert change_url in changelist.content.decode()
    with_counts = admin_client.get(admin_url(model, "changelist"), {"_facets": "1"})
    assert with_counts.status_code == 200
    assert change_url in with_counts.content.decode()

    add = admin_client.get(admin_url(model, "add"))
    assert add.status_code == 200
    assert f"Add {name}" in add.content.decode()

    change = admin_client.get(change_url)
    assert change.status_code == 200
    assert f"Change {name}" in change.content.decode()


@pytest.mark.parametrize(
    ("model", "inlines"),
    [
        (Country, [CountryStatus]),
        (Initiative, [StatusChange, Disagreement]),
        (Meeting, [Participation, Disagreement]),
        (Official, [OfficialName, Position]),
        (Place, [PlaceName]),
        (Position, [Attestation]),
        (Summit, [Disagreement]),
    ],
    ids=lambda value: model_id(value) if isinstance(value, type) else "",
)
def test_records_are_edited_with_their_parts_inline(admin_client, model, inlines):
    obj = make_row(model)

    response = admin_client.get(admin_url(model, "change", obj.pk))

    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert [formset.model for formset in formsets] == inlines


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_each_admin_page_sends_an_anonymous_visitor_to_the_login(db, client, model):
    obj = make_row(model)
    login = reverse("admin:login")
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{login}?next={url}"


@pytest.mark.parametrize("model", WITH_PAGES, ids=model_id)
def test_view_on_site_leads_to_the_public_page(admin_client, model):
    obj = make_row(model)
    ct = ContentType.objects.get_for_model(model)
    view_on_site = reverse("admin:view_on_site", args=[ct.pk, obj.pk])

    change = admin_client.get(admin_url(model, "change", obj.pk))
    assert view_on_site in change.content.decode()

    # The redirect alone: the public page itself is another page's business.
    response = admin_client.get(view_on_site)
    assert response.status_code == 302
    assert response.url.endswith(obj.get_absolute_url())


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_a_changelist_runs_as_many_queries_for_50_rows_as_for_1(admin_client, model):
    url = admin_url(model, "changelist")
    existing = model.objects.count()  # the admin user; the role groups the migrations make
    if not existing:
        make_row(model)
    admin_client.get(url)  # fills per-process caches (content types)

    with CaptureQueriesContext(connection) as one:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == max(existing, 1)

    for _ in range(50 - model.objects.count()):
        make_row(model)
    with CaptureQueriesContext(connection) as fifty:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 50
    assert len(response.context["cl"].result_list) == 50
    queries = "\n".join(query["sql"] for query in fifty.captured_queries)
    assert len(fifty) == len(one), f"{len(one)} queries for 1 row, for 50 rows:\n{queries}"


def test_searching_officials_finds_an_alias_and_a_native_name_once(admin_client):
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    make_official_name(official=tokayev, name="Kassym-Zhomart Tokayev")
    make_official_name(official=tokayev, name="Касым-Жомарт Токаев", kind="native")
    make_official_name(official=tokayev, name="Kassym-Jomart Kemelevich Tokayev", kind="full")
    make_official(name="Shavkat Mirziyoyev")
    url = admin_url(Official, "changelist")

    for term in ("Zhomart", "Токаев", "Tokayev"):
        response = admin_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [tokayev], term
        content = response.content.decode()
        assert content.count(admin_url(Official, "change", tokayev.pk)) == 1, term
        assert "Mirziyoyev" not in content


def test_searching_meetings_by_a_participant_alias_lists_each_meeting_once(admin_client):
    tokayev = make_official(name="Kassym-Jomart Tokayev")
    make_official_name(official=tokayev, name="Kassym-Zhomart Tokayev")
    make_official_name(official=tokayev, name="Kassym-Zhomart Kemelevich Tokayev", kind="full")
    meeting = make_meeting(title="Talks in Astana")
    make_participation(meeting=meeting, official=tokayev)
    make_participation(meeting=meeting)
    make_meeting(title="Talks in Tashkent")

    response = admin_client.get(admin_url(Meeting, "changelist"), {"q": "Zhomart"})

    (row,) = response.context["cl"].result_list
    assert row == meeting
    assert row.participant_count == 2
    assert "Talks in Tashkent" not in response.content.decode()


def inline_management(response, **totals):
    """Management form data for each inline on an add page: no rows unless `totals` says."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(totals.get(prefix, 0))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def meeting_form(admin_client, **fields):
    add_url = admin_url(Meeting, "add")
    data = {
        "title": "Tokayev met Mirziyoyev",
        "slug": "tokayev-met-mirziyoyev",
        "kind": Meeting.Kind.BILATERAL,
        "start_date": "2024-05-02",
        "end_date": "2024-05-02",
        "date_precision": "day",
        "state": State.DRAFT,
        **inline_management(admin_client.get(add_url), participations=fields.pop("rows", 0)),
        **fields,
    }
    return add_url, data


def test_adding_a_meeting_saves_it_with_its_participants(admin_client):
    official = make_official()
    url, data = meeting_form(admin_client, rows=1, **{"participations-0-official": official.pk})

    response = admin_client.post(url, data)

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.slug == "tokayev-met-mirziyoyev"
    assert [p.official for p in meeting.participations.all()] == [official]


def test_a_meeting_that_ends_before_it_starts_is_refused_on_the_end_date(admin_client):
    url, data = meeting_form(admin_client, start_date="2024-05-02", end_date="2024-05-01")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"end_date": ["A meeting cannot end before it starts."]}
    content = response.content.decode()
    assert "A meeting cannot end before it starts." in content
    assert "errors field-end_date" in content  # the error sits on the end date's row
    assert not Meeting.objects.exists()


def test_the_same_official_twice_in_a_new_meeting_is_refused(admin_client):
    official = make_official()
    url, data = meeting_form(
        admin_client,
        rows=2,
        **{"participations-0-official": official.pk, "participations-1-official": official.pk},
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Please correct the duplicate data for official" in content
    assert "Please correct the duplicate values below." in content
    assert not Meeting.objects.exists()
    assert not Participation.objects.exists()


def test_adding_an_official_already_in_a_meeting_is_refused(admin_client):
    participation = make_participation()
    meeting = participation.meeting
    url = admin_url(Meeting, "change", meeting.pk)
    management = inline_management(admin_client.get(url))
    data = {
        **management,
        "title": meeting.title,
        "slug": meeting.slug,
        "kind": meeting.kind,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "date_precision": meeting.date_precision,
        "state": meeting.state,
        "participations-TOTAL_FORMS": "2",
        "participations-INITIAL_FORMS": "1",
        "participations-0-id": participation.pk,
        "participations-0-meeting": meeting.pk,
        "participations-0-official": participation.official_id,
        "participations-1-meeting": meeting.pk,
        "participations-1-official": participation.official_id,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for official" in response.content.decode()
    assert meeting.participations.count() == 1


def test_a_duplicate_slug_is_refused_on_the_slug_field(admin_client):
    make_meeting(slug="tokayev-met-mirziyoyev")
    url, data = meeting_form(admin_client)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "slug": ["Meeting with this Slug already exists."]
    }
    assert Meeting.objects.count() == 1


def test_a_term_that_ends_before_it_starts_is_refused_on_the_end_date(admin_client):
    official, post = make_official(), make_post()
    url = admin_url(Position, "add")
    data = {
        **inline_management(admin_client.get(url)),
        "official": official.pk,
        "post": post.pk,
        "start_date": "2024-05-02",
        "start_precision": "day",
        "end_date": "2024-05-01",
        "end_precision": "day",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"end_date": ["A term cannot end before it starts."]}
    assert not Position.objects.exists()


def test_a_summit_that_ends_before_it_starts_is_refused_on_the_end_date(admin_client):
    url = admin_url(Summit, "add")
    data = {
        **inline_management(admin_client.get(url)),
        "council": "heads_of_state",
        "number": "24",
        "slug": "astana-2024",
        "start_date": "2024-07-04",
        "end_date": "2024-07-03",
        "format": "in_person",
        "state": State.DRAFT,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"end_date": ["A summit cannot end before it starts."]}
    assert not Summit.objects.exists()


def test_a_country_status_that_ends_before_it_starts_is_refused_in_the_inline(admin_client):
    country = make_country(iso_code="KZ", name="Kazakhstan")
    url = admin_url(Country, "change", country.pk)
    data = {
        **inline_management(admin_client.get(url), statuses=1),
        "iso_code": "KZ",
        "slug": "kz",
        "name": "Kazakhstan",
        "state": State.DRAFT,
        "statuses-0-status": "member",
        "statuses-0-since": "2001-06-15",
        "statuses-0-until": "2001-06-14",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert formset.errors == [{"until": ["The status cannot end before it starts."]}]
    assert not CountryStatus.objects.exists()


def test_an_initiative_period_that_ends_before_it_starts_is_refused_on_the_end(admin_client):
    url = admin_url(Initiative, "add")
    data = {
        **inline_management(admin_client.get(url)),
        "title": "Programme of Multilateral Trade and Economic Cooperation",
        "slug": "trade-programme",
        "kind": "programme",
        "adopted_precision": "day",
        "period_start": "2020-01-01",
        "period_start_precision": "year",
        "period_end": "2019-12-31",
        "period_end_precision": "year",
        "state": State.DRAFT,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"period_end": ["The period cannot end before it starts."]}
    assert not Initiative.objects.exists()


def test_the_official_page_links_each_position_to_its_attestations(admin_client):
    attestation = make_attestation(date=datetime.date(2023, 3, 1))
    position = attestation.position

    response = admin_client.get(admin_url(Official, "change", position.official_id))

    content = response.content.decode()
    assert admin_url(Position, "change", position.pk) in content
    assert "1 March 2023" in content
    position_page = admin_client.get(admin_url(Position, "change", position.pk))
    (attestations,) = position_page.context["inline_admin_formsets"]
    assert [form.instance for form in attestations.formset.initial_forms] == [attestation]


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_id)
def test_publish_and_unpublish_actions_change_the_state_and_log_it(admin_client, model):
    draft, published = make_row(model), make_row(model)
    if needs_source(model):
        draft.sources.add(make_source())
    model.objects.filter(pk=published.pk).update(state=State.PUBLISHED)
    url = admin_url(model, "changelist")
    selected = [draft.pk, published.pk]

    response = admin_client.post(
        url, {"action": "publish", "_selected_action": selected}, follow=True
    )

    assert f"1 {model._meta.verbose_name} set to published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert draft.published_at is not None
    assert LogEntry.objects.filter(object_id=str(draft.pk), action_flag=CHANGE).count() == 1

    admin_client.post(url, {"action": "unpublish", "_selected_action": selected})

    assert set(model.objects.values_list("state", flat=True)) == {State.DRAFT}
    draft.refresh_from_db()
    assert draft.published_at is not None  # the first publication stays on record


@pytest.mark.parametrize("model", [m for m in PUBLISHABLE if needs_source(m)], ids=model_id)
def test_a_record_without_a_source_is_not_published_by_the_action(admin_client, model):
    unsourced, sourced = make_row(model), make_row(model)
    sourced.sources.add(make_source())
    url = admin_url(model, "changelist")

    response = admin_client.post(
        url, {"action": "publish", "_selected_action": [unsourced.pk, sourced.pk]}, follow=True
    )

    page = response.content.decode()
    assert f"{escape(str(unsourced))} has no source: add the page it was read from" in page
    assert f"1 {model._meta.verbose_name} set to published." in page
    states = dict(model.objects.values_list("pk", "state"))
    assert states == {unsourced.pk: State.DRAFT, sourced.pk: State.PUBLISHED}


def test_a_published_meeting_cannot_be_saved_without_a_source(admin_client):
    meeting = make_meeting(state=State.PUBLISHED)
    meeting.sources.add(make_source())
    url = admin_url(Meeting, "change", meeting.pk)
    data = form_data(admin_client.get(url))
    del data["sources"]

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "A published record needs a source" in response.content.decode()
    assert meeting.sources.count() == 1


@pytest.mark.parametrize("model", APP_MODELS, ids=model_id)
def test_publishable_models_list_filter_and_act_on_the_state(model):
    model_admin = admin.site._registry[model]
    publishable = model in PUBLISHABLE
    assert ("state" in model_admin.list_display) is publishable
    assert ("state" in model_admin.list_filter) is publishable
    actions = {action.__name__ for action in model_admin.actions or ()}
    assert ({"publish", "unpublish"} <= actions) is publishable


@pytest.mark.parametrize("model", [Meeting, Country, Initiative, Official, Topic], ids=model_id)
def test_the_delete_action_works_on_annotated_changelists(admin_client, model):
    # A topic that a meeting is tagged with is protected (tests/test_history.py).
    doomed = make_topic() if model is Topic else make_row(model)
    kept = make_row(model)

    response = admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
        follow=True,
    )

    assert "Successfully deleted 1" in response.content.decode()
    assert list(model.objects.all()) == [kept]


def autocomplete_fields():
    """One autocomplete field per model that editors pick through one, from every admin form."""
    fields = {}
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for form_admin in [model_admin, *inlines]:
            for name in form_admin.autocomplete_fields:
                field = form_admin.model._meta.get_field(name)
                fields.setdefault(field.related_model, (form_admin.model, name))
    return sorted(fields.values(), key=lambda pair: (model_id(pair[0]), pair[1]))


@pytest.mark.parametrize(
    ("model", "field"),
    autocomplete_fields(),
    ids=lambda value: model_id(value) if isinstance(value, type) else value,
)
# Unordered pages could repeat or skip choices from one page to the next.
@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_autocomplete_answers_in_as_many_queries_for_20_choices_as_for_1(
    admin_client, model, field
):
    params = {
        "app_label": model._meta.app_label,
        "model_name": model._meta.model_name,
        "field_name": field,
    }
    url = reverse("admin:autocomplete")
    choice = model._meta.get_field(field).related_model
    first = make_row(choice)
    admin_client.get(url, params)

    with CaptureQueriesContext(connection) as one:
        response = admin_client.get(url, params)
    assert response.json()["results"] == [{"id": str(first.pk), "text": str(first)}]

    for _ in range(19):
        make_row(choice)
    with CaptureQueriesContext(connection) as twenty:
        response = admin_client.get(url, params)
    assert len(response.json()["results"]) == 20
    assert len(twenty) == len(one)
