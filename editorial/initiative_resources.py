"""Initiatives in a CSV file (see meetings/resources.py for how rows are read)."""

from import_export import fields

from editorial.resources import (
    COUNTRIES,
    SUMMITS,
    TOPICS,
    Links,
    ListField,
    LookupWidget,
    RecordResource,
    Sources,
    day,
    save_part,
    split_cell,
)
from initiatives.models import Initiative, Status, StatusChange


class StatusHistory(Links):
    """An initiative's dated statuses: `proposed 2019-06-14; adopted 2020-11-10`.

    A status change is the same one when its status and day are; notes and sources are added in
    admin.
    """

    def __init__(self):
        super().__init__("status_changes", None)

    def parse(self, value):
        changes, problems = [], []
        for text in split_cell(value):
            status, _, date = text.partition(" ")
            if status not in Status.values or not date.strip():
                problems.append(
                    f"'{text}' is not a dated status: write a status "
                    f"({', '.join(Status.values)}) and its day, e.g. 'adopted 2020-11-10'."
                )
                continue
            try:
                changes.append((status, day(date)))
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ValueError(" ".join(problems))
        return list(dict.fromkeys(changes))

    def missing(self, record, items):
        if record.pk is None:
            return items
        present = set(record.status_changes.values_list("status", "date"))
        return [item for item in items if item not in present]

    def add(self, record, items, reason):
        for status, date in items:
            save_part(StatusChange(initiative=record, status=status, date=date), reason)

    def render(self, record):
        if record.pk is None:
            return ""
        changes = record.status_changes.all()
        return "; ".join(f"{change.status} {change.date.isoformat()}" for change in changes)


class InitiativeResource(RecordResource):
    adopted_at = fields.Field(
        column_name="adopted_at", attribute="adopted_at", widget=LookupWidget(SUMMITS)
    )
    proposed_by = ListField("proposed_by", Links("proposed_by", COUNTRIES))
    topics = ListField("topics", Links("topics", TOPICS))
    status_history = ListField("status_history", StatusHistory())
    sources = ListField("sources", Sources())
    export_prefetch = ("proposed_by", "topics", "status_changes", "sources")

    class Meta(RecordResource.Meta):
        model = Initiative
        fields = (
            "slug", "title", "short_name", "kind", "adopted_on", "adopted_precision",
            "adopted_at", "period_start", "period_start_precision", "period_end",
            "period_end_precision", "proposed_by", "topics", "status_history", "summary", "sources",
            "state",
        )  # fmt: skip
