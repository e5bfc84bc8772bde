"""Small factories: `make_<model>(**overrides)` saves one record with unique, valid defaults.

Any field can be overridden, many-to-many fields too (`make_meeting(topics=[topic])`). Required
relations are made on demand (`make_place()` makes a country); optional ones stay empty unless
given. Records start as drafts, as in the admin: pass `state=State.PUBLISHED` for public ones.
"""

import datetime
import itertools
import string

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from simple_history.models import HistoricalChanges

from initiatives.models import Initiative, Kind, Status, StatusChange
from meetings.models import (
    Attestation,
    Council,
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
    SCOStatus,
    Source,
    Summit,
    Topic,
)

_numbers = itertools.count(1)


def _iso_codes():
    # Codes ISO 3166 leaves for private use first, so that made-up countries rarely meet real ones.
    letters = string.ascii_uppercase
    private = ["AA", *(f"Q{c}" for c in letters[12:]), *(f"X{c}" for c in letters), "ZZ"]
    others = [a + b for a in letters for b in letters if a + b not in private]
    return itertools.cycle(private + others)


_codes = _iso_codes()


def _default(fields, name, factory):
    """Make the related record only when the caller has not given one."""
    if name not in fields:
        fields[name] = factory()


def _create(model, fields):
    many = {f.name: fields.pop(f.name) for f in model._meta.many_to_many if f.name in fields}
    obj = model.objects.create(**fields)
    for name, values in many.items():
        getattr(obj, name).set(values)
    return obj


def make_country(**overrides):
    code = overrides.get("iso_code") or next(_codes)
    fields = {"iso_code": code, "slug": code.lower(), "name": f"Country {code}", **overrides}
    return _create(Country, fields)


def make_country_status(**overrides):
    fields = {"status": SCOStatus.MEMBER, "since": datetime.date(2001, 6, 15), **overrides}
    _default(fields, "country", make_country)
    return _create(CountryStatus, fields)


def make_place(**overrides):
    n = next(_numbers)
    fields = {"name": f"Place {n}", "slug": f"place-{n}", **overrides}
    _default(fields, "country", make_country)
    return _create(Place, fields)


def make_place_name(**overrides):
    n = next(_numbers)
    fields = {"name": f"Place name {n}", "kind": PlaceName.Kind.OFFICIAL, **overrides}
    _default(fields, "place", make_place)
    return _create(PlaceName, fields)


def make_source(**overrides):
    n = next(_numbers)
    fields = {
        "title": f"Source {n}",
        "publisher": "Example News",
        "url": f"https://example.org/news/{n}",
        **overrides,
    }
    return _create(Source, fields)


def make_topic(**overrides):
    n = next(_numbers)
    return _create(Topic, {"name": f"Topic {n}", "slug": f"topic-{n}", **overrides})


def make_organization(**overrides):
    n = next(_numbers)
    fields = {
        "name": f"Organization {n}",
        "slug": f"organization-{n}",
        "kind": Organization.Kind.SCO_BODY,
        **overrides,
    }
    return _create(Organization, fields)


def make_post(**overrides):
    n = next(_numbers)
    fields = {"title": f"Post {n}", "slug": f"post-{n}", **overrides}
    _default(fields, "organization", make_organization)
    return _create(Post, fields)


def make_official(**overrides):
    n = next(_numbers)
    return _create(Official, {"name": f"Official {n}", "slug": f"official-{n}", **overrides})


def make_official_name(**overrides):
    n = next(_numbers)
    fields = {"name": f"Other name {n}", **overrides}
    _default(fields, "official", make_official)
    return _create(OfficialName, fields)


def make_position(**overrides):
    fields = {"start_date": datetime.date(2020, 1, 1), **overrides}
    _default(fields, "official", make_official)
    _default(fields, "post", make_post)
    return _create(Position, fields)


def make_attestation(**overrides):
    n = next(_numbers)
    fields = {"date": datetime.date(2020, 1, 1) + datetime.timedelta(days=n), **overrides}
    _default(fields, "position", make_position)
    return _create(Attestation, fields)


def make_summit(**overrides):
    n = next(_numbers)
    fields = {
        "council": Council.HEADS_OF_STATE,
        "number": n,
        "slug": f"summit-{n}",
        "start_date": datetime.date(2024, 7, 3),
        **overrides,
    }
    fields.setdefault("end_date", fields["start_date"])
    return _create(Summit, fields)


def make_meeting(**overrides):
    n = next(_numbers)
    fields = {
        "title": f"Meeting {n}",
        "slug": f"meeting-{n}",
        "kind": Meeting.Kind.BILATERAL,
        "start_date": datetime.date(2024, 5, 2),
        **overrides,
    }
    fields.setdefault("end_date", fields["start_date"])
    return _create(Meeting, fields)


def make_participation(**overrides):
    fields = dict(overrides)
    _default(fields, "meeting", make_meeting)
    _default(fields, "official", make_official)
    return _create(Participation, fields)


def make_disagreement(**overrides):
    n = next(_numbers)
    fields = {
        "subject": f"Date {n}",
        "accepted_value": "2 May 2024",
        "other_value": "3 May 2024",
        **overrides,
    }
    _default(fields, "record", make_meeting)
    _default(fields, "accepted_source", make_source)
    _default(fields, "other_source", make_source)
    return _create(Disagreement, fields)


def make_initiative(**overrides):
    n = next(_numbers)
    fields = {
        "title": f"Initiative {n}",
        "slug": f"initiative-{n}",
        "kind": Kind.AGREEMENT,
        **overrides,
    }
    return _create(Initiative, fields)


def make_status_change(**overrides):
    fields = {"status": Status.ADOPTED, "date": datetime.date(2024, 7, 4), **overrides}
    _default(fields, "initiative", make_initiative)
    return _create(StatusChange, fields)


def make_staff(role, **overrides):
    """A user who may use the admin, in the group of `role` ('Editors', 'Publishers', …)."""
    n = next(_numbers)
    user = User.objects.create_user(f"{role.lower()}{n}", is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_editor_without_group(**overrides):
    """A staff user with an Editor's permissions on meetings and officials, outside the group.

    For tests that commit for real: a flush between such tests removes the groups the
    migrations made.
    """
    username = f"committing-editor{next(_numbers)}"
    user = User.objects.create_user(username, is_staff=True, **overrides)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="meetings",
            codename__regex=r"^(view|add|change)_(meeting|official)$",
        )
    )
    return user


# The records with a publishing state, and how to make one of each.
PUBLISHABLE = {
    Country: make_country,
    Initiative: make_initiative,
    Meeting: make_meeting,
    Official: make_official,
    Summit: make_summit,
}


def content_models():
    """The models editors write: those of the two apps, without the history tables and the
    tables the site fills itself (which give no one any permission)."""
    return [
        model
        for label in ("meetings", "initiatives")
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges) and model._meta.default_permissions
    ]


def with_source(record):
    """`record` with a source, as a record of a kind with sources must have to be published."""
    if hasattr(record, "sources"):
        record.sources.add(make_source())
    return record
