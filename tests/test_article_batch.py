"""Several news items read at once in admin: a review list of drafts, nothing saved."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting, Source

ARTICLES = Path(__file__).parent / "data" / "articles"
TDI = (ARTICLES / "01-tdi-2022-06-04.txt").read_text(encoding="utf-8")
TDI_URL = "https://thediplomaticinsight.com/secretary-general-sco-visits-kazakhstan/"
SECOND = (
    "BISHKEK, 18 March 2025 (TDI): Foreign Minister Jeenbek Kulubaev received SCO "
    "Secretary-General Nurlan Yermekbayev."
)
BATCH = "admin:meetings_meeting_from_articles"


def test_the_review_list_names_the_kinds_in_the_editors_language(admin_client, sco_data):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    response = admin_client.post(reverse(BATCH), {"items": f"{TDI}\n---\n{SECOND}"})

    assert [row["kind"] for row in response.context["rows"]] == ["двусторонняя встреча"] * 2
    assert "2 черновика" in response.content.decode()


def csv_file(content, name="items.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_meeting_list_links_to_the_batch_page(admin_client):
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"))

    assert reverse(BATCH) in response.content.decode()


def test_pasted_items_become_a_review_list_and_nothing_is_saved(admin_client, sco_data):
    meetings, sources = Meeting.objects.count(), Source.objects.count()

    response = admin_client.post(reverse(BATCH), {"items": f"{TDI_URL}\n{TDI}\n---\n{SECOND}"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 drafts to review" in content
    assert "2022-06-04" in content and "2025-03-18" in content
    tdi, second = response.context["rows"]
    assert tdi["item"].url == TDI_URL
    # The bundled record of the TDI meeting is flagged as a likely duplicate; the other is not.
    assert tdi["similar"] and not second["similar"]
    assert content.count("Review and save") == 2
    assert Meeting.objects.count() == meetings and Source.objects.count() == sources


def test_a_csv_of_address_date_and_text_is_read_with_its_dates(admin_client, sco_data):
    rows = io.StringIO()
    rows.write("address,date,text\n")
    rows.write('https://example.org/a,2025-03-19,"BISHKEK, March 18: Kulubaev met Yermekbayev."\n')

    response = admin_client.post(reverse(BATCH), {"csv_file": csv_file(rows.getvalue().encode())})

    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["item"].url == "https://example.org/a"
    assert str(row["reading"].date) == "2025-03-18"


def test_bad_input_is_explained_and_nothing_is_read(admin_client, sco_data):
    cases = [
        ({"items": "  \n---\n "}, "No item to read"),
        ({"csv_file": csv_file(b"\x89PNG\r\n\x1a\n\x00\x00")}, "not text in UTF-8"),
        ({"csv_file": csv_file(b"address,when\nx,y\n")}, "needs a header row"),
        ({"csv_file": csv_file(b"address,date,text\nx,tomorrow,Some text\n")}, "is not a date"),
        ({"items": "x" * 200_001}, "the reader takes at most"),
    ]
    for data, message in cases:
        response = admin_client.post(reverse(BATCH), data)

        assert response.status_code == 400, message
        assert message in response.content.decode(), message
        assert "rows" not in response.context or not response.context["rows"]


def test_the_batch_page_needs_the_right_to_add_meetings(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.force_login(user)

    response = client.get(reverse(BATCH))

    assert response.status_code == 403
