"""'Draft a meeting from an article': paste a press release, check what was read, then save.

The page reads the text with `meetings.article` and shows what it found and what it could not
read, above a meeting form filled in from it. Nothing is saved until the editor presses 'Save';
then the meeting (a draft), its participants and the article as a Source are saved together.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import inlineformset_factory
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from editorial import services
from editorial.admin.checks import change_url
from editorial.checks import similar_meetings
from initiatives.models import Initiative
from meetings.dates import Precision
from meetings.models import Meeting, Participation, Summit
from meetings.numbers import number
from reader.article import MAX_CHARS, read_article
from reader.batch import read_csv, split_pasted
from reader.kinds import KIND_NAMES
from reader.lexicon import load_lexicon
from reader.notes import translated

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_INPUT = forms.TextInput(attrs={"class": "vTextField"})
URL_INPUT = forms.URLInput(attrs={"class": "vURLField"})


class ArticleForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the article"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        help_text=_("Paste the news item from its dateline ('Place, date (agency):') on."),
    )
    url = forms.URLField(
        label=_("Address"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=URL_INPUT,
        help_text=_("Where the article can be read; it becomes the meeting's source."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError(_("Paste the text of the article to read it."), code="empty")
        if len(text) > MAX_CHARS:
            raise ValidationError(
                _(
                    "The text is %(length)s characters long; the reader takes at most "
                    "%(max)s. Paste the article alone, not the whole page."
                ),
                code="too_long",
                params={"length": number(len(text)), "max": number(MAX_CHARS)},
            )
        return text


class BatchForm(forms.Form):
    """Several items: pasted with a line of `---` between them, or a CSV of address, date, text."""

    items = forms.CharField(
        label=_("Items"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
        help_text=_(
            "Paste the news items with a line of --- between them; an item may start with a "
            "line that is its address."
        ),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("With a header row: address, date (YYYY-MM-DD), text."),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        if upload:
            if upload.size > MAX_CHARS * 10:
                raise ValidationError(_("The file is too large to read at once."))
            data["batch"] = read_csv(upload.read())
        else:
            data["batch"] = split_pasted(data.get("items") or "")
        return data


class DraftMeetingForm(forms.ModelForm):
    initiatives = forms.ModelMultipleChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Initiatives the article names; the meeting will be listed with them."),
    )
    source_url = forms.URLField(
        label=_("Source address"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        widget=URL_INPUT,
        help_text=_("Saved as a source of the meeting (an address on record is reused)."),
    )
    source_title = forms.CharField(
        label=_("Source title"), required=False, max_length=300, widget=TEXT_INPUT
    )
    source_publisher = forms.CharField(
        label=_("Publisher"), required=False, max_length=200, widget=TEXT_INPUT
    )
    source_published_on = forms.DateField(
        label=_("Published on"), required=False, widget=DATE_INPUT
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "slug",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "date_note",
            "place",
            "country",
            "summit",
            "summit_relation",
            "topics",
            "summary",
        ]
        widgets = {
            "title": TEXT_INPUT,
            "slug": TEXT_INPUT,
            "date_note": TEXT_INPUT,
            "summit_relation": TEXT_INPUT,
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def __init__(self, *args, admin_site, initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("place", "summit"):
            field = self.fields[name]
            field.widget = AutocompleteSelect(Meeting._meta.get_field(name), admin_site)
            field.queryset = field.queryset  # gives the new widget its choices
        self.fields["summit"].queryset = Summit.objects.select_related("place")
        self.fields["initiatives"].queryset = Initiative.objects.filter(
            pk__in=[i.pk for i in initiatives]
        )


def participant_formset(admin_site, extra):
    widgets = {
        name: AutocompleteSelect(Participation._meta.get_field(name), admin_site)
        for name in ("official", "position")
    }
    widgets["capacity"] = forms.TextInput(attrs={"size": 28})
    return inlineformset_factory(
        Meeting,
        Participation,
        fields=["official", "capacity", "position", "country", "organization"],
        widgets=widgets,
        extra=extra,
        can_delete=False,
    )


def unique_slug(date, title):
    base = slugify(f"{date.isoformat() if date else ''} {title}")[:190] or "meeting"
    taken = set(Meeting.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def meeting_initial(reading):
    date = reading.date
    kind = Meeting.Kind.BILATERAL if len(reading.participants) == 2 else Meeting.Kind.OTHER
    if reading.summit and date and reading.summit.start_date <= date:
        kind = Meeting.Kind.MULTILATERAL
    note = f"Dateline of the news item ({reading.agency})" if reading.agency else ""
    if date and not reading.dateline:
        note = "Date given in the text of the news item"
    elif date and not note:
        note = "Dateline of the news item"
    return {
        "title": reading.title,
        "slug": unique_slug(date, reading.title),
        "kind": kind,
        "start_date": date,
        "end_date": date,
        "date_precision": Precision.DAY,
        "date_note": note,
        "place": reading.place,
        "country": reading.country,
        "summit": reading.summit,
        "summit_relation": reading.summit_relation,
        "topics": reading.topics,
        "initiatives": reading.initiatives,
        "source_url": reading.source.get("url", ""),
        "source_title": reading.source.get("title", ""),
        "source_publisher": reading.source.get("publisher", ""),
        "source_published_on": reading.source.get("published_on"),
    }


def participant_initial(reading):
    return [
        {
            "official": p.official,
            "capacity": p.capacity,
            "position": p.position,
            "country": p.country,
            "organization": p.organization,
        }
        for p in reading.participants
    ]


def candidate_links(reading):
    add_url = reverse("admin:meetings_official_add")
    return [
        (c, f"{add_url}?{urlencode({'name': c.name, 'slug': slugify(c.name)})}")
        for c in reading.candidates
    ]


class ArticleDraftMixin:
    """Adds the 'from-article/' page to the meeting admin."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.from_article_view)
        return [
            path("from-article/", view, name="meetings_meeting_from_article"),
            path(
                "from-articles/",
                self.admin_site.admin_view(self.from_articles_view),
                name="meetings_meeting_from_articles",
            ),
            *super().get_urls(),
        ]

    def from_article_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        article = ArticleForm(request.POST or None)
        reading = draft = participants = None
        if request.method == "POST" and article.is_valid():
            text, url = article.cleaned_data["text"], article.cleaned_data["url"]
            reading = read_article(text, load_lexicon(), url)
            if self.create_from_reading(request, reading):
                reading = read_article(text, load_lexicon(), url)  # with the new record
            saving = request.POST.get("action") == "save"
            rows = len(reading.participants) + 2
            Formset = participant_formset(self.admin_site, rows)
            draft_args = {"admin_site": self.admin_site, "initiatives": reading.initiatives}
            if saving:
                draft = DraftMeetingForm(request.POST, prefix="meeting", **draft_args)
                participants = Formset(request.POST, instance=draft.instance, prefix="participants")
                if draft.is_valid() and participants.is_valid():
                    meeting = self.save_draft(request, draft, participants)
                    return HttpResponseRedirect(change_url(meeting))
            else:
                draft = DraftMeetingForm(
                    prefix="meeting", initial=meeting_initial(reading), **draft_args
                )
                participants = Formset(
                    prefix="participants",
                    instance=Meeting(),
                    initial=participant_initial(reading),
                    queryset=Participation.objects.none(),
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Draft a meeting from an article"),
            "opts": self.opts,
            "article_form": article,
            "reading": reading,
            "found": [translated(line) for line in reading.found] if reading else [],
            "problems": [translated(line) for line in reading.problems] if reading else [],
            "draft": draft,
            "participants": participants,
            "candidates": candidate_links(reading) if reading else [],
            "similar": self.similar(reading) if reading else [],
            "media": self.media + (draft.media + participants.media if draft else forms.Media()),
        }
        return TemplateResponse(request, "admin/meetings/meeting/from_article.html", context)

    def from_articles_view(self, request):
        """Several items read at once into a review list; each is saved only from its own
        'Draft from an article' page, where the editor confirms it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BatchForm(request.POST or None, request.FILES or None)
        rows = []
        if request.method == "POST" and form.is_valid():
            lexicon = load_lexicon()
            for item in form.cleaned_data["batch"]:
                reading = read_article(item.text, lexicon, item.url, item.published)
                rows.append(
                    {
                        "item": item,
                        "reading": reading,
                        "kind": translated(KIND_NAMES.get(reading.kind, reading.kind)),
                        "similar": self.similar(reading),
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Draft meetings from several articles"),
            "opts": self.opts,
            "form": form,
            "rows": rows,
        }
        status = 400 if request.method == "POST" and not form.is_valid() else 200
        return TemplateResponse(
            request, "admin/meetings/meeting/from_articles.html", context, status=status
        )

    def create_from_reading(self, request, reading):
        """One click on 'Create as a draft official' (a name not on record) or 'Create the
        place' (a city from the gazetteer): the record is made through editorial.services and
        the article is read again with it. True when a record was made."""
        name = request.POST.get("create_official")
        if name is not None:
            if not request.user.has_perm("meetings.add_official"):
                raise PermissionDenied
            candidate = next((c for c in reading.candidates if c.name == name), None)
            if candidate is None:
                message = _("“%(name)s” is not a name the reader found in this article.")
                self.message_user(request, message % {"name": name}, messages.ERROR)
                return False
            official, created = services.create_official_from_article(name, candidate.capacity)
            message = (
                _("“%(name)s” was created as a draft official.")
                if created
                else _("“%(name)s” is already on record.")
            )
            self.message_user(request, message % {"name": official.name}, messages.SUCCESS)
            return created
        if request.POST.get("create_place") is not None:
            if not request.user.has_perm("meetings.add_place"):
                raise PermissionDenied
            if reading.place is not None or not reading.place_name:
                message = _("The reader found no city to create in this article.")
                self.message_user(request, message, messages.ERROR)
                return False
            try:
                place, created = services.create_place_from_gazetteer(
                    reading.place_name, reading.place_country_code
                )
            except services.NoSuchCity:
                message = _("%(name)s cannot be created: its country is not on record.")
                self.message_user(request, message % {"name": reading.place_name}, messages.ERROR)
                return False
            message = (
                _("%(name)s was created as a place, with its coordinates.")
                if created
                else _("%(name)s is already on record.")
            )
            self.message_user(request, message % {"name": place.name}, messages.SUCCESS)
            return created
        return False

    def similar(self, reading):
        officials = [p.official.pk for p in reading.participants]
        return [
            (meeting, change_url(meeting))
            for meeting in similar_meetings(reading.date, reading.date, officials)
        ]

    def save_draft(self, request, draft, participants):
        data = draft.cleaned_data
        meeting = services.save_article_draft(
            draft,
            participants,
            source_url=data["source_url"],
            source_title=data["source_title"],
            source_publisher=data["source_publisher"],
            published_on=data["source_published_on"],
            initiatives=data["initiatives"],
        )
        self.log_addition(request, meeting, [{"added": {}}])
        self.message_user(
            request,
            _(
                "The draft meeting “%(meeting)s” was saved from the article. "
                "Check it and publish it when it is right."
            )
            % {"meeting": meeting},
            messages.SUCCESS,
        )
        if not data["source_url"]:
            self.message_user(
                request, _("No address was given, so no source was saved."), messages.WARNING
            )
        self.warn(request, meeting)
        return meeting
