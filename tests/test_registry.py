"""Each public kind of record is declared once (public/registry.py), and nothing that hangs on the
declaration fails silently when a kind is left out."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from meetings.models import Publishable
from public.cache import content_version
from public.registry import content_models, kind_of, kinds
from tests.factories import make_country, make_initiative, make_meeting, make_official, make_summit

MAKERS = {
    "meetings": make_meeting,
    "summits": make_summit,
    "initiatives": make_initiative,
    "officials": make_official,
    "countries": make_country,
}


def public_models():
    """Every concrete model with records that the public reads and editors publish."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract
    ]


def test_every_publishable_model_is_a_registered_kind():
    assert sorted(m._meta.label for m in public_models()) == sorted(
        m._meta.label for m in content_models()
    )


@pytest.mark.parametrize("key", list(kinds()))
def test_each_kind_has_its_pages_download_api_and_menu_entry(client, db, key):
    kind = kinds()[key]
    list_url = reverse(f"{kind.namespace}:{kind.name}_list")
    assert list_url == f"/{key}/"
    assert client.get(list_url).status_code == 200
    assert client.get(f"/{key}/export.csv").status_code == 200
    home = client.get("/").content.decode()
    assert f'<a href="{list_url}">{kind.title}</a>' in home
    record = MAKERS[key](state="published")
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(f"/api/{key}/").status_code == 200
    assert client.get(f"/api/{key}/{record.slug}/").json()["slug"] == record.slug


@pytest.mark.parametrize("key", list(kinds()))
def test_a_change_to_each_kind_retires_the_cached_pages(db, key):
    before = content_version()
    MAKERS[key]()
    assert content_version() != before


@pytest.mark.parametrize("key", list(kinds()))
def test_each_kind_is_editable_by_editors_and_publishable_by_publishers(db, key):
    opts = kinds()[key].model._meta
    editors = {p.codename for p in Group.objects.get(name="Editors").permissions.all()}
    publishers = {p.codename for p in Group.objects.get(name="Publishers").permissions.all()}
    assert {f"{action}_{opts.model_name}" for action in ("view", "add", "change")} <= editors
    assert f"publish_{opts.model_name}" in publishers - editors


def test_kind_of_finds_a_models_declaration():
    from meetings.models import Meeting

    assert kind_of(Meeting).key == "meetings"
    assert kind_of(Group) is None
