"""Synthetic records at scale, for trying the site and for `make bench`.

`generate()` fills the database with made-up but plausible records, the same ones for the same
seed: countries with their SCO status, cities, ministries and their posts, officials under about
three spellings each with positions over time, meetings with their participants, topics and
sources, summits, and initiatives with their status histories. Every record it makes is marked as
synthetic: a `data_key` starting with "demo:" on the publishable ones, a slug or address starting
with "demo-" on the others. Rows go in with bulk inserts, a batch at a time.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from initiatives.models import Initiative, Kind, Status, StatusChange
from meetings.dates import read_day
from meetings.models import (
    Council,
    Country,
    CountryStatus,
    Disagreement,
    Format,
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
    State,
    Summit,
    Topic,
)
from public.registry import content_models
from public.search import refresh_all_in_bulk

KEY = "demo:"
SLUG = "demo-"
BATCH = 5_000
FIRST_DAY = datetime.date(2001, 6, 15)
LAST_DAY = datetime.date(2025, 12, 31)

# iso code, name, native name, status, since, cities, given names, family names, script
COUNTRIES = [
    ("CN", "China", "中国", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Beijing", "Shanghai", "Qingdao", "Xi'an", "Urumqi", "Kunming"],
     ["Wei", "Jun", "Ming", "Hua", "Lei", "Yi", "Qiang", "Jie"],
     ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang"], "han"),
    ("RU", "Russia", "Россия", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Moscow", "Saint Petersburg", "Yekaterinburg", "Ufa", "Kazan", "Novosibirsk"],
     ["Sergey", "Dmitry", "Alexey", "Yury", "Andrey", "Nikolay", "Vladimir", "Maria"],
     ["Ivanov", "Lavrov", "Morozov", "Volkov", "Sokolov", "Zakharov", "Fedorov", "Kozlov"],
     "cyrillic"),
    ("KZ", "Kazakhstan", "Қазақстан", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Astana", "Almaty", "Shymkent", "Aktau", "Karaganda"],
     ["Kassym", "Yerlan", "Askar", "Akan", "Nurlan", "Zhanar", "Bolat", "Murat"],
     ["Tokayev", "Rakhmetullin", "Nurgaliyev", "Zhaksybekov", "Karin", "Vassilenko",
      "Kuanyshev", "Abishev"], "cyrillic"),
    ("KG", "Kyrgyzstan", "Кыргызстан", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Bishkek", "Osh", "Cholpon-Ata", "Karakol"],
     ["Almazbek", "Sooronbay", "Zhenish", "Kubanychbek", "Aibek", "Chingiz"],
     ["Atambayev", "Jeenbekov", "Kazakbayev", "Razakov", "Omurkulov", "Abdyldayev"],
     "cyrillic"),
    ("TJ", "Tajikistan", "Тоҷикистон", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Dushanbe", "Khujand", "Kulob"],
     ["Sirojiddin", "Kokhir", "Emomali", "Rustam", "Farhod", "Davlat"],
     ["Muhriddin", "Rasulzoda", "Rahmon", "Zarifi", "Aslov", "Ghulomov"], "cyrillic"),
    ("UZ", "Uzbekistan", "Oʻzbekiston", SCOStatus.FOUNDING_MEMBER, "2001-06-15",
     ["Tashkent", "Samarkand", "Bukhara", "Khiva", "Fergana"],
     ["Bakhtiyor", "Abdulaziz", "Shavkat", "Vladimir", "Sardor", "Jamshid"],
     ["Saidov", "Kamilov", "Norov", "Aripov", "Umurzakov", "Khodjayev"], "cyrillic"),
    ("IN", "India", "भारत", SCOStatus.MEMBER, "2017-06-09",
     ["New Delhi", "Mumbai", "Goa", "Bengaluru", "Chennai"],
     ["Subrahmanyam", "Rajnath", "Ajit", "Vikram", "Anil", "Priya"],
     ["Jaishankar", "Singh", "Doval", "Misri", "Kumar", "Sharma"], "latin"),
    ("PK", "Pakistan", "پاکستان", SCOStatus.MEMBER, "2017-06-09",
     ["Islamabad", "Karachi", "Lahore"],
     ["Bilawal", "Shehbaz", "Ishaq", "Asim", "Ahsan", "Hina"],
     ["Bhutto", "Sharif", "Dar", "Munir", "Iqbal", "Khar"], "latin"),
    ("IR", "Iran", "ایران", SCOStatus.MEMBER, "2023-07-04",
     ["Tehran", "Isfahan", "Mashhad"],
     ["Hossein", "Abbas", "Mohammad", "Ali", "Reza", "Mehdi"],
     ["Amir-Abdollahian", "Araghchi", "Zarif", "Bagheri", "Rezaei", "Safari"], "latin"),
    ("BY", "Belarus", "Беларусь", SCOStatus.MEMBER, "2024-07-04",
     ["Minsk", "Brest", "Gomel"],
     ["Maxim", "Sergei", "Aleksandr", "Viktor", "Igor", "Natalya"],
     ["Ryzhenkov", "Aleinik", "Makei", "Volfovich", "Petrishenko", "Kochanova"], "cyrillic"),
    ("MN", "Mongolia", "Монгол Улс", SCOStatus.OBSERVER, "2004-06-17",
     ["Ulaanbaatar", "Darkhan"],
     ["Battsetseg", "Luvsannyamyn", "Ganbaatar", "Bold", "Enkhbayar", "Oyun"],
     ["Batmunkh", "Gantumur", "Tsogtbaatar", "Erdene", "Dashdorj", "Sukhbaatar"], "cyrillic"),
    ("AF", "Afghanistan", "افغانستان", SCOStatus.OBSERVER, "2012-06-07",
     ["Kabul", "Herat"],
     ["Hamid", "Zalmai", "Ashraf", "Abdullah", "Rangin", "Hanif"],
     ["Karzai", "Rassoul", "Ghani", "Spanta", "Atmar", "Stanekzai"], "latin"),
    ("AZ", "Azerbaijan", "Azərbaycan", SCOStatus.DIALOGUE_PARTNER, "2015-07-10",
     ["Baku", "Ganja"], ["Jeyhun", "Elmar", "Hikmet", "Mukhtar", "Ramiz", "Leyla"],
     ["Bayramov", "Mammadyarov", "Hajiyev", "Babayev", "Mehdiyev", "Aliyeva"], "latin"),
    ("AM", "Armenia", "Հայաստան", SCOStatus.DIALOGUE_PARTNER, "2015-07-10",
     ["Yerevan", "Gyumri"], ["Ararat", "Zohrab", "Armen", "Vahan", "Tigran", "Anna"],
     ["Mirzoyan", "Mnatsakanyan", "Grigoryan", "Kostanyan", "Sargsyan", "Hakobyan"], "latin"),
    ("KH", "Cambodia", "កម្ពុជា", SCOStatus.DIALOGUE_PARTNER, "2015-07-10",
     ["Phnom Penh", "Siem Reap"], ["Prak", "Sok", "Hun", "Chea", "Kong", "Sophea"],
     ["Sokhonn", "Chenda", "Manet", "Vuthy", "Sam", "Kimsan"], "latin"),
    ("NP", "Nepal", "नेपाल", SCOStatus.DIALOGUE_PARTNER, "2015-07-10",
     ["Kathmandu", "Pokhara"], ["Narayan", "Pradeep", "Arzu", "Bimala", "Ram", "Sita"],
     ["Saud", "Gyawali", "Deuba", "Rai", "Thapa", "Koirala"], "latin"),
    ("TR", "Turkey", "Türkiye", SCOStatus.DIALOGUE_PARTNER, "2012-06-07",
     ["Ankara", "Istanbul"], ["Hakan", "Mevlut", "Ahmet", "Yasar", "Omer", "Zeynep"],
     ["Fidan", "Cavusoglu", "Davutoglu", "Kilic", "Celik", "Aydin"], "latin"),
    ("LK", "Sri Lanka", "ශ්‍රී ලංකාව", SCOStatus.DIALOGUE_PARTNER, "2009-06-16",
     ["Colombo", "Kandy"], ["Ali", "Gamini", "Dinesh", "Tilak", "Ranil", "Nirupama"],
     ["Sabry", "Peiris", "Gunawardena", "Marapana", "Perera", "Silva"], "latin"),
    ("EG", "Egypt", "مصر", SCOStatus.DIALOGUE_PARTNER, "2022-09-16",
     ["Cairo", "Alexandria"], ["Sameh", "Badr", "Ahmed", "Mahmoud", "Hany", "Nabila"],
     ["Shoukry", "Abdelatty", "Hassan", "Fahmy", "Said", "Makram"], "latin"),
    ("QA", "Qatar", "قطر", SCOStatus.DIALOGUE_PARTNER, "2022-09-16",
     ["Doha"], ["Mohammed", "Sultan", "Khalid", "Majed", "Lolwah", "Hamad"],
     ["Al-Thani", "Al-Muraikhi", "Al-Attiyah", "Al-Ansari", "Al-Khater", "Al-Kuwari"],
     "latin"),
    ("SA", "Saudi Arabia", "السعودية", SCOStatus.DIALOGUE_PARTNER, "2023-03-29",
     ["Riyadh", "Jeddah"], ["Faisal", "Adel", "Waleed", "Ibrahim", "Turki", "Reema"],
     ["Al-Saud", "Al-Jubeir", "Al-Khuraiji", "Al-Assaf", "Al-Qasabi", "Al-Rasheed"], "latin"),
    ("AE", "United Arab Emirates", "الإمارات", SCOStatus.DIALOGUE_PARTNER, "2023-05-05",
     ["Abu Dhabi", "Dubai"], ["Abdullah", "Khalifa", "Anwar", "Saeed", "Reem", "Noura"],
     ["Al Nahyan", "Shaheen", "Gargash", "Al Zeyoudi", "Al Hashimy", "Al Kaabi"], "latin"),
]  # fmt: skip

SCO_BODIES = [
    ("SCO Secretariat", "sco_body",
     ["Secretary-General", "Deputy Secretary-General", "Head of Department", "Counsellor"]),
    ("SCO Regional Anti-Terrorist Structure", "sco_body",
     ["Director", "Deputy Director", "Head of Department", "Official Representative"]),
    ("SCO Business Council", "sco_body", ["Chair", "Executive Secretary"]),
    ("SCO Interbank Consortium", "sco_body", ["Chair", "Coordinator"]),
]  # fmt: skip
NATIONAL_BODIES = [
    ("Office of the President of {}", ["President", "Head of the Presidential Administration",
                                      "Foreign Policy Adviser"]),
    ("Government of {}", ["Prime Minister", "First Deputy Prime Minister",
                          "Deputy Prime Minister"]),
    ("Ministry of Foreign Affairs of {}", ["Minister of Foreign Affairs", "First Deputy Minister",
                                           "Deputy Minister", "Director of the Asia Department",
                                           "National Coordinator for SCO Affairs", "Ambassador"]),
    ("Ministry of Defence of {}", ["Minister of Defence", "Deputy Minister of Defence"]),
    ("Ministry of Economy of {}", ["Minister of Economy", "Deputy Minister of Economy"]),
    ("Ministry of Energy of {}", ["Minister of Energy", "Deputy Minister of Energy"]),
    ("Security Council of {}", ["Secretary of the Security Council"]),
]  # fmt: skip
TOPICS = [
    "Counter-terrorism", "Regional security", "Trade", "Energy", "Transport", "Digital economy",
    "Education", "Healthcare", "Culture", "Tourism", "Agriculture", "Finance", "Customs",
    "Border security", "Drug trafficking", "Emergency response", "Environment",
    "Water resources", "Science and technology", "Youth", "Media", "Sports", "Afghanistan",
    "Information security", "Industrial cooperation", "Investment", "Banking", "Connectivity",
    "Food security", "Climate change",
]  # fmt: skip
PUBLISHERS = [
    ("Xinhua", "english.news.cn"), ("TASS", "tass.com"), ("Kazinform", "inform.kz"),
    ("Kabar", "kabar.kg"), ("Khovar", "khovar.tj"), ("UzA", "uza.uz"),
    ("Press Trust of India", "ptinews.com"), ("Associated Press of Pakistan", "app.com.pk"),
    ("IRNA", "irna.ir"), ("BelTA", "belta.by"), ("SCO Secretariat", "eng.sectsco.org"),
    ("The Astana Times", "astanatimes.com"), ("Global Times", "globaltimes.cn"),
]  # fmt: skip
KIND_WEIGHTS = {
    Meeting.Kind.BILATERAL: 45,
    Meeting.Kind.MULTILATERAL: 15,
    Meeting.Kind.MINISTERIAL: 12,
    Meeting.Kind.WORKING_VISIT: 12,
    Meeting.Kind.CALL: 12,
    Meeting.Kind.OTHER: 4,
}
# Rough Latin-to-Cyrillic spelling for the native form of a name.
CYRILLIC = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"),
    ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("f", "ф"), ("h", "х"), ("j", "дж"), ("q", "к"), ("w", "в"), ("x", "кс"),
    ("c", "к"),
]  # fmt: skip
HAN = "王李张刘陈杨赵黄伟军明华磊毅强杰国平建文"
# Spelling changes that transliterations of the same name show.
VARIANTS = [("ay", "ai"), ("zh", "j"), ("yev", "ev"), ("kh", "h"), ("ov", "off"), ("y", "i"),
            ("u", "ou"), ("ee", "i"), ("i", "y"), ("a", "ah")]  # fmt: skip


def holds_real_records():
    """Whether the database holds any record that this module did not make."""
    for model in content_models():
        if model.objects.filter(Q(data_key__isnull=True) | ~Q(data_key__startswith=KEY)).exists():
            return True
    for model in (Place, Organization, Post, Topic):
        if model.objects.exclude(slug__startswith=SLUG).exists():
            return True
    return Source.objects.exclude(url__contains=f"/{SLUG}").exists()


def holds_demo_records():
    return Meeting.objects.filter(data_key__startswith=KEY).exists()


def delete_rows(queryset):
    """DELETE the rows of `queryset` in one statement: no rows loaded, no signals, no history."""
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    pk = connection.ops.quote_name(queryset.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN (SELECT * FROM ({sql}) doomed)", params)
        return cursor.rowcount


def links(model, records):
    """The many-to-many rows from `records` (of `model`) to anything."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        yield through.objects.filter(**{f"{field.m2m_field_name()}__in": records})


