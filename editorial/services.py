"""Every write an editor makes beyond a plain form save, one function each.

Admin actions, change forms, imports and commands call these; none of them queries or refreshes
derived data (search vectors, facet counts): the task queue does that once the change commits
(public.tasks).
"""

from django.db import transaction
from django.utils.text import slugify

from meetings.models import Country, Official, OfficialName, Place, Source, State
from reader.places import gazetteer_city

PUBLISHED_REASON = {State.PUBLISHED: "Published", State.DRAFT: "Unpublished"}
# Every published fact links to the page it was read from: a record of a kind that has sources
# is published only with one.
NO_SOURCE = "{record} has no source: add the page it was read from before publishing it."


def needs_source(model):
    return any(field.name == "sources" for field in model._meta.many_to_many)


def mark_state(record, state, user):
    """Set `record`'s state (unsaved), with who published it and the reason its history gives."""
    record.state = state
    if state == State.PUBLISHED:
        record.published_by = user
    record._change_reason = PUBLISHED_REASON[State(state)]


@transaction.atomic
def set_state(queryset, state, user):
    """Move the records of `queryset` not yet in `state` to it; returns those it moved.

    Each record is saved on its own, so that the change enters its history.
    """
    changed = list(queryset.exclude(state=state))
    for record in changed:
        mark_state(record, state, user)
        record.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    return changed


def unsourced(queryset):
    """The records of `queryset` that cannot be published for want of a source."""
    if not needs_source(queryset.model):
        return queryset.none()
    return queryset.filter(sources__isnull=True)


@transaction.atomic
def publish(queryset, user):
    """Publish the records of `queryset` that have a source; returns (published, refused), the
    refused being (record, why) for each record without one."""
    refused = [(record, NO_SOURCE.format(record=record)) for record in unsourced(queryset)]
    ready = queryset.exclude(pk__in=[record.pk for record, _ in refused])
    return set_state(ready, State.PUBLISHED, user), refused


def unpublish(queryset, user):
    return set_state(queryset, State.DRAFT, user)


def spellings(official):
    return [official.name, *official.names.values_list("name", flat=True)]


def merge_blockers(duplicate):
    """What stops the duplicate official from being merged away: its meetings and positions."""
    blockers = []
    meetings = duplicate.participations.count()
    if meetings:
        blockers.append(f"{duplicate} is a participant of {meetings} meeting(s).")
    positions = duplicate.positions.count()
    if positions:
        blockers.append(f"{duplicate} has {positions} position(s) on record.")
    return blockers


@transaction.atomic
def merge_officials(duplicate, official):
    """Make `duplicate` another spelling of `official`: move its name, other spellings and
    sources to `official`, then delete it. Returns the names added to `official`."""
    known = {name.casefold() for name in spellings(official)}
    added = []
    if duplicate.name.casefold() not in known:
        OfficialName.objects.create(official=official, name=duplicate.name)
        known.add(duplicate.name.casefold())
        added.append(duplicate.name)
    for alias in duplicate.names.all():
        if alias.name.casefold() in known:
            continue
        OfficialName.objects.create(
            official=official,
            name=alias.name,
            kind=alias.kind,
            language=alias.language,
            note=alias.note,
        )
        known.add(alias.name.casefold())
        added.append(alias.name)
    official.sources.add(*duplicate.sources.all())
    duplicate.delete()
    return added


@transaction.atomic
def save_article_draft(
    draft, participants, *, source_url, source_title, source_publisher, published_on, initiatives
):
    """Save the draft meeting read from an article (a bound, valid DraftMeetingForm and its
    participants' formset), with its initiatives and the article as its source."""  # fmt: skip
    meeting = draft.save(commit=False)
    meeting.state = State.DRAFT
    meeting._change_reason = "Drafted from an article"
    meeting.save()
    draft.save_m2m()
    participants.instance = meeting
    participants.save()
    meeting.initiatives.add(*initiatives)
    if source_url:
        source, _ = Source.objects.get_or_create(
            url=source_url,
            defaults={
                "title": source_title,
                "publisher": source_publisher,
                "published_on": published_on,
            },
        )
        meeting.sources.add(source)
    return meeting


def free_slug(model, name):
    """`name` as a slug no `model` record has yet ('wang-yi', else 'wang-yi-2', ...)."""
    base = slugify(name)[:45] or "record"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_official_from_article(name, capacity=""):
    """A draft official for a name the article reader found and the records do not hold.
    Returns (official, created): an official of exactly that name already on record is
    returned as it is."""
    existing = Official.objects.filter(name=name).order_by("id").first()
    if existing is not None:
        return existing, False
    official = Official(name=name, slug=free_slug(Official, name), state=State.DRAFT)
    official._change_reason = (
        f"Created from an article (as “{capacity}”)" if capacity else "Created from an article"
    )
    official.save()
    return official, True


class NoSuchCity(ValueError):
    pass


@transaction.atomic
def create_place_from_gazetteer(name, country_code):
    """A place for a city the article reader found in the gazetteer (GeoNames), with its
    coordinates. Returns (place, created); a place of that name in that country already on
    record is returned as it is. Raises NoSuchCity when the gazetteer or the countries on record
    do not know it."""
    city = gazetteer_city(name, country_code)
    country = Country.objects.filter(iso_code=country_code).first()
    if city is None or country is None:
        raise NoSuchCity(name)
    existing = Place.objects.filter(name=city[0], country=country).order_by("id").first()
    if existing is not None:
        return existing, False
    place = Place(
        name=city[0],
        slug=free_slug(Place, city[0]),
        country=country,
        latitude=city[3],
        longitude=city[4],
        located_by=f"GeoNames {city[5]}",
    )
    place._change_reason = "Created from an article"
    place.save()
    return place, True
