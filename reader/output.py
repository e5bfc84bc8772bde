"""The reader's stable JSON contract, shared by `read_article --json` and the evaluation."""


def place_json(reading):
    if reading.place:
        country = reading.place.country
        return {
            "slug": reading.place.slug,
            "name": reading.place.name,
            "country": country.iso_code if country else "",
        }
    if reading.place_name:
        return {"slug": None, "name": reading.place_name, "country": reading.place_country_code}
    return None


def person_json(participant):
    return {
        "official": participant.official.slug,
        "name": participant.official.name,
        "position": participant.capacity,
    }


def reading_as_json(reading):
    """One JSON-ready dict: the fields the evaluation scores and scripts rely on."""
    return {
        "date": reading.date.isoformat() if reading.date else None,
        "date_precision": reading.date_precision or None,
        "place": place_json(reading),
        "kind": reading.kind or None,
        "participants": [person_json(p) for p in reading.participants]
        + [{"official": None, "name": c.name, "position": c.capacity} for c in reading.candidates],
        "mentioned": [person_json(p) for p in reading.mentioned],
        "summit": reading.summit.slug if reading.summit else None,
        "summits_mentioned": [s.slug for s in reading.summits_mentioned],
        "initiatives": [i.slug for i in reading.initiatives],
        "topics": [t.slug for t in reading.topics],
        "problems": reading.problems,
    }