# The kinds whose demo records remove_demo_records deletes in an order of their own.
ORDERED = {Meeting, Summit, Initiative, Official, Country}


def remove_demo_records(say):
    """Delete the records that an earlier run made, in one transaction."""
    demo = {model: model.objects.filter(data_key__startswith=KEY) for model in content_models()}
    meetings, officials = demo[Meeting], demo[Official]
    steps = [
        Disagreement.objects.filter(subject__startswith="Demo: "),
        StatusChange.objects.filter(initiative__in=demo[Initiative]),
        Initiative.meetings.through.objects.filter(meeting__in=meetings),
        *(query for model in (Meeting, Summit, Initiative, Official) for query in
          links(model, demo[model])),
        Participation.objects.filter(Q(meeting__in=meetings) | Q(official__in=officials)),
        demo[Initiative],
        meetings,
        demo[Summit],
        Position.attestations.rel.related_model.objects.filter(position__official__in=officials),
        Position.objects.filter(official__in=officials),
        OfficialName.objects.filter(official__in=officials),
        officials,
        # Any other public kind's records, before the countries they may point to.
        *(records for model, records in demo.items() if model not in ORDERED),
        Source.objects.filter(url__contains=f"/{SLUG}"),
        Post.objects.filter(slug__startswith=SLUG),
        Organization.objects.filter(slug__startswith=SLUG),
        PlaceName.objects.filter(place__slug__startswith=SLUG),
        Place.objects.filter(slug__startswith=SLUG),
        Topic.objects.filter(slug__startswith=SLUG),
        CountryStatus.objects.filter(country__in=demo[Country]),
        demo[Country],
    ]  # fmt: skip
    with transaction.atomic():
        for queryset in steps:
            count = delete_rows(queryset)
            if count:
                say(f"  {queryset.model._meta.verbose_name_plural}: {count:,} removed")


