"""A person or a city the article reader found but the records do not hold is created with one
click, from the draft page or from the batch's review list, and the article is read again with
it."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from meetings.models import Official, Place, State

FROM_ARTICLE = "admin:meetings_meeting_from_article"
BATCH = "admin:meetings_meeting_from_articles"
JAPAROV = (
    "Bishkek, 26 October 2023 (TDI): The meeting was chaired by the Chairman of the Cabinet "
    "of Ministers of Kyrgyzstan, Akylbek Japarov."
)
KATHMANDU = "On 12 March 2019 the SCO Secretary-General held talks in Kathmandu with officials."


def read(client, text, **extra):
    return client.post(reverse(FROM_ARTICLE), {"text": text, "action": "read", **extra})


def participants_prefilled(response):
    forms = response.context["participants"].forms
    return [f.initial["official"].name for f in forms if f.initial]


def test_the_draft_page_offers_a_name_not_on_record_as_a_draft_official(admin_client, sco_data):
    content = read(admin_client, JAPAROV).content.decode()

    assert 'name="create_official" value="Akylbek Japarov"' in content
    assert "Create as a draft official" in content


def test_one_click_creates_the_draft_official_and_reads_the_article_with_it(admin_client, sco_data):
    response = read(admin_client, JAPAROV, create_official="Akylbek Japarov")

    official = Official.objects.get(name="Akylbek Japarov")
    assert official.state == State.DRAFT
    assert official.slug == "akylbek-japarov"
    content = response.content.decode()
    assert response.status_code == 200
    assert "“Akylbek Japarov” was created as a draft official." in content
    # Read again: the new official is a participant, no longer a name to create.
    assert participants_prefilled(response) == ["Akylbek Japarov"]
    assert 'name="create_official"' not in content
    assert official.history.first().history_change_reason.startswith("Created from an article")


def test_a_name_the_reader_did_not_find_is_not_created(admin_client, sco_data):
    officials = Official.objects.count()

    response = read(admin_client, JAPAROV, create_official="Someone Else")

    assert "“Someone Else” is not a name the reader found in this article." in (
        response.content.decode()
    )
    assert Official.objects.count() == officials


def test_one_click_creates_a_city_from_the_gazetteer_with_its_coordinates(admin_client, sco_data):
    content = read(admin_client, KATHMANDU).content.decode()
    assert 'name="create_place"' in content and "Kathmandu (NP)" in content

    response = read(admin_client, KATHMANDU, create_place="Kathmandu")

    place = Place.objects.get(slug="kathmandu")
    assert (place.name, place.country.iso_code) == ("Kathmandu", "NP")
    assert round(place.latitude, 1) == 27.7 and round(place.longitude, 1) == 85.3
    assert place.located_by.startswith("GeoNames ")
    assert "Kathmandu was created as a place, with its coordinates." in response.content.decode()
    assert response.context["draft"]["place"].value() == place.pk


def test_creating_an_official_needs_the_right_to_add_officials(client, django_user_model, sco_data):
    user = django_user_model.objects.create_user("meetings-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_meeting"]))
    client.force_login(user)

    response = read(client, JAPAROV, create_official="Akylbek Japarov")

    assert response.status_code == 403
    assert not Official.objects.filter(name="Akylbek Japarov").exists()


def test_the_batch_list_offers_one_click_creation_for_each_item(admin_client, sco_data):
    response = admin_client.post(reverse(BATCH), {"items": f"{JAPAROV}\n---\n{KATHMANDU}"})

    # Each item's form (its text and address) is sent by its own buttons, "Review and save"
    # and those creating what the item names.
    content = response.content.decode()
    assert 'id="item-1"' in content and 'id="item-2"' in content
    assert 'form="item-1" name="create_official" value="Akylbek Japarov"' in content
    assert 'form="item-2" name="create_place" value="Kathmandu"' in content
    assert not Official.objects.filter(name="Akylbek Japarov").exists()