@dataclass
class Person:
    id: int
    name: str
    country_id: int | None  # None for SCO staff, who represent their organisation
    organization_id: int | None
    positions: list  # (start, end or None, position id, post title)

    def position_on(self, day):
        for start, end, position, title in self.positions:
            if start <= day and (end is None or day <= end):
                return position, title
        return None, ""


class Generator:
    def __init__(self, seed, say):
        self.random = random.Random(seed)
        self.say = say
        self.now = timezone.now()

    # Helpers

    def bulk(self, model, rows, label=None):
        """Insert `rows` a batch at a time; the saved rows (with ids) come back."""
        saved = model.objects.bulk_create(rows, batch_size=BATCH)
        if label:
            self.say(f"  {label}: {len(saved):,}")
        return saved

    def insert(self, model, rows, label=None, ids=False):
        """Insert `rows`, dicts of column values (foreign keys by their `_id` names), a batch at
        a time: COPY on PostgreSQL, bulk_create elsewhere. With `ids`, their new ids come back.
        """
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        defaults = {field.attname: self.default(field) for field in fields}
        new_ids = []
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            columns = [field.column for field in fields]
            with connection.cursor() as cursor:
                if ids:
                    columns.insert(0, model._meta.pk.column)
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                        "FROM generate_series(1, %s)",
                        [model._meta.db_table, model._meta.pk.column, len(rows)],
                    )
                    new_ids = [row[0] for row in cursor.fetchall()]
                names = ", ".join(connection.ops.quote_name(column) for column in columns)
                for start in range(0, len(rows), BATCH):
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for n in range(start, min(start + BATCH, len(rows))):
                            row = rows[n]
                            values = [row.get(name, default) for name, default in defaults.items()]
                            copy.write_row([new_ids[n], *values] if ids else values)
        else:
            new_ids = [record.pk for record in self.bulk(model, [model(**row) for row in rows])]
        if label:
            self.say(f"  {label}: {len(rows):,}")
        return new_ids

    def default(self, field):
        """What a column holds when a row does not say (Django's defaults live in Python)."""
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        return "" if field.empty_strings_allowed else None

    def published(self, day=None):
        """state and published_at of a record: most are published, a few stay drafts."""
        if self.random.random() < 0.03:
            return {"state": State.DRAFT.value}
        moment = datetime.datetime.combine(day or FIRST_DAY, datetime.time(12), datetime.UTC)
        return {"state": State.PUBLISHED.value, "published_at": moment}

    def day_between(self, first, last):
        return first + datetime.timedelta(days=self.random.randint(0, (last - first).days))

    # Reference records

    def make_countries(self):
        existing = {c.iso_code: c for c in Country.objects.all()}
        new = [
            Country(
                iso_code=iso,
                slug=iso.lower(),
                name=name,
                native_name=native,
                data_key=f"{KEY}country:{iso}",
                state=State.PUBLISHED,
                published_at=self.now,
            )
            for iso, name, native, *_ in COUNTRIES
            if iso not in existing
        ]
        created = {c.iso_code: c for c in self.bulk(Country, new, "countries")}
        statuses = [
            CountryStatus(country=created[iso], status=status, since=read_day(since))
            for iso, _, _, status, since, *_ in COUNTRIES
            if iso in created
        ]
        self.bulk(CountryStatus, statuses)
        self.countries = {**existing, **created}
        self.country_rows = COUNTRIES

    def make_places(self):
        places = []
        for iso, *_, cities, _given, _family, _script in self.country_rows:
            for city in cities:
                places.append(
                    Place(name=city, slug=f"{SLUG}{slugify(city)}", country=self.countries[iso])
                )
        places = self.bulk(Place, places, "places")
        self.places = {}
        for place in places:
            self.places.setdefault(place.country_id, []).append(place)
        astana = next(p for p in places if p.name == "Astana")
        self.bulk(
            PlaceName,
            [
                PlaceName(
                    place=astana,
                    name="Akmola",
                    kind=PlaceName.Kind.OFFICIAL,
                    valid_until=datetime.date(1998, 5, 6),
                ),
                PlaceName(
                    place=astana,
                    name="Astana",
                    kind=PlaceName.Kind.OFFICIAL,
                    valid_from=datetime.date(1998, 5, 6),
                    valid_until=datetime.date(2019, 3, 23),
                ),
                PlaceName(
                    place=astana,
                    name="Nur-Sultan",
                    kind=PlaceName.Kind.OFFICIAL,
                    valid_from=datetime.date(2019, 3, 23),
                    valid_until=datetime.date(2022, 9, 19),
                ),
                PlaceName(
                    place=astana,
                    name="Astana",
                    kind=PlaceName.Kind.OFFICIAL,
                    valid_from=datetime.date(2022, 9, 19),
                ),
            ],  # fmt: skip
        )

    def make_bodies(self):
        organizations, titles = [], {}
        for name, kind, posts in SCO_BODIES:
            short_name = "SCO RATS" if "Anti-Terrorist" in name else ""
            organizations.append(
                Organization(name=name, short_name=short_name, slug=f"{SLUG}{slugify(name)}",
                             kind=kind)
            )  # fmt: skip
            titles[name] = posts
        for iso, country_name, *_ in self.country_rows:
            for pattern, posts in NATIONAL_BODIES:
                name = pattern.format(country_name)
                slug = f"{SLUG}{iso.lower()}-{slugify(pattern.format(''))}"[:50]
                organizations.append(
                    Organization(name=name, slug=slug, kind=Organization.Kind.NATIONAL,
                                 country=self.countries[iso])
                )  # fmt: skip
                titles[name] = posts
        existing = {o.name: o for o in Organization.objects.filter(name__in=titles)}
        new = [o for o in organizations if o.name not in existing]
        organizations = {**existing, **{o.name: o for o in self.bulk(Organization, new)}}
        self.say(f"  organisations: {len(organizations):,}")
        posts = [
            Post(title=title, organization=organizations[name],
                 slug=f"{SLUG}{organizations[name].pk}-{slugify(title)}"[:50])
            for name, post_titles in titles.items()
            for title in post_titles
        ]  # fmt: skip
        taken = set(Post.objects.values_list("organization_id", "title"))
        posts = [p for p in posts if (p.organization_id, p.title) not in taken]
        posts = self.bulk(Post, posts, "posts")
        self.posts = {}
        for post in posts:
            organization = next(o for o in organizations.values() if o.pk == post.organization_id)
            key = organization.country_id or "sco"
            self.posts.setdefault(key, []).append((organization, post))

    def make_topics(self):
        existing = {t.name: t for t in Topic.objects.filter(name__in=TOPICS)}
        new = [
            Topic(name=name, slug=f"{SLUG}{slugify(name)}", description=f"Meetings about {name}.")
            for name in TOPICS
            if name not in existing
        ]
        self.topics = [*existing.values(), *self.bulk(Topic, new, "topics")]

    # People

    def spellings(self, name, script):
        """Two other ways of writing `name`: a transliteration variant and a native form."""
        variant = name
        for old, new in self.random.sample(VARIANTS, len(VARIANTS)):
            if old in variant.lower():
                variant = variant.replace(old, new, 1)
                break
        if variant == name:
            variant = name.replace(" ", "-", 1) if " " in name else name + "a"
        if script == "cyrillic":
            native = name.lower()
            for latin, cyrillic in CYRILLIC:
                native = native.replace(latin, cyrillic)
            native = " ".join(part[:1].upper() + part[1:] for part in native.split())
        elif script == "han":
            native = "".join(self.random.choice(HAN) for _ in range(3))
        else:
            native = name.upper()
        return variant, native

    def make_officials(self, count):
        officials, details = [], []
        countries = self.country_rows
        # Members have far more officials on record than partners.
        weights = [6 if row[3] in (SCOStatus.FOUNDING_MEMBER, SCOStatus.MEMBER) else 1
                   for row in countries]  # fmt: skip
        for n in range(count):
            sco_staff = self.random.random() < 0.04
            iso, _, _, _, _, _, given, family, script = self.random.choices(countries, weights)[0]
            name = f"{self.random.choice(given)} {self.random.choice(family)}"
            officials.append(
                {
                    "name": name,
                    "slug": f"{SLUG}{slugify(name)}-{n + 1}",
                    "nationality_id": self.countries[iso].pk,
                    "data_key": f"{KEY}official:{n + 1}",
                    **self.published(),
                }
            )
            details.append((name, iso, script, sco_staff))
        official_ids = self.insert(Official, officials, "officials", ids=True)
        names, positions, held_by = [], [], []
        for official_id, (name, iso, script, sco_staff) in zip(official_ids, details, strict=True):
            variant, native = self.spellings(name, script)
            names.append({"official_id": official_id, "name": variant, "kind": "spelling"})
            if native not in (variant, name):
                names.append({"official_id": official_id, "name": native, "kind": "native"})
            country = self.countries[iso]
            posts = self.posts["sco"] if sco_staff else self.posts[country.pk]
            start = self.day_between(datetime.date(1996, 1, 1), datetime.date(2020, 1, 1))
            held = []
            for step in range(self.random.choice([1, 2, 2, 3])):
                if start > LAST_DAY:
                    break
                organization, post = self.random.choice(posts)
                end = start + datetime.timedelta(days=self.random.randint(400, 2500))
                last = step == 2 or end > LAST_DAY
                end = None if last and self.random.random() < 0.5 else min(end, LAST_DAY)
                positions.append(
                    {"official_id": official_id, "post_id": post.pk, "start_date": start,
                     "end_date": end}
                )  # fmt: skip
                held.append((start, end, post.title, organization.pk))
                if end is None:
                    break
                start = end + datetime.timedelta(days=1)
            held_by.append(
                Person(official_id, name, None if sco_staff else country.pk, held[0][3], held)
            )
        self.insert(OfficialName, names, "other spellings")
        position_ids = iter(self.insert(Position, positions, "positions", ids=True))
        for person in held_by:
            person.positions = [(s, e, next(position_ids), t) for s, e, t, _ in person.positions]
        self.people = held_by
        # A few officials meet far more often than the rest, as in the real record.
        weights = [1 / (rank + 10) for rank in range(len(self.people))]
        self.random.shuffle(weights)
        self.person_weights = list(itertools.accumulate(weights))

    def make_summits(self, count):
        councils = [Council.HEADS_OF_STATE, Council.HEADS_OF_GOVERNMENT]
        summits = []
        # Numbers go on from those on record, which are unique within a council.
        numbers = {
            council: Summit.objects.filter(council=council).aggregate(n=Max("number"))["n"] or 0
            for council in Council
        }
        years = range(FIRST_DAY.year, LAST_DAY.year + 1)
        plan = [(c, y) for y in years for c in councils]
        while len(plan) < count:
            plan.append((Council.FOREIGN_MINISTERS, self.random.choice(years)))
        plan = sorted(plan[:count], key=lambda item: item[1])
        for council, year in plan:
            numbers[council] = numbers.get(council, 0) + 1
            start = self.day_between(datetime.date(year, 1, 1), datetime.date(year, 12, 28))
            iso = self.random.choice(self.country_rows[:10])[0]
            host = self.countries[iso]
            virtual = year in (2020, 2021) and self.random.random() < 0.7
            summits.append(
                Summit(
                    council=council,
                    number=numbers[council],
                    slug=f"{SLUG}{council.replace('_', '-')}-{numbers[council]}",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=self.random.choice([0, 1, 1])),
                    place=None if virtual else self.random.choice(self.places[host.pk]),
                    host_country=host,
                    chair_country=host,
                    format=Format.VIRTUAL if virtual else Format.IN_PERSON,
                    outcomes="Adopted a joint communiqué and a plan of measures.",
                    data_key=f"{KEY}summit:{council}:{numbers[council]}",
                    **self.published(start),
                )
            )
        self.summits = self.bulk(Summit, summits, "summits")

    def meeting_title(self, kind, people, place):
        first, second = people[0].name, people[1].name
        where = place.name if place else ""
        if kind == Meeting.Kind.BILATERAL:
            return self.random.choice(
                [f"{first} meets {second}", f"{first} holds talks with {second}",
                 f"{first} receives {second}"]
            )  # fmt: skip
        if kind == Meeting.Kind.CALL:
            return f"{first} and {second} speak by phone"
        if kind == Meeting.Kind.WORKING_VISIT:
            return f"{first} on a working visit to {where or 'the SCO Secretariat'}"
        if kind == Meeting.Kind.MINISTERIAL:
            return f"Meeting of SCO ministers in {where or 'video format'}"
        return f"{first}, {second} and others meet in {where or 'video format'}"

    def plan_meeting(self, n, day):
        """A meeting's row, with its participants and topics."""
        kind = self.random.choices(self.kinds, self.kind_weights)[0]
        size = self.random.choice([2, 2, 3, 4, 4, 5, 6, 6])
        people = []
        while len(people) < size:
            person = self.random.choices(self.people, cum_weights=self.person_weights)[0]
            if person not in people:
                people.append(person)
        host = people[0].country_id or people[1].country_id or self.countries["CN"].pk
        place = None
        if kind != Meeting.Kind.CALL:
            place = self.random.choice(
                self.places.get(host) or self.places[self.countries["CN"].pk]
            )
        topics = self.random.sample(self.topics, self.random.choice([1, 1, 2, 3]))
        summit = None
        if self.random.random() < 0.1:
            later = bisect.bisect_left(self.summit_days, day)
            summit = self.summits[later] if later < len(self.summits) else None
        rough = self.random.random() < 0.05
        if rough:
            start = day.replace(day=1)
            end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            end -= datetime.timedelta(days=1)
        else:
            start = day
            end = day + datetime.timedelta(days=self.random.choice([0, 0, 0, 1]))
        words = " and ".join(t.name.lower() for t in topics)
        row = {
            "title": self.meeting_title(kind, people, place)[:300],
            "slug": f"{SLUG}{day.isoformat()}-{n + 1}",
            "kind": kind.value,
            "start_date": start,
            "end_date": end,
            "date_precision": "month" if rough else "day",
            "place_id": place.pk if place else None,
            "country_id": place.country_id if place else None,
            "summary": f"The sides discussed {words}, and cooperation within the SCO.",
            "summit_id": summit.pk if summit else None,
            "summit_relation": "preparations for the summit" if summit else "",
            "data_key": f"{KEY}meeting:{n + 1}",
            **self.published(day),
        }
        return row, people, topics

    def make_meetings(self, count):
        self.kinds, self.kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        self.summits.sort(key=lambda summit: summit.start_date)
        self.summit_days = [summit.start_date for summit in self.summits]
        meeting_type = ContentType.objects.get_for_model(Meeting)
        topics_through = Meeting.topics.through
        sources_through = Meeting.sources.through
        span = (LAST_DAY - FIRST_DAY).days
        chunk = 20_000
        self.meeting_ids = []
        total_participations = 0
        for begin in range(0, count, chunk):
            plans = [
                self.plan_meeting(n, FIRST_DAY + datetime.timedelta(days=span * n // count))
                for n in range(begin, min(begin + chunk, count))
            ]
            meeting_ids = self.insert(Meeting, [row for row, _, _ in plans], ids=True)
            participations, topic_links, sources = [], [], []
            for meeting_id, (row, people, topics) in zip(meeting_ids, plans, strict=True):
                for person in people:
                    position, title = person.position_on(row["start_date"])
                    participations.append(
                        {
                            "meeting_id": meeting_id,
                            "official_id": person.id,
                            "capacity": title,
                            "position_id": position,
                            "country_id": person.country_id,
                            "organization_id": None
                            if person.country_id
                            else person.organization_id,
                        }
                    )
                topic_links += [{"meeting_id": meeting_id, "topic_id": t.pk} for t in topics]
                publisher, host = self.random.choice(PUBLISHERS)
                sources.append(
                    {
                        "title": row["title"],
                        "publisher": publisher,
                        "url": f"https://{host}/news/{SLUG}{row['slug']}",
                        "published_on": row["start_date"],
                        "published_precision": "day",
                    }
                )
            source_ids = self.insert(Source, sources, ids=True)
            source_links = []
            for meeting_id, source_id in zip(meeting_ids, source_ids, strict=True):
                source_links.append({"meeting_id": meeting_id, "source_id": source_id})
                if self.random.random() < 0.2:
                    other = self.random.choice(source_ids)
                    if other != source_id:
                        source_links.append({"meeting_id": meeting_id, "source_id": other})
            self.insert(Participation, participations)
            self.insert(topics_through, topic_links)
            self.insert(sources_through, source_links)
            if begin == 0:
                disagreements = [
                    {"content_type_id": meeting_type.pk, "object_id": meeting_id,
                     "subject": "Demo: Date", "accepted_value": f"{row['start_date']:%d %B %Y}",
                     "accepted_source_id": source_id, "other_value": "the day before",
                     "other_source_id": self.random.choice(source_ids)}
                    for meeting_id, (row, _, _), source_id in list(
                        zip(meeting_ids, plans, source_ids, strict=True)
                    )[::40]
                ]  # fmt: skip
                self.insert(Disagreement, disagreements)
            self.meeting_ids += meeting_ids
            total_participations += len(participations)
            self.say(
                f"  meetings: {begin + len(plans):,} of {count:,} "
                f"({total_participations:,} participations)"
            )

    def make_initiatives(self, count):
        kinds = list(Kind)
        initiatives, plans = [], []
        for n in range(count):
            kind = self.random.choice(kinds)
            topic = self.random.choice(self.topics)
            summit = self.random.choice(self.summits) if self.random.random() < 0.5 else None
            adopted = summit.start_date if summit else None
            if adopted is None and self.random.random() < 0.6:
                adopted = self.day_between(FIRST_DAY, LAST_DAY)
            first_year = (adopted or FIRST_DAY).year + 1
            years = self.random.choice([0, 2, 3, 5])
            initiatives.append(
                {
                    "title": f"{kind.label} on {topic.name} among the SCO member states "
                    f"No. {n + 1}",
                    "short_name": f"{topic.name} {kind.label.lower()} {n + 1}",
                    "slug": f"{SLUG}initiative-{n + 1}",
                    "kind": kind.value,
                    "summary": f"Sets out how the member states cooperate on {topic.name.lower()}.",
                    "adopted_at_id": summit.pk if summit else None,
                    "adopted_on": adopted,
                    "period_start": datetime.date(first_year, 1, 1) if years else None,
                    "period_end": datetime.date(first_year + years, 12, 31) if years else None,
                    "data_key": f"{KEY}initiative:{n + 1}",
                    **self.published(adopted),
                }
            )
            plans.append((topic, adopted))
        initiative_ids = self.insert(Initiative, initiatives, "initiatives", ids=True)
        changes, proposers, topic_links, meeting_links = [], [], [], []
        countries = [self.countries[row[0]] for row in self.country_rows[:10]]
        steps = [Status.PROPOSED, Status.ADOPTED, Status.IN_FORCE]
        for initiative_id, (topic, adopted) in zip(initiative_ids, plans, strict=True):
            day = (adopted or self.day_between(FIRST_DAY, LAST_DAY)) - datetime.timedelta(
                days=self.random.randint(60, 400)
            )
            history = steps[: self.random.randint(1, 3)]
            if len(history) == 3 and self.random.random() < 0.3:
                history.append(self.random.choice([Status.COMPLETED, Status.EXPIRED]))
            for status in history:
                changes.append(
                    {"initiative_id": initiative_id, "status": status.value, "date": day}
                )
                day += datetime.timedelta(days=self.random.randint(30, 700))
            for country in self.random.sample(countries, self.random.choice([1, 1, 2])):
                proposers.append({"initiative_id": initiative_id, "country_id": country.pk})
            topic_links.append({"initiative_id": initiative_id, "topic_id": topic.pk})
            for meeting_id in self.random.sample(self.meeting_ids, self.random.choice([0, 1, 3])):
                meeting_links.append({"initiative_id": initiative_id, "meeting_id": meeting_id})
        self.insert(StatusChange, changes, "status changes")
        self.insert(Initiative.proposed_by.through, proposers)
        self.insert(Initiative.topics.through, topic_links)
        self.insert(Initiative.meetings.through, meeting_links, "initiative-meeting links")


def generate(meetings, officials, seed, say, initiatives=5_000, summits=300):
    """Fill the database with synthetic records (see the module's docstring)."""
    generator = Generator(seed, say)
    if connection.vendor == "postgresql":
        # A bulk load is no request: its long statements run without the time limit.
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    with transaction.atomic():
        say("Reference records")
        generator.make_countries()
        generator.make_places()
        generator.make_bodies()
        generator.make_topics()
        say("Officials")
        generator.make_officials(officials)
        say("Summits")
        generator.make_summits(summits)
        say("Meetings")
        generator.make_meetings(meetings)
        say("Initiatives")
        generator.make_initiatives(initiatives)
    say("Search")
    for label, count in refresh_all_in_bulk(KEY):
        say(f"  {label}: {count:,}")
    # Fresh statistics and visibility maps, as autovacuum would leave them in time (VACUUM only
    # outside a transaction).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
